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
