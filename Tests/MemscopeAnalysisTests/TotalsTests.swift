@testable import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

@Suite struct TotalsTests {
    @Test func temporaryFollowsHeaptracksRule() {
        // Given: a block freed right after its allocation, and one with a free in between.
        var dump = DumpBuilder()
        let s = dump.stack("main", "f")
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: s)
        dump.free(ts: 2, address: 0x10)                       // temporary
        dump.alloc(ts: 3, address: 0x20, size: 8, stack: s)
        dump.alloc(ts: 4, address: 0x30, size: 8, stack: s)
        dump.free(ts: 5, address: 0x20)                       // not: 0x30 came after it
        dump.free(ts: 6, address: 0x30)                       // not: a free came in between
        // When
        let a = analyze(dump.records)
        // Then
        #expect(a.totals.temporaryAllocations == 1)
        #expect(a.sites.first { $0.stack == s }?.costs.temporaryAllocations == 1)
    }

    @Test func peakIsReachedOnceAndAttributedPerSite() {
        var dump = DumpBuilder()
        let a1 = dump.stack("main", "a")
        let b1 = dump.stack("main", "b")
        dump.alloc(ts: 10, address: 0x10, size: 100, stack: a1)
        dump.alloc(ts: 20, address: 0x20, size: 50, stack: b1)   // peak 150 at 20: a=100, b=50
        dump.free(ts: 30, address: 0x10)
        dump.alloc(ts: 40, address: 0x30, size: 100, stack: b1)  // 150 again: not a new peak
        dump.alloc(ts: 50, address: 0x40, size: 10, stack: b1)   // 160: new peak, a=0, b=160
        dump.free(ts: 60, address: 0x40)
        let a = analyze(dump.records)
        #expect(a.totals.peakBytes == 160)
        #expect(a.totals.peakTimeNanoseconds == 50)
        #expect(a.sites.first { $0.stack == a1 }?.costs.peakBytes == 0)
        #expect(a.sites.first { $0.stack == b1 }?.costs.peakBytes == 160)
        #expect(a.topDown.nodes[0].totalCosts.peakBytes == 160)
    }

    @Test func reallocSemantics() {
        var dump = DumpBuilder()
        let s = dump.stack("main", "grow")
        dump.realloc(ts: 1, from: 0, to: 0x100, size: 8, stack: s)        // realloc(NULL): an allocation
        dump.realloc(ts: 2, from: 0x100, to: 0x100, size: 16, stack: s)   // in place
        dump.realloc(ts: 3, from: 0x100, to: 0x200, size: 32, stack: s)   // moved
        dump.realloc(ts: 4, from: 0x200, to: 0, size: 64, stack: s)       // failed: block stays
        dump.realloc(ts: 5, from: 0x200, to: 0, size: 0, stack: s)        // realloc(p, 0): freed
        let a = analyze(dump.records)
        #expect(a.totals.allocations == 3)
        #expect(a.totals.reallocs == 2)
        #expect(a.totals.bytesAllocated == 8 + 16 + 32)
        #expect(a.totals.frees == 3)
        #expect(a.totals.leakedBytes == 0)
        #expect(a.totals.failedAllocations == 1)
        #expect(a.totals.peakBytes == 32)
        #expect(a.reallocChains == ReallocChains(chains: 1, reallocs: 2, longest: 2, longestRootStack: s, moves: 1))
        #expect(a.addressReuse.distinctAddresses == 2)
        #expect(a.addressReuse.reusedAddresses == 0)  // an in-place realloc is not reuse
    }

    @Test func doubleAndInvalidFreesNameTheirStacks() {
        var dump = DumpBuilder()
        let alloc = dump.stack("main", "make")
        let free1 = dump.stack("main", "release")
        let free2 = dump.stack("main", "cleanup")
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: alloc)
        dump.free(ts: 2, address: 0x10, stack: free1)
        dump.free(ts: 3, address: 0x10, stack: free2)
        dump.free(ts: 4, address: 0x10, stack: free2)
        dump.free(ts: 5, address: 0xBAD, stack: free1)
        dump.free(ts: 6, address: 0, stack: free1)  // free(NULL) is no error
        let a = analyze(dump.records)
        #expect(a.totals.errors == 3)
        #expect(a.totals.nullFrees == 1)
        #expect(a.errors.count == 2)
        let double = a.errors[0]
        #expect(double.kind == .doubleFree)
        #expect(double.count == 2)
        #expect(double.stack == free2 && double.allocationStack == alloc && double.firstFreeStack == free1)
        #expect(double.firstTimeNanoseconds == 3)
        #expect(a.errors[1].kind == .invalidFree && a.errors[1].stack == free1 && a.errors[1].firstAddress == 0xBAD)
        #expect(a.totals.frees == 1)
    }

    @Test func crossThreadFreesAndThreads() {
        var dump = DumpBuilder()
        dump.threadName(ts: 0, thread: 2, "producer")
        dump.alloc(ts: 1, thread: 2, address: 0x10, size: 8)
        dump.alloc(ts: 2, thread: 2, address: 0x20, size: 8)
        dump.free(ts: 3, thread: 3, address: 0x10)
        dump.free(ts: 4, thread: 3, address: 0x20)
        dump.alloc(ts: 5, thread: 3, address: 0x30, size: 4)
        dump.free(ts: 6, thread: 3, address: 0x30)
        let a = analyze(dump.records)
        #expect(a.totals.crossThreadFrees == 2)
        #expect(a.crossThread == [ThreadPair(allocatingThread: 2, freeingThread: 3, blocks: 2, bytes: 16)])
        #expect(a.totals.threads == 2)
        #expect(a.threads.map(\.name) == ["producer", ""])
        #expect(a.threadLabel(2) == "2 \"producer\"")
    }

    @Test func lifetimesAreBucketedByDecade() {
        var dump = DumpBuilder()
        let s = dump.stack("main")
        dump.alloc(ts: 0, address: 0x10, size: 1, stack: s)
        dump.alloc(ts: 0, address: 0x20, size: 1, stack: s)
        dump.alloc(ts: 0, address: 0x30, size: 1, stack: s)
        dump.free(ts: 500, address: 0x10)            // 500 ns  → <1µs
        dump.free(ts: 5_000_000, address: 0x20)      // 5 ms    → <10ms
        dump.free(ts: 200_000_000_000, address: 0x30) // 200 s  → ≥100s
        let lifetimes = analyze(dump.records).sites[0].lifetimes
        #expect(lifetimes.buckets == [1, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        #expect(lifetimes.minNanoseconds == 500 && lifetimes.maxNanoseconds == 200_000_000_000)
        #expect(lifetimes.count == 3)
    }

    @Test func clockUnitScalesTimes() {
        var dump = DumpBuilder(metadata: Metadata(producer: "t", producerVersion: "1", clockUnitNanoseconds: 1000))
        dump.alloc(ts: 7, address: 0x10, size: 8)
        dump.free(ts: 9, address: 0x10)
        let a = analyze(dump.records)
        #expect(a.totals.peakTimeNanoseconds == 7000)
        #expect(a.totals.durationNanoseconds == 9000)
        #expect(a.sites[0].lifetimes.maxNanoseconds == 2000)
    }

    @Test func missingFreeAndBackwardTimeAreWarnedOnce() {
        var dump = DumpBuilder()
        dump.alloc(ts: 10, address: 0x10, size: 8)
        dump.alloc(ts: 5, address: 0x10, size: 8)
        dump.alloc(ts: 4, address: 0x10, size: 8)
        let a = analyze(dump.records)
        let keys = a.diagnostics.groups.map(\.key)
        #expect(keys == ["time-backwards", "alloc-at-live"])
        #expect(a.diagnostics.groups.allSatisfy { $0.count == 2 })
        #expect(a.totals.leakedBytes == 8)
    }

    @Test func forgedHugeSizesDoNotTrap() {
        // 70 000 live blocks of 2^48 bytes: more than 64 bits of bytes. Sums wrap, nothing traps.
        var dump = DumpBuilder()
        let s = dump.stack("main")
        for i in 0..<70_000 { dump.alloc(ts: UInt64(i), address: 0x1000 + UInt64(i) * 16, size: 1 << 48, stack: s) }
        let a = analyze(dump.records)
        #expect(a.totals.allocations == 70_000)
        #expect(a.totals.leakedBlocks == 70_000)
    }
}

