@testable import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The report's thread and window views tallied in one pass equal independent analyses
/// with `--thread` and `--from`/`--to`: per site, every cost; and the call trees and
/// flamegraph inputs built from them.
@Suite struct ViewTallyTests {
    /// A random dump: allocations (some over another thread's live block, some failed at
    /// address 0), frees (some of nothing), reallocs (moving, in place, failed, to size 0, of
    /// freed blocks, by another thread), timestamps that sometimes go backwards, thread
    /// records, on four threads.
    func randomDump(seed: UInt64, events: Int = 3_000) -> [Record] {
        var random = SeededRandom(seed: seed)
        var dump = DumpBuilder()
        let stacks = (0..<16).map { i in
            i % 5 == 0 ? dump.stack("main", "work\(i % 4)", "malloc") : dump.stack("main", "work\(i % 4)", "site\(i)")
        }
        var live: [UInt64] = []
        var ts: UInt64 = 100
        var nextAddress: UInt64 = 0x1000
        for _ in 0..<events {
            ts += random.next() % 4 == 0 ? random.next() % 50_000 : random.next() % 200
            let stamp = random.next() % 40 == 0 ? ts - min(ts, 500) : ts  // now and then earlier than the last
            let thread = UInt32(1 + random.next() % 4)
            let stack = stacks[Int(random.next() % UInt64(stacks.count))]
            switch random.next() % 20 {
            case 0...8:
                var address = nextAddress
                if random.next() % 12 == 0 && !live.isEmpty { address = live[Int(random.next() % UInt64(live.count))] }
                if random.next() % 50 == 0 { address = 0 }
                if address == nextAddress { nextAddress += 0x100 }
                dump.alloc(ts: stamp, thread: thread, address: address, size: 1 + random.next() % 4096, stack: stack)
                if address != 0 && !live.contains(address) { live.append(address) }
            case 9...14:
                let address = live.isEmpty || random.next() % 15 == 0 ? 0x999_000 : live.remove(at: Int(random.next() % UInt64(live.count)))
                dump.free(ts: stamp, thread: thread, address: address, stack: stack)
            case 15:
                dump.threadName(ts: stamp, thread: thread, "t\(thread)")
            default:
                guard !live.isEmpty else { continue }
                let i = Int(random.next() % UInt64(live.count))
                switch random.next() % 6 {
                case 0:  // failed: the block stays
                    dump.realloc(ts: stamp, thread: thread, from: live[i], to: 0, size: 64, stack: stack)
                case 1:  // to size 0: freed
                    dump.realloc(ts: stamp, thread: thread, from: live[i], to: 0, size: 0, stack: stack)
                    live.remove(at: i)
                case 2:  // of a block never allocated
                    dump.realloc(ts: stamp, thread: thread, from: 0x777_000, to: nextAddress, size: 32, stack: stack)
                    live.append(nextAddress)
                    nextAddress += 0x100
                default:
                    let moves = random.next() % 2 == 0
                    let new = moves ? nextAddress : live[i]
                    if moves { nextAddress += 0x100 }
                    dump.realloc(ts: stamp, thread: thread, from: live[i], to: new, size: 1 + random.next() % 8192, stack: stack)
                    live[i] = new
                }
            }
        }
        dump.end(ts: ts + 10)
        return dump.records
    }

    func tally(_ records: [Record], threads: [UInt32], windows: [ViewTally.Window]) -> ViewTally {
        let tally = ViewTally(threads: threads, windows: windows)
        for record in records { tally.consume(record) }
        return tally
    }

    func sites(_ analysis: Analysis) -> [(UInt32, Costs)] { analysis.sites.map { ($0.stack, $0.costs) } }

