import MemscopeAnalysis
@testable import MemscopeLayout
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The views' flamegraphs drawn from one shared tree per direction (``SharedViewTrees``)
/// equal those drawn from each view's own call trees (``ViewTrees``), box for box: the same
/// nodes, costs, names, lines, and allocator marks, under every frame filter.
@Suite struct SharedViewTreesTests {
    /// Random allocations on four threads over stacks whose frames merge into one node with
    /// different lines, unnamed frames above malloc (detected as wrappers by some views
    /// only), inlined frames, and recursion.
    func randomDump(seed: UInt64) -> [Record] {
        var random = SeededRandom(seed: seed)
        var dump = DumpBuilder()
        let main = dump.frame("main"), malloc = dump.frame("malloc")
        let named = (0..<6).map { i in dump.frame("work\(i)") }
        let lined = (0..<4).map { i in dump.codeFrame("parse", module: "/bin/prog", offset: 0x100 + UInt64(i) * 8,
                                                      file: "parse.c", line: UInt32([30, 0, 12, 40][i])) }
        let unnamed = (0..<3).map { i in dump.codeFrame(nil, offset: 0x900 + UInt64(i)) }
        let inlined = dump.codeFrame("inline_helper", module: "/bin/prog", offset: 0x500, file: "h.h", line: 7, inlined: true)
        var stacks: [UInt32] = []
        for _ in 0..<40 {
            var path = [main]
            for _ in 0..<(1 + Int(random.next() % 5)) {
                switch random.next() % 6 {
                case 0: path.append(lined[Int(random.next() % 4)])
                case 1: path.append(inlined)
                case 2: path.append(path.last!)  // recursion
                default: path.append(named[Int(random.next() % 6)])
                }
            }
            if random.next() % 2 == 0 { path.append(unnamed[Int(random.next() % 3)]) }
            path.append(malloc)
            stacks.append(dump.stack(frames: path))
        }
        var live: [UInt64] = []
        var ts: UInt64 = 100, next: UInt64 = 0x1000
        for _ in 0..<2_000 {
            ts += random.next() % 300
            let thread = UInt32(1 + random.next() % 4)
            if random.next() % 3 == 0, !live.isEmpty {
                dump.free(ts: ts, thread: thread, address: live.remove(at: Int(random.next() % UInt64(live.count))))
            } else {
                // Threads 3 and 4 allocate from a few stacks only: their views classify fewer wrappers.
                let pool = thread >= 3 ? 4 : stacks.count
                dump.alloc(ts: ts, thread: thread, address: next, size: 1 + random.next() % 5000,
                           stack: stacks[Int(random.next() % UInt64(pool))])
                live.append(next)
                next += 0x100
            }
        }
        dump.end(ts: ts + 10)
        return dump.records
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func sharedTreesDrawTheViewsOwnGraphs(seed: UInt64) {
        let records = randomDump(seed: seed)
        let run = analyze(records)
        let duration = run.totals.durationNanoseconds
        let windows = (0..<4).map { i in
            ViewTally.Window(from: duration.scaled(by: UInt64(i), over: 4), to: duration.scaled(by: UInt64(i + 1), over: 4))
        }
        let tally = ViewTally(threads: [1, 2, 3, 4], windows: windows)
        for record in records { tally.consume(record) }
        let (threadCosts, windowCosts) = tally.finish()
        let views = (threadCosts + windowCosts).map { run.viewAnalysis(costs: $0, options: AnalysisOptions()) }
        for filter in [FrameFilter(), .none, FrameFilter(collapseRecursion: true), FrameFilter(include: "work[12]"),
                       FrameFilter(stopAtMain: false, exclude: "parse")] {
            let shared = SharedViewTrees(filter: filter, views: views)
            for options in [FlameGraphOptions.default, FlameGraphOptions(maxNodes: 12, maxDepth: 4)] {
                for (i, view) in views.enumerated() {
                    var own = view
                    ViewTrees(filter: filter, symbols: view.symbols).apply(to: &own)
                    let trees = shared.trees(of: view)
                    #expect(trees != nil)
                    guard let trees else { continue }
                    #expect(FlameGraphBuilder.build(trees.topDown, analysis: view, options: options)
                            == FlameGraphBuilder.build(own, direction: .topDown, options: options), "view \(i), \(filter)")
                    #expect(FlameGraphBuilder.build(trees.bottomUp, analysis: view, options: options)
                            == FlameGraphBuilder.build(own, direction: .bottomUp, options: options), "view \(i), \(filter)")
                }
            }
        }
    }
}

