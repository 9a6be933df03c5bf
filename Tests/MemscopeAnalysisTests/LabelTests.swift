@testable import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

@Suite struct LabelTests {
    @Test func siteTitleSkipsAllocatorAndRuntimeFrames() {
        var dump = DumpBuilder()
        let rust = dump.stack("main", "app::load_config", "alloc::raw_vec::finish_grow", "__rust_alloc")
        let cpp = dump.stack("main", "Parser::parse", "std::vector<int>::_M_realloc_insert", "operator new(unsigned long)", "malloc")
        let plain = dump.stack("main", "make_node")
        let onlyRuntime = dump.stack("malloc")
        for (i, s) in [rust, cpp, plain, onlyRuntime].enumerated() { dump.alloc(ts: UInt64(i), address: 0x10 + UInt64(i) * 16, size: 8, stack: s) }
        let a = analyze(dump.records)
        #expect(a.siteTitle(rust) == "app::load_config (app::load_config.c:10) [prog], via __rust_alloc")
        #expect(a.siteTitle(cpp) == "Parser::parse (Parser::parse.c:10) [prog], via malloc")
        #expect(a.siteTitle(plain) == "make_node (make_node.c:10) [prog]")
        #expect(a.siteTitle(onlyRuntime) == "malloc (malloc.c:10) [prog]")
    }

    @Test func longPathsKeepTheirLastParts() {
        #expect(shortPath("src/main.c:10") == "src/main.c:10")
        #expect(shortPath("/rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/alloc/src/raw_vec.rs:785")
                == "…/alloc/src/raw_vec.rs:785")
    }
}

@Suite struct SizeBucketTests {
    @Test func bucketsArePowersOfTwo() {
        let cases: [(UInt64, Int)] = [(0, 0), (1, 0), (8, 0), (9, 1), (16, 1), (17, 2), (32, 2), (33, 3), (1024, 7),
                                      (1025, 8), (16_384, 11), (16_385, 12), (65_536, 12), (65_537, 13), (1_048_576, 14), (1_048_577, 15)]
        for (size, bucket) in cases { #expect(SizeBuckets.bucket(forSize: size) == bucket, "\(size)") }
    }

    @Test func sitesCountTheirSizes() {
        var dump = DumpBuilder()
        let s = dump.stack("main", "f")
        for (i, size) in [4, 8, 30, 100, 5000].enumerated() { dump.alloc(ts: UInt64(i), address: 0x100 + UInt64(i) * 0x1000, size: UInt64(size), stack: s) }
        let a = analyze(dump.records)
        let site = a.sites[0]
        #expect(site.sizes.counts[0] == 2 && a.sizes.counts[0] == 2 && a.sizes.bytes[0] == 12)
        #expect(a.sizes.bytes.reduce(0, +) == a.totals.bytesAllocated)
        #expect(site.sizes.counts[2] == 1 && site.sizes.counts[4] == 1 && site.sizes.counts[10] == 1)
        #expect(site.sizes.tiny == 3)
    }
}