    /// `view` as an analysis with the view's options gives it, its allocator frames classified
    /// as the run's are (`run`).
    func expectSame(_ view: Analysis, _ expected: Analysis, run: Analysis, _ comment: Comment) {
        #expect(sites(view).map(\.0) == sites(expected).map(\.0), comment)
        #expect(sites(view).map(\.1) == sites(expected).map(\.1), comment)
        #expect(view.topDown == expected.topDown, comment)
        #expect(view.bottomUp == expected.bottomUp, comment)
        #expect(view.allocatorFrames == run.allocatorFrames, comment)
        // Through the default frame filter, as the report draws them.
        var filtered = view
        ViewTrees(filter: FrameFilter(), symbols: view.symbols).apply(to: &filtered)
        var classifiedAsTheRun = expected
        classifiedAsTheRun.allocatorFrames = run.allocatorFrames
        let reference = FrameFilter().apply(to: classifiedAsTheRun)
        #expect(filtered.topDown == reference.topDown, comment)
        #expect(filtered.bottomUp == reference.bottomUp, comment)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func viewsEqualIndependentAnalyses(seed: UInt64) {
        let records = randomDump(seed: seed)
        let run = analyze(records)
        let duration = run.totals.durationNanoseconds
        var random = SeededRandom(seed: seed &* 77)
        // Ten equal slices (touching at their ends), the peak's, and a few random ones.
        var windows = (0..<10).map { i in
            ViewTally.Window(from: duration.scaled(by: UInt64(i), over: 10), to: duration.scaled(by: UInt64(i + 1), over: 10))
        }
        let peak = run.totals.peakTimeNanoseconds
        windows.append(ViewTally.Window(from: peak - min(peak, duration / 20), to: peak + duration / 20))
        for _ in 0..<4 {
            let a = random.next() % (duration + 1), b = random.next() % (duration + 1)
            windows.append(ViewTally.Window(from: min(a, b), to: max(a, b)))
        }
        windows.append(ViewTally.Window(from: duration + 1, to: duration + 5))  // after the run
        let threads: [UInt32] = [3, 1, 4, 2, 99]  // 99 allocates nothing
        let (threadCosts, windowCosts) = tally(records, threads: threads, windows: windows).finish()
        for (thread, costs) in zip(threads, threadCosts) {
            var options = AnalysisOptions()
            options.thread = thread
            expectSame(run.viewAnalysis(costs: costs, options: options, trees: true), analyze(records, options: options), run: run,
                       "seed \(seed), thread \(thread)")
        }
        for (window, costs) in zip(windows, windowCosts) {
            var options = AnalysisOptions()
            options.windowStartNanoseconds = window.from
            options.windowEndNanoseconds = window.to
            expectSame(run.viewAnalysis(costs: costs, options: options, trees: true), analyze(records, options: options), run: run,
                       "seed \(seed), window \(window.from)...\(window.to)")
        }
    }

