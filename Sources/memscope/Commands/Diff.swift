import ArgumentParser
import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeReport
import MemscopeRender

#if canImport(Glibc)
import Glibc
#endif

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two dumps: summary deltas, a differential flamegraph and per-site changes.",
        discussion: """
            Frames and sites are matched by function, file and module (frames without a symbol by build id \
            and offset), so two runs of the same \
            program compare even though their addresses differ. Growth is red, shrink blue.

            Examples:
              memscope diff last-week.msd tonight.msd -o diff.html
              memscope diff --json last-week.msd tonight.msd | jq .deltas.peak_bytes
            """)

    @Argument(help: "The earlier dump (or - for standard input).", completion: .file(), transform: PipedInput.materialize)
    var base: String

    @Argument(help: "The later dump.", completion: .file(), transform: PipedInput.materialize)
    var new: String

    @OptionGroup var reading: FormatOptions

    @Option(name: .shortAndLong, help: "The report to write. Default: memscope-diff-<base>-<new>.html.")
    var output: String?

    @Flag(help: "Print the deltas as one JSON object instead of writing a report.")
    var json = false

    @Flag(help: "Overwrite the report if it exists.")
    var force = false

    @Flag(name: .shortAndLong, help: "No warnings and no closing message.")
    var quiet = false

    /// The diff these options ask for, as a render plan of two inputs.
    func plan() -> RenderPlan {
        let output: OutputPlan = json ? .none
            : .file(output ?? "memscope-diff-\(ReportNames.stem(base))-\(ReportNames.stem(new)).html", force: force)
        return RenderPlan(inputs: [reading.spec(base), reading.spec(new)], output: output)
    }

    func run() throws {
        try Console.run {
            let plan = plan()
            if case .file(let path, let force) = plan.output, !force && AtomicOutputFile.wouldReplaceFile(path) {
                throw DumpError(path: path, problem: .outputExists)
            }
            let result = try ReportBuilder(plan: plan).diff(base: plan.inputs[0], new: plan.inputs[1])
            guard case .file(let path, _) = plan.output else {
                print(result.json)
                return
            }
            if !quiet { result.diagnostics.forEach(Console.printWarnings) }
            let html = try result.html()
            let file = try AtomicOutputFile(path: path, overwrite: true)
            try file.write(html)
            try file.commit()
            if !quiet { print("Wrote \(path) (\(Render.megabytes(html.utf8.count)))") }
        }
    }
}
