import ArgumentParser
import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeModel
import MemscopeOwnership
import MemscopeRender

#if canImport(Glibc)
import Glibc
#endif

// Each value's description: `--help` lists the values with it, and so does the man page
// (which lists no values of an option whose values have no description).
extension DumpFormat: ExpressibleByArgument {
    public var defaultValueDescription: String { displayName }
}

extension InputFormat: ExpressibleByArgument {
    public var defaultValueDescription: String {
        switch self {
        case .msd, .jsonl: displayName
        case .heaptrack: "heaptrack data file (plain, gzip or zstd)"
        case .massif: "Valgrind massif output (massif.out.PID)"
        case .dhat: "Valgrind DHAT JSON (dhat.out.PID)"
        case .memscopeRs: "memscope-rs export (JSON directory or files, or binary .memscope)"
        case .folded: "folded stacks (frame;frame;frame count)"
        }
    }
}

extension FoldedCost: ExpressibleByArgument {
    public var defaultValueDescription: String {
        switch self {
        case .allocations: "each count is a number of allocation calls (the default)"
        case .bytes: "each count is a number of bytes allocated"
        }
    }
}

extension TimePoint: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// How to read an input: its format, and what folded stacks count. Shared by every
/// command that reads any input (one declaration of each option).
struct FormatOptions: ParsableArguments {
    @Option(help: "Read the input as this format instead of detecting it by content.")
    var format: InputFormat?

    @Option(name: .customLong("folded-cost"), help: "What the counts of folded stacks are.")
    var foldedCostChoice: FoldedCost?

    /// `--folded-cost`, allocation calls when not given (a declared default would be shown
    /// as its description).
    var foldedCost: FoldedCost { foldedCostChoice ?? .allocations }

    @Option(name: .customLong("limit"), parsing: .singleValue,
            help: ArgumentHelp("Raise (or lower) a limit on what an input may hold, as NAME=VALUE; repeatable. Names: "
                               + InputLimits.names.map(\.name).joined(separator: ", ") + " (README, Limits).",
                               valueName: "name=value"))
    var limitSettings: [LimitSetting] = []

    /// The limits with every --limit applied.
    var limits: InputLimits {
        var limits = InputLimits.default
        for setting in limitSettings { _ = limits.set(setting.name, to: setting.value) }
        return limits
    }

    /// The spec of reading `path` this way.
    func spec(_ path: String) -> InputSpec {
        InputSpec(path: path, format: format, foldedCost: foldedCost, limits: limits,
                  shownAs: PipedInput.displayName(path))
    }
}

/// One `--limit NAME=VALUE`: a known limit name and a count (K, M, G suffixes allowed).
struct LimitSetting: ExpressibleByArgument, Equatable {
    var name: String
    var value: UInt64

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        let name = String(argument[..<equals]).trimmingSpaces
        guard InputLimits.names.contains(where: { $0.name == name }),
              let size = ByteSize(argument: String(argument[argument.index(after: equals)...])) else { return nil }
        self.name = name
        value = size.bytes
    }

    static var defaultCompletionKind: CompletionKind { .list(InputLimits.names.map { "\($0.name)=" }) }
}

/// The dump to read, shared by every command that reads one.
struct InputOptions: ParsableArguments {
    @Argument(help: "The dump to read (.msd binary or JSON Lines, optionally zstd-compressed), or a heaptrack, massif, DHAT, memscope-rs or folded-stacks file; - or a pipe reads standard input or the pipe.",
              completion: .file(), transform: PipedInput.materialize)
    var dump: String

    @OptionGroup var reading: FormatOptions

    @OptionGroup var scope: ScopeOptions

    var spec: InputSpec { reading.spec(dump) }
}

/// What part of a dump to analyse, and which leaks to suppress; shared by every command
/// that analyses a dump.
struct ScopeOptions: ParsableArguments {
    @Option(help: "Leak suppressions in LeakSanitizer's format (leak:PATTERN lines): matching leaks are reported as suppressed.",
            completion: .file())
    var suppressions: String?

    @Option(help: "Count only from this time: 12.5s, 850ms, 40us, or a percentage of the run such as 25%.")
    var from: TimePoint?

    @Option(help: "Stop at this time (same forms as --from); leaked then means live at this time.")
    var to: TimePoint?

    @Option(help: "Only blocks allocated by this thread id (and their frees, on any thread).")
    var thread: UInt32?

    @Option(name: .customLong("wrapper"),
            help: ArgumentHelp("A function of your own that wraps the allocator (a regular expression, repeatable): site names go past it.",
                               valueName: "regex"))
    var wrappers: [String] = []

    @Flag(help: "Do not infer allocation wrappers among frames without a symbol.")
    var noWrapperDetection = false

    var isRestricted: Bool { plan.isRestricted }

    func validate() throws {
        for pattern in wrappers {
            do { try AllocatorFrames.validate(patterns: [pattern]) } catch {
                throw ValidationError("--wrapper \(pattern): not a valid regular expression (\(error.localizedDescription)).")
            }
        }
    }

    /// The scope as a plain value.
    var plan: ScopePlan {
        ScopePlan(suppressionsPath: suppressions, from: from, to: to, thread: thread, wrapperPatterns: wrappers,
                  detectWrappers: !noWrapperDetection)
    }
}

/// Just the dump to read (for commands that do not analyse it, like convert).
struct DumpInput: ParsableArguments {
    @Argument(help: "The dump to read (.msd binary or JSON Lines, optionally zstd-compressed).", completion: .file(), transform: PipedInput.materialize)
    var dump: String

    @Option(help: "Read the input as this format instead of detecting it.")
    var format: DumpFormat?
}

/// Prints an error or warnings to stderr and maps failures to exit codes, in one place.
enum Console {
    static func printError(_ message: String) {
        FileHandleStandardError.write("\(PipedInput.unmask(message))\n")
    }

    static func printWarnings(_ diagnostics: Diagnostics) {
        for line in diagnostics.lines { FileHandleStandardError.write("warning: \(PipedInput.unmask(line))\n") }
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
        } catch let error as LimitExceeded {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

/// Text printed on standard output, control characters escaped (``TerminalText``).
func printText(_ text: String, terminator: String = "\n") {
    print(TerminalText.escapingControls(text), terminator: terminator)
}

/// Standard error, unbuffered; control characters escaped (``TerminalText``).
enum FileHandleStandardError {
    static func write(_ text: String) {
        var text = TerminalText.escapingControls(text)
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

/// Reads a whole dump, or another tool's file, and analyses it within the input's scope
/// (without call trees when the command prints none).
func analyze(_ input: InputOptions, callTrees: Bool = true) throws -> (Analysis, InputFormat) {
    try DumpAnalyzer().analyze(input.spec, scope: input.scope.plan, callTrees: callTrees)
}
