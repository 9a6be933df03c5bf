import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeLayout
import MemscopeModel
import MemscopeRender
import MemscopeTestSupport
import Testing

/// Every default view stays on whatever the dump's size: above the old thresholds (13,000
/// call-tree nodes, 2,000,000 events) a report still has its thread and window flamegraphs,
/// from one more read, and their figures equal independent `--thread` and `--from`/`--to`
/// analyses'.
@Suite struct ViewsAtEverySizeTests {
    /// 8,000 distinct two-frame stacks on 5 threads: 16,000 top-down nodes, above the old
    /// limit of 13,000 for both trees together.
    func wideDump() throws -> String {
        var dump = DumpBuilder()
        var random = SeededRandom(seed: 5)
        var live: [UInt64] = []
        var next: UInt64 = 0x10_000
        var ts: UInt64 = 0
        let stacks = (0..<8_000).map { dump.stack("main", "caller\($0)", "site\($0)") }
        for i in 0..<40_000 {
            ts += 1 + random.next() % 100
            let thread = UInt32(1 + random.next() % 5)
            if live.isEmpty || random.next() % 3 != 0 {
                dump.alloc(ts: ts, thread: thread, address: next, size: 1 + random.next() % 500, stack: stacks[i % stacks.count])
                live.append(next)
                next += 0x40
            } else {
                dump.free(ts: ts, thread: thread, address: live.remove(at: Int(random.next() % UInt64(live.count))))
            }
        }
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("wide.msd").path
        let writer = try MSDBinaryWriter(sink: ByteSink(file: AtomicOutputFile(path: path)))
        for record in dump.records { try writer.write(record) }
        try writer.finish()
        return path
    }

    func flameData(_ html: String) throws -> [String: Any] {
        let match = try #require(html.firstMatch(of: /<script type="application\/json" id="flame-data">([^<]*)<\/script>/))
        return try #require(try JSONSerialization.jsonObject(with: Data(String(match.1).utf8)) as? [String: Any])
    }

    /// The root values (per cost) of a view's bottom-up tree in the page.
    func rootValues(_ view: [String: Any]) throws -> [Int] {
        let tree = try #require((view["trees"] as? [String: Any])?["bottom-up"] as? [String: Any])
        return try #require(tree["values"] as? [[Int]]).map { $0[0] }
    }

    @Test func viewsStayOnAboveTheOldThresholdsAndEqualIndependentAnalyses() throws {
        let path = try wideDump()
        let reader = CountingReader()
        let plan = RenderPlan(inputs: [InputSpec(path: path)], output: .none)
        var clock = StageClock()
        let html = try ReportBuilder(plan: plan, reader: reader).build(plan.inputs[0], clock: &clock).html
        #expect(reader.reads(of: path) == 2, "the views come from one more read")
        let run = try InputLoader.analyze(path: path).analysis
        #expect(run.topDown.nodes.count + run.bottomUp.nodes.count > 13_000, "above the old node limit")
        let data = try flameData(html)
        let threads = try #require(data["threads"] as? [[String: Any]])
        let windows = try #require(data["windows"] as? [[String: Any]])
        #expect(threads.count == 4)
        #expect(windows.map { $0["key"] as? String ?? "" } == (1...10).map(String.init) + ["peak"])
        #expect(data["allFrames"] is [String: Any])
        #expect(!html.contains("Left out"))
        // Each thread view's totals equal an analysis of that thread alone.
        for view in threads {
            let thread = try #require(UInt32(view["key"] as? String ?? ""))
            var options = AnalysisOptions()
            options.thread = thread
            let alone = try InputLoader.analyze(path: path, options: options).analysis
            let values = try rootValues(view)
            #expect(values == FlameCost.allCases.map { Int($0.value(alone.bottomUp.nodes[0].totalCosts)) },
                    "thread \(thread)")
        }
        // Each window's, an analysis of that window (the window bounds as the builder makes them).
        let duration = run.totals.durationNanoseconds
        for (i, view) in windows.prefix(10).enumerated() {
            var options = AnalysisOptions()
            options.windowStartNanoseconds = duration.scaled(by: UInt64(i), over: 10)
            options.windowEndNanoseconds = duration.scaled(by: UInt64(i + 1), over: 10)
            let window = try InputLoader.analyze(path: path, options: options).analysis
            #expect(try rootValues(view) == FlameCost.allCases.map { Int($0.value(window.bottomUp.nodes[0].totalCosts)) },
                    "window \(i + 1)")
        }
    }

    /// The page stays within its budget with every view on: 15 views of a dump of 8,000
    /// sites share ``viewNodeBudget`` nodes.
    @Test func viewsShareANodeBudget() throws {
        let path = try wideDump()
        let plan = RenderPlan(inputs: [InputSpec(path: path)], output: .none)
        var clock = StageClock()
        let html = try ReportBuilder(plan: plan).build(plan.inputs[0], clock: &clock).html
        let data = try flameData(html)
        let views = try #require(data["threads"] as? [[String: Any]]) + (try #require(data["windows"] as? [[String: Any]]))
        var nodes = 0
        for view in views {
            let trees = try #require(view["trees"] as? [String: [String: Any]])
            for tree in trees.values { nodes += (tree["parent"] as? [Any])?.count ?? 0 }
        }
        #expect(nodes <= 60_000 + 2 * views.count, "\(nodes) nodes in \(views.count) views")
        #expect(html.utf8.count < 5_000_000)
    }
}