    /// A view hides the wrappers the run detected, though its own few stacks would not show
    /// them: an unnamed function of a stripped library called by twelve callers is a wrapper
    /// for the run, but a window of two of its stacks (fewer than
    /// ``AllocatorFrames/detectionMinimumStacks``) would not detect it; the window's view
    /// names its sites past it, as the run's flamegraph does.
    @Test func viewsClassifyAllocatorFramesAsTheRun() {
        func dump(callers: Int) -> [Record] {
            var dump = DumpBuilder()
            let lib = "/usr/lib/libstripped.so.0"
            let wrapper = dump.codeFrame(module: lib, offset: 0x1f504)
            let main = dump.codeFrame("main", module: "/usr/bin/tool", offset: 0x5100)
            for caller in 0..<callers {
                let callerFrame = dump.codeFrame(module: lib, offset: 0x40000 + UInt64(caller) * 0x100)
                dump.alloc(ts: UInt64(caller + 1), address: 0x1000 * UInt64(caller + 1), size: 64,
                           stack: dump.stack(frames: [main, callerFrame, wrapper]))
            }
            return dump.records
        }
        let wrapper = "libstripped.so.0+0x1f504"
        let run = analyze(dump(callers: 12))
        #expect(run.allocatorFrames.skipped.contains { $0.name == wrapper })
        #expect(!analyze(dump(callers: 2)).allocatorFrames.skipped.contains { $0.name == wrapper },
                "two stacks are too few to detect it")
        // The view of the run's first two allocations (ticks 1 and 2): drawn past the wrapper.
        let (_, windowCosts) = tally(dump(callers: 12), threads: [], windows: [ViewTally.Window(from: 0, to: 2)]).finish()
        #expect(windowCosts[0].count == 2)
        var view = run.viewAnalysis(costs: windowCosts[0], options: AnalysisOptions())
        #expect(view.allocatorFrames == run.allocatorFrames)
        ViewTrees(filter: FrameFilter(), symbols: view.symbols).apply(to: &view)
        let leaves = view.bottomUp.nodes[0].children.map { view.symbols.displayName(ofFrame: view.bottomUp.nodes[$0].frame) }
        #expect(leaves.count == 2 && !leaves.contains(wrapper))
    }

    /// Leak suppressions zero a view's leaks as they zero an analysis' with the same rules.
    @Test func suppressionsApplyToViews() throws {
        let records = randomDump(seed: 11)
        var options = AnalysisOptions(suppressions: try Suppressions(parsing: "leak:site3\nleak:work1\n"))
        let run = analyze(records, options: options)
        let (threadCosts, windowCosts) = tally(records, threads: [2], windows: [ViewTally.Window(from: 0, to: run.totals.durationNanoseconds / 2)]).finish()
        options.thread = 2
        let thread = run.viewAnalysis(costs: threadCosts[0], options: options, trees: true)
        let expected = analyze(records, options: options)
        #expect(expected.totals.suppressedBlocks > 0, "the rules match leaks of thread 2")
        expectSame(thread, expected, run: run, "thread 2")
        options.thread = nil
        options.windowEndNanoseconds = run.totals.durationNanoseconds / 2
        expectSame(run.viewAnalysis(costs: windowCosts[0], options: options, trees: true), analyze(records, options: options), run: run,
                   "first half")
    }

    /// A block allocated over another thread's live block: the first thread's view keeps
    /// its block live until its address is freed (as a --thread analysis does), and both
    /// views release at that free.
    @Test func anotherThreadsAllocationOverALiveBlock() {
        var dump = DumpBuilder()
        let a = dump.stack("main", "a"), b = dump.stack("main", "b")
        dump.alloc(ts: 10, thread: 1, address: 0x100, size: 16, stack: a)
        dump.alloc(ts: 20, thread: 2, address: 0x100, size: 32, stack: b)  // its free was missed
        dump.alloc(ts: 30, thread: 1, address: 0x200, size: 8, stack: a)
        dump.free(ts: 40, thread: 3, address: 0x100)
        dump.alloc(ts: 50, thread: 1, address: 0x300, size: 4, stack: a)
        dump.alloc(ts: 60, thread: 2, address: 0x300, size: 64, stack: b)
        dump.alloc(ts: 70, thread: 1, address: 0x300, size: 2, stack: a)  // thread 1 again: its old block goes
        let records = dump.records
        let run = analyze(records)
        let (threadCosts, _) = tally(records, threads: [1, 2], windows: []).finish()
        for (thread, costs) in zip([UInt32(1), 2], threadCosts) {
            var options = AnalysisOptions()
            options.thread = thread
            expectSame(run.viewAnalysis(costs: costs, options: options, trees: true), analyze(records, options: options), run: run,
                       "thread \(thread)")
        }
        #expect(threadCosts[0].first?.costs.leakedBlocks == 2, "thread 1: 0x200 and the last 0x300")
    }

    /// Memory: one live-block table whatever the number of views, emptied as blocks are
    /// freed (a table of every address ever used would hold 100,000 entries here).
    @Test func tableHoldsLiveBlocksOnly() {
        var dump = DumpBuilder()
        let s = dump.stack("main", "churn")
        for i in 0..<100_000 {
            let address = 0x1000 + UInt64(i) * 16
            dump.alloc(ts: UInt64(i) * 2, thread: UInt32(1 + i % 3), address: address, size: 16, stack: s)
            if i % 100 != 0 { dump.free(ts: UInt64(i) * 2 + 1, thread: 1, address: address) }
        }
        let tally = ViewTally(threads: [1, 2, 3], windows: (0..<11).map { ViewTally.Window(from: UInt64($0) * 20_000, to: UInt64($0 + 1) * 20_000) })
        for record in dump.records { tally.consume(record) }
        #expect(tally.liveBlockCount == 1_000)
        #expect(tally.liveBlockCapacity <= 8_192, "the initial slots: the table did not grow with the 100,000 addresses: \(tally.liveBlockCapacity)")
        let (threads, windows) = tally.finish()
        #expect(threads.map { $0.reduce(0) { $0 + $1.costs.allocations } }.reduce(0, +) == 100_000)
        #expect(windows.count == 11)
    }
}