extension SharedViewTreesTests {
    /// The run's own filtered trees serve the views and the timeline: the trees are the
    /// filter's, the sites' nodes those ``FrameFilter/siteNodes(in:)`` finds, and views
    /// drawn on them equal views drawn on their own trees.
    @Test(arguments: [4, 5] as [UInt64])
    func runTreesServeViewsAndSiteNodes(seed: UInt64) {
        let records = randomDump(seed: seed)
        let run = analyze(records)
        let tally = ViewTally(threads: [1, 2, 3], windows: [ViewTally.Window(from: 0, to: run.totals.durationNanoseconds / 3)])
        for record in records { tally.consume(record) }
        let (threadCosts, windowCosts) = tally.finish()
        let views = (threadCosts + windowCosts).map { run.viewAnalysis(costs: $0, options: AnalysisOptions()) }
        for filter in [FrameFilter(), FrameFilter(collapseRecursion: true), FrameFilter(include: "work[12]")] {
            var filtered = run
            let runTrees = filter.applyForViews(to: &filtered)
            let reference = filter.apply(to: run)
            #expect(filtered.topDown == reference.topDown)
            #expect(filtered.bottomUp == reference.bottomUp)
            #expect(runTrees?.siteNodes(of: filtered) == filter.siteNodes(in: reference))
            let shared = SharedViewTrees(filter: filter, views: views, run: runTrees)
            for (i, view) in views.enumerated() {
                var own = view
                ViewTrees(filter: filter, symbols: view.symbols).apply(to: &own)
                guard let trees = shared.trees(of: view) else {
                    Issue.record("view \(i) has no trees")
                    continue
                }
                #expect(FlameGraphBuilder.build(trees.topDown, analysis: view) == FlameGraphBuilder.build(own, direction: .topDown), "view \(i)")
                #expect(FlameGraphBuilder.build(trees.bottomUp, analysis: view) == FlameGraphBuilder.build(own, direction: .bottomUp), "view \(i)")
            }
        }
        var unfiltered = run
        #expect(FrameFilter.none.applyForViews(to: &unfiltered) == nil)
    }

    /// The report draws every view's top-down graph, frees the spare buffers, then draws the
    /// bottom-up graphs: views drawn one direction at a time, on reused and on new buffers,
    /// equal views drawn on their own trees.
    @Test(arguments: [6, 7] as [UInt64])
    func viewsDrawnOneDirectionAtATime(seed: UInt64) {
        let records = randomDump(seed: seed)
        let run = analyze(records)
        let duration = run.totals.durationNanoseconds
        let tally = ViewTally(threads: [1, 2, 3, 4], windows: [ViewTally.Window(from: 0, to: duration / 2),
                                                                ViewTally.Window(from: duration / 2, to: duration)])
        for record in records { tally.consume(record) }
        let (threadCosts, windowCosts) = tally.finish()
        let views = (threadCosts + windowCosts).map { run.viewAnalysis(costs: $0, options: AnalysisOptions()) }
        let filter = FrameFilter()
        var filtered = run
        let shared = SharedViewTrees(filter: filter, views: views, run: filter.applyForViews(to: &filtered))
        let owns = views.map { view in
            var own = view
            ViewTrees(filter: filter, symbols: view.symbols).apply(to: &own)
            return own
        }
        for direction in [CallTree.Direction.topDown, .bottomUp] {
            for (i, view) in views.enumerated() {
                guard let tree = shared.tree(of: view, direction) else {
                    Issue.record("view \(i) has no \(direction) tree")
                    continue
                }
                #expect(tree.shared.direction == direction)
                #expect(FlameGraphBuilder.build(tree, analysis: view) == FlameGraphBuilder.build(owns[i], direction: direction),
                        "view \(i), \(direction)")
            }
            shared.freeSpareBuffers()
        }
    }
}

/// A flamegraph drawn from the parts of the unfiltered trees ``Analysis/flameCallTrees(_:)``
/// builds equals the one drawn from the whole trees, box for box, at node budgets small and
/// large (the report's every-frame view is drawn from them).
@Suite struct FlameCallTreesTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func partsDrawTheWholeTreesGraphs(seed: UInt64) {
        let run = analyze(SharedViewTreesTests().randomDump(seed: seed))
        for (maxNodes, minimumFraction, maxDepth) in [(8_000, 1.0 / 20_000, 120), (20, 1.0 / 20_000, 120), (6, 0.01, 120),
                                                      (40, 1e-9, 3), (2, 1e-9, 1)] {
            let options = FlameGraphOptions(minimumFraction: minimumFraction, maxNodes: maxNodes, maxDepth: maxDepth)
            var parts = run
            (parts.topDown, parts.bottomUp) = run.flameCallTrees(FlameTreeNeeds(maxNodes: maxNodes, minimumFraction: minimumFraction,
                                                                                maxDepth: maxDepth))
            #expect(parts.topDown.nodeCount <= run.topDown.nodeCount && parts.bottomUp.nodeCount <= run.bottomUp.nodeCount)
            for direction in [CallTree.Direction.topDown, .bottomUp] {
                #expect(FlameGraphBuilder.build(parts, direction: direction, options: options)
                        == FlameGraphBuilder.build(run, direction: direction, options: options), "\(direction), \(maxNodes) nodes")
            }
        }
    }
}

@Suite struct LargestShareTests {
    /// The selection gives what a sort gives, with ties and extremes.
    @Test func selectionEqualsSort() {
        var random = SeededRandom(seed: 5)
        for n in [1, 2, 3, 10, 101, 1000] {
            for distinct in [2, 7, 1_000_000] {
                let values = (0..<n).map { _ in Double(random.next() % UInt64(distinct)) / 7 }
                let sorted = values.sorted(by: >)
                for k in Set([0, n / 3, n / 2, n - 1]) {
                    var copy = values
                    #expect(FlameGraphBuilder.largest(k, of: &copy) == sorted[k], "n \(n), k \(k)")
                }
            }
        }
    }
}
