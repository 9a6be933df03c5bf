import ArgumentParser
import MemscopeAnalysis

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the headline figures of a dump.",
        discussion: """
            Figures are exact, computed from the dump's events: allocation calls (a realloc \
            counts as one), frees, bytes allocated, peak live heap and when it happened, \
            leaked blocks (live at the end), temporary allocations (freed before any other \
            allocation or free happened), threads and memory errors.

            Examples:
              memscope summary samples/server-leak.msd
              memscope summary --json samples/server-leak.msd

            With --json, one object with the keys format, events, allocations, frees, \
            bytes_allocated, peak_bytes, peak_time_ns, leaked_bytes, leaked_blocks, \
            temporary_allocations, threads, errors, warnings (and more); bytes in bytes, \
            times in ns since the start of the dump.
            """)

    @OptionGroup var input: InputOptions

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .shortAndLong, help: "Do not print warnings to stderr.")
    var quiet = false

    func run() throws {
        try Console.run {
            let (analysis, format) = try analyze(input, callTrees: false)
            if !quiet { Console.printWarnings(analysis.diagnostics) }
            let summary = MemscopeAnalysis.Summary(analysis: analysis, format: format.rawValue, path: PipedInput.displayName(input.dump))
            printText(json ? summary.json : summary.text(), terminator: json ? "\n" : "")
        }
    }
}