/// `callTrees: false` (summary, check) gives the same figures and sites with no trees.
@Suite struct WithoutCallTreesTests {
    @Test func figuresAndSitesAreTheSameWithoutTheTrees() {
        var dump = DumpBuilder()
        let a = dump.stack("main", "parse", "alloc_node")
        let b = dump.stack("main", "render", "alloc_node")
        dump.alloc(ts: 1, address: 0x10, size: 64, stack: a)
        dump.alloc(ts: 2, address: 0x20, size: 32, stack: b)
        dump.free(ts: 3, address: 0x10)
        dump.alloc(ts: 4, address: 0x30, size: 16, stack: a)
        var options = AnalysisOptions.default
        options.callTrees = false
        let with = analyze(dump.records)
        let without = analyze(dump.records, options: options)
        #expect(!with.topDown.nodes.isEmpty && !with.bottomUp.nodes.isEmpty)
        #expect(without.topDown.nodes.isEmpty && without.bottomUp.nodes.isEmpty)
        #expect(without.totals == with.totals)
        #expect(without.sites.map(\.stack) == with.sites.map(\.stack))
        #expect(without.sites.map(\.costs) == with.sites.map(\.costs))
        #expect(Summary(analysis: without, format: "msd", path: "d").text() == Summary(analysis: with, format: "msd", path: "d").text())
        #expect(Summary(analysis: without, format: "msd", path: "d").json == Summary(analysis: with, format: "msd", path: "d").json)
    }
}
