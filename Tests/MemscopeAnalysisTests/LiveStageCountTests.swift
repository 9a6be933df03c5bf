@testable import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// A site's size and lifetime counts are 32-bit in the live stage (so a site fits in three
/// cache lines); a count that passes `UInt32.max` carries into an overflow table, and the
/// analysis adds it back.
@Suite struct CountOverflowTests {
    @Test func sizeAndLifetimeCountsCarryPast32Bits() {
        var dump = DumpBuilder()
        let s = dump.stack("main", "make")
        dump.alloc(ts: 10, address: 0x1000, size: 24, stack: s)
        let analyzer = Analyzer()
        analyzer.consume(dump.records)
        // The site has one allocation of ≤32 B; pretend it had 2^32 - 1 of them and as many
        // frees of the lifetime bucket the next free falls in.
        let sizeBucket = SizeBuckets.bucket(forSize: 24)
        let lifetimeBucket = LifetimeBuckets.bucket(forNanoseconds: 10)
        analyzer.core.live.sites.sizes(0).pointee[sizeBucket] = UInt32.max
        analyzer.core.live.sites.lifetimes(0).pointee.buckets[lifetimeBucket] = UInt32.max
        let consumed = dump.records.count
        dump.free(ts: 20, address: 0x1000)
        dump.alloc(ts: 30, address: 0x2000, size: 24, stack: s)
        analyzer.consume(Array(dump.records[consumed...]))
        let site = analyzer.finish().sites[0]
        #expect(site.sizes.counts[sizeBucket] == UInt64(UInt32.max) + 1)
        #expect(site.costs.allocations == UInt64(UInt32.max) + 1)
        #expect(site.lifetimes.buckets[lifetimeBucket] == UInt64(UInt32.max) + 1)
    }
}

/// Hand-offs between the first 32 threads are counted in a small table, the rest in a
/// hash map: both give every pair.
@Suite struct HandOffCountTests {
    @Test func everyThreadPairIsCountedWhateverItsIndex() {
        var dump = DumpBuilder()
        let s = dump.stack("main", "make")
        let threads = 40
        for t in 0..<threads {
            dump.alloc(ts: UInt64(10 + t), thread: UInt32(100 + t), address: 0x1000 + UInt64(t) * 64, size: UInt64(8 + t), stack: s)
        }
        for t in 0..<threads {  // each block freed by the next thread
            dump.free(ts: UInt64(100 + t), thread: UInt32(100 + (t + 1) % threads), address: 0x1000 + UInt64(t) * 64)
        }
        let analysis = analyze(dump.records)
        #expect(analysis.totals.crossThreadFrees == UInt64(threads))
        #expect(analysis.crossThread.count == threads)
        for pair in analysis.crossThread {
            let t = Int(pair.allocatingThread) - 100
            #expect(Int(pair.freeingThread) - 100 == (t + 1) % threads)
            #expect(pair.blocks == 1 && pair.bytes == UInt64(8 + t))
        }
        // Largest bytes first.
        #expect(analysis.crossThread.first?.allocatingThread == UInt32(100 + threads - 1))
    }
}
