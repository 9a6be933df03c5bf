import ArgumentParser
import Dispatch
import Foundation
import MemscopeAnalysis
import MemscopeCairo
import MemscopeFormat
import MemscopeImport
import MemscopeLayout
import MemscopeReport

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

    @Option(help: "Read both inputs as this format instead of detecting it by content (values: msd, jsonl, heaptrack, massif, dhat, memscope-rs, folded).")
    var format: InputFormat?

    @Option(name: .shortAndLong, help: "The report to write. Default: memscope-diff-<base>-<new>.html.")
    var output: String?

    @Flag(help: "Print the deltas as one JSON object instead of writing a report.")
    var json = false

    @Flag(help: "Overwrite the report if it exists.")
    var force = false

    @Flag(name: .shortAndLong, help: "No warnings and no closing message.")
    var quiet = false

    func run() throws {
        try Console.run {
            let path = output ?? "memscope-diff-\(Self.stem(base))-\(Self.stem(new)).html"
            if !json && !force && AtomicOutputFile.wouldReplaceFile(path) {
                throw DumpError(path: path, problem: .outputExists)
            }
            let (baseAnalysis, baseFormat) = try analyze(InputOptions.with(path: base, format: format))
            let (newAnalysis, newFormat) = try analyze(InputOptions.with(path: new, format: format))
            if !quiet && !json {
                Console.printWarnings(baseAnalysis.diagnostics)
                Console.printWarnings(newAnalysis.diagnostics)
            }
            let diff = AnalysisDiff(base: baseAnalysis, new: newAnalysis)
            let baseSummary = MemscopeAnalysis.Summary(analysis: baseAnalysis, format: baseFormat.rawValue, path: base)
            let newSummary = MemscopeAnalysis.Summary(analysis: newAnalysis, format: newFormat.rawValue, path: new)
            if json {
                print(DiffReport.json(diff, base: baseSummary, new: newSummary))
                return
            }
            let html = try DiffReport.html(diff, base: baseSummary, new: newSummary, pictures: try Self.paint(diff),
                                           version: MemscopeVersion.string)
            let file = try AtomicOutputFile(path: path, overwrite: true)
            try file.write(html)
            try file.commit()
            if !quiet { print("Wrote \(path) (\(Render.megabytes(html.utf8.count)))") }
        }
    }

    static func paint(_ diff: AnalysisDiff) throws -> [FlameCost: [UInt8]] {
        let costs = FlameCost.allCases.filter { cost in diff.tree.first.map { cost.value($0.base) > 0 || cost.value($0.new) > 0 } ?? false }
        let results = ResultSlots<Result<[UInt8], any Error>>(count: costs.count)
        DispatchQueue.concurrentPerform(iterations: costs.count) { i in
            let scene = DiffFlameLayout.scene(diff, cost: costs[i], measurer: CairoTextMeasurer())
            results.set(i, Result { try CairoPainter.png(scene) })
        }
        var pictures: [FlameCost: [UInt8]] = [:]
        for (cost, result) in zip(costs, results.values) { pictures[cost] = try result.get() }
        return pictures
    }

    static func stem(_ path: String) -> String {
        String(Render.defaultOutput(for: path).dropFirst("memscope-".count).dropLast(".html".count))
    }
}
