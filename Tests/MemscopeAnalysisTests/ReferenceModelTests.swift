@testable import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The analysis against a deliberately naive reimplementation, on random event streams.
@Suite struct ReferenceModelTests {
    struct Expected: Equatable {
        var allocations: UInt64 = 0, frees: UInt64 = 0, bytes: UInt64 = 0, peak: UInt64 = 0
        var leaked: UInt64 = 0, leakedBlocks: UInt64 = 0, temporary: UInt64 = 0, errors: UInt64 = 0
        var crossThread: UInt64 = 0
        var leakedByStack: [UInt32: UInt64] = [:]
    }

    /// Straight from the definitions: a dictionary of live blocks, a list of freed ones.
    func reference(_ records: [Record]) -> Expected {
        var e = Expected()
        var live: [UInt64: (size: UInt64, stack: UInt32, thread: UInt32)] = [:]
        var everFreed: Set<UInt64> = []
        var current: UInt64 = 0
        var lastAllocated: UInt64 = 0
        for record in records {
            switch record {
            case .alloc(let a):
                live[a.address] = (a.size, a.stack, a.thread)
                e.allocations += 1
                e.bytes += a.size
                current += a.size
                e.peak = max(e.peak, current)
                lastAllocated = a.address
            case .free(let f):
                if let block = live.removeValue(forKey: f.address) {
                    if lastAllocated == f.address { e.temporary += 1 }
                    lastAllocated = 0
                    if block.thread != f.thread { e.crossThread += 1 }
                    current -= block.size
                    e.frees += 1
                    everFreed.insert(f.address)
                } else {
                    e.errors += 1
                }
            default: break
            }
        }
        e.leaked = live.values.reduce(0) { $0 + $1.size }
        e.leakedBlocks = UInt64(live.count)
        for block in live.values { e.leakedByStack[block.stack, default: 0] += block.size }
        return e
    }

    func randomDump(seed: UInt64) -> [Record] {
        var rng = SeededRandom(seed: seed)
        var dump = DumpBuilder()
        let stacks = (0..<12).map { i in dump.stack(["main", "f\(i % 4)", "g\(i)"]) }
        var live: [UInt64] = []
        var nextAddress: UInt64 = 0x1000
        var freed: [UInt64] = []
        for ts in 0..<UInt64(400 + rng.next() % 400) {
            let roll = rng.next() % 100
            let thread = UInt32(1 + rng.next() % 3)
            if roll < 50 || live.isEmpty {
                let address: UInt64
                if !freed.isEmpty && rng.next() % 2 == 0 {
                    address = freed.removeLast()
                } else {
                    address = nextAddress
                    nextAddress += 64
                }
                dump.alloc(ts: ts, thread: thread, address: address, size: 1 + rng.next() % 300,
                           stack: stacks[Int(rng.next() % 12)])
                live.append(address)
            } else if roll < 97 {
                let i = Int(rng.next() % UInt64(live.count))
                let address = live.remove(at: i)
                dump.free(ts: ts, thread: thread, address: address, stack: stacks[0])
                freed.append(address)
            } else {
                dump.free(ts: ts, thread: thread, address: 0xDEAD_0000 + rng.next() % 4, stack: stacks[1])
            }
        }
        return dump.records
    }

    @Test(arguments: 0..<60)
    func matchesTheNaiveModel(seed: Int) {
        let records = randomDump(seed: UInt64(seed))
        let e = reference(records)
        let a = analyze(records)
        let t = a.totals
        #expect(t.allocations == e.allocations && t.frees == e.frees && t.bytesAllocated == e.bytes, "seed \(seed)")
        #expect(t.peakBytes == e.peak && t.leakedBytes == e.leaked && t.leakedBlocks == e.leakedBlocks, "seed \(seed)")
        #expect(t.temporaryAllocations == e.temporary && t.errors == e.errors, "seed \(seed)")
        #expect(t.crossThreadFrees == e.crossThread, "seed \(seed)")
        let leakedByStack = Dictionary(uniqueKeysWithValues: a.sites.filter { $0.costs.leakedBytes > 0 }
            .map { ($0.stack, $0.costs.leakedBytes) })
        #expect(leakedByStack == e.leakedByStack, "seed \(seed)")
    }

    @Test(arguments: 0..<30)
    func treesConserveEveryCost(seed: Int) {
        let a = analyze(randomDump(seed: UInt64(1000 + seed)))
        var siteSum = Costs()
        for site in a.sites { siteSum += site.costs }
        for tree in [a.topDown, a.bottomUp] {
            #expect(tree.nodes[0].totalCosts == siteSum, "seed \(seed) \(tree.direction)")
            #expect(siteSum.peakBytes == a.totals.peakBytes, "seed \(seed)")
            for node in tree.nodes {
                var children = node.selfCosts
                for child in node.children { children += tree.nodes[child].totalCosts }
                #expect(children == node.totalCosts, "seed \(seed) \(tree.direction)")
            }
        }
    }

    @Test(arguments: [2, 7, 64, 2048])
    func timelineKeepsThePeakWithinItsPointBudget(points: Int) {
        let records = randomDump(seed: 77)
        let a = analyze(records, options: AnalysisOptions(timelinePoints: points))
        #expect(a.timeline.points.count <= points)
        #expect(a.timeline.points.map(\.maxLiveBytes).max() == a.totals.peakBytes)
        #expect(a.timeline.points.reduce(0) { $0 + $1.allocations } == a.totals.allocations)
        #expect(a.timeline.points.last?.endLiveBytes == a.totals.leakedBytes)
        let peakPoint = a.timeline.points.firstIndex { $0.maxLiveBytes == a.totals.peakBytes }!
        let start = a.timeline.points[peakPoint].timeNanoseconds
        #expect(start <= a.totals.peakTimeNanoseconds && a.totals.peakTimeNanoseconds < start + a.timeline.intervalNanoseconds)
    }

    @Test func sameEventsWithShuffledTablesGiveTheSameTotals() {
        // Determinism: two runs of the same input give equal analyses.
        let records = randomDump(seed: 5)
        #expect(analyze(records) == analyze(records))
    }
}
