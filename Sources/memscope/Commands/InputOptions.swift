import ArgumentParser
import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeModel
import MemscopeOwnership

#if canImport(Glibc)
import Glibc
#endif

extension DumpFormat: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
extension FoldedCost: ExpressibleByArgument {}

/// The dump to read, shared by every command that reads one.
struct InputOptions: ParsableArguments {
    @Argument(help: "The dump to read (.msd binary or JSON Lines, optionally zstd-compressed), or a heaptrack, massif, DHAT, memscope-rs or folded-stacks file; - or a pipe reads standard input or the pipe.",
              completion: .file(), transform: PipedInput.materialize)
    var dump: String

    @Option(help: "Read the input as this format instead of detecting it by content (values: msd, jsonl, heaptrack, massif, dhat, memscope-rs, folded).")
    var format: InputFormat?

    @Option(help: "What the counts of folded stacks are (values: allocations, bytes).")
    var foldedCost: FoldedCost = .allocations

    @OptionGroup var scope: ScopeOptions

    /// The analysis options these inputs ask for.
    func analysisOptions() throws -> AnalysisOptions {
        try scope.analysisOptions(dump: dump, format: format, foldedCost: foldedCost)
    }
}

/// What part of a dump to analyse, and which leaks to suppress; shared by every command
/// that analyses a dump.
struct ScopeOptions: ParsableArguments {
    @Option(help: "Leak suppressions in LeakSanitizer's format (leak:PATTERN lines): matching leaks are reported as suppressed.",
            completion: .file())
    var suppressions: String?

    @Option(help: "Count only from this time: 12.5s, 850ms, 40us, or a percentage of the run such as 25%.")
    var from: TimeArgument?

    @Option(help: "Stop at this time (same forms as --from); leaked then means live at this time.")
    var to: TimeArgument?

    @Option(help: "Only blocks allocated by this thread id (and their frees, on any thread).")
    var thread: UInt32?

    @Option(name: .customLong("wrapper"),
            help: ArgumentHelp("A function of your own that wraps the allocator (a regular expression, repeatable): site names go past it.",
                               valueName: "regex"))
    var wrappers: [String] = []

    @Flag(help: "Do not infer allocation wrappers among frames without a symbol.")
    var noWrapperDetection = false

    var isRestricted: Bool { from != nil || to != nil || thread != nil }

    func validate() throws {
        for pattern in wrappers {
            do { try AllocatorFrames.validate(patterns: [pattern]) } catch {
                throw ValidationError("--wrapper \(pattern): not a valid regular expression (\(error.localizedDescription)).")
            }
        }
    }

    /// Analysis options for `dump` (percentages of the run are resolved by a quick pass).
    func analysisOptions(dump: String, format: InputFormat?, foldedCost: FoldedCost) throws -> AnalysisOptions {
        var options = AnalysisOptions(suppressions: try loadSuppressions(suppressions))
        var known: UInt64?
        let total = { () throws -> UInt64 in
            if let known { return known }
            let value = try InputLoader.analyze(path: dump, format: format, foldedCost: foldedCost).0.totals.durationNanoseconds
            known = value
            return value
        }
        if let from { options.windowStartNanoseconds = try from.nanoseconds(duration: total) }
        if let to { options.windowEndNanoseconds = try to.nanoseconds(duration: total) }
        options.thread = thread
        options.wrapperPatterns = wrappers
        options.detectWrappers = !noWrapperDetection
        return options
    }
}

/// Reads a suppressions file (or none).
func loadSuppressions(_ path: String?) throws -> Suppressions {
    guard let path else { return Suppressions() }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw DumpError(path: path, problem: .cannotOpen(reason: "no such readable file"))
    }
    do {
        return try Suppressions(parsing: String(decoding: data, as: UTF8.self))
    } catch {
        throw DumpError(path: path, location: .line(error.line, column: 1), problem: .badSuppression(text: error.text))
    }
}

/// Just the dump to read (for commands that do not analyse it, like convert).
struct DumpInput: ParsableArguments {
    @Argument(help: "The dump to read (.msd binary or JSON Lines, optionally zstd-compressed).", completion: .file(), transform: PipedInput.materialize)
    var dump: String

    @Option(help: "Read the input as this format instead of detecting it (values: msd, jsonl).")
    var format: DumpFormat?
}

/// Prints an error or warnings to stderr and maps failures to exit codes, in one place.
enum Console {
    static func printError(_ message: String) {
        FileHandleStandardError.write("\(message)\n")
    }

    static func printWarnings(_ diagnostics: Diagnostics) {
        for line in diagnostics.lines { FileHandleStandardError.write("warning: \(line)\n") }
    }

    /// Runs `body`; a ``DumpError`` becomes its message on stderr and exit code 1.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DumpError {
            printError(error.description)
            throw ExitCode(1)
        } catch let error as ImportError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

enum FileHandleStandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}

/// Reads a whole dump, or another tool's file, and analyses it.
func analyze(_ input: InputOptions, progress: (UInt64) -> Void = { _ in }) throws -> (Analysis, InputFormat) {
    try analyze(input, options: try input.analysisOptions(), progress: progress)
}

func analyze(_ input: InputOptions, options: AnalysisOptions,
             progress: (UInt64) -> Void = { _ in }) throws -> (Analysis, InputFormat) {
    try InputLoader.analyze(path: input.dump, format: input.format, foldedCost: input.foldedCost, options: options,
                            progress: progress)
}

/// The ownership graph of a memscope dump (other formats name no blocks: an error).
func ownershipGraph(_ input: InputOptions) throws -> OwnershipGraph {
    let inference = OwnershipInference()
    let (_, format) = try InputLoader.analyze(path: input.dump, format: input.format, foldedCost: input.foldedCost,
                                              everyOptions: [], alongside: [inference])
    guard format.carriesBlockEvents else {
        throw ImportError(path: input.dump, problem: .noBlockEvents(format: format))
    }
    return inference.finish()
}
