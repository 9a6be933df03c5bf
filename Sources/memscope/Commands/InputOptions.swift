import ArgumentParser
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeModel

#if canImport(Glibc)
import Glibc
#endif

extension DumpFormat: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
extension FoldedCost: ExpressibleByArgument {}

/// The dump to read, shared by every command that reads one.
struct InputOptions: ParsableArguments {
    @Argument(help: "The dump to read (.msd binary or JSON Lines, optionally zstd-compressed), or a heaptrack, massif, DHAT, memscope-rs or folded-stacks file.",
              completion: .file())
    var dump: String

    @Option(help: "Read the input as this format instead of detecting it by content (values: msd, jsonl, heaptrack, massif, dhat, memscope-rs, folded).")
    var format: InputFormat?

    @Option(help: "What the counts of folded stacks are (values: allocations, bytes).")
    var foldedCost: FoldedCost = .allocations
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
func analyze(_ input: InputOptions, options: AnalysisOptions = .default,
             progress: (UInt64) -> Void = { _ in }) throws -> (Analysis, InputFormat) {
    try InputLoader.analyze(path: input.dump, format: input.format, foldedCost: input.foldedCost, options: options,
                            progress: progress)
}

/// Lets the analysis stage pull batches from a reader without importing the parse stage.
final class ReaderAdapter: RecordBatchSource {
    let reader: any RecordReader
    init(_ reader: any RecordReader) { self.reader = reader }
    var diagnostics: Diagnostics { reader.diagnostics }
    var wasTruncated: Bool { reader.wasTruncated }
    func read(into batch: inout [Record], maxCount: Int) throws -> Bool {
        try reader.read(into: &batch, maxCount: maxCount)
    }
}
