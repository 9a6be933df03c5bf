@testable import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

@Suite struct SuppressionTests {
    @Test func patternsFollowLeakSanitizer() {
        #expect(Suppressions.matches("cache_insert", "cache_insert"))
        #expect(Suppressions.matches("insert", "cache_insert"))
        #expect(Suppressions.matches("^cache", "cache_insert"))
        #expect(!Suppressions.matches("^insert", "cache_insert"))
        #expect(Suppressions.matches("insert$", "cache_insert"))
        #expect(!Suppressions.matches("cache$", "cache_insert"))
        #expect(Suppressions.matches("c*_ins*t", "cache_insert"))
        #expect(Suppressions.matches("^c*t$", "cache_insert"))
        #expect(!Suppressions.matches("^c*x$", "cache_insert"))
        #expect(Suppressions.matches("libfoo.so", "/usr/lib/libfoo.so.1"))
    }

    @Test func parsingSkipsCommentsAndOtherSanitizers() throws {
        let s = try Suppressions(parsing: "# a comment\n\nleak:foo\nrace:bar\n  leak:libz.so  \n")
        #expect(s.rules == [Suppressions.Rule(pattern: "foo", line: 3), Suppressions.Rule(pattern: "libz.so", line: 5)])
        #expect(throws: Suppressions.ParseError.self) { try Suppressions(parsing: "leak foo\n") }
    }

    @Test func suppressedLeaksLeaveTheLeakFiguresAndAreCounted() {
        var dump = DumpBuilder()
        let cache = dump.stack("main", "cache_insert")
        let other = dump.stack("main", "parse")
        dump.alloc(ts: 1, address: 0x10, size: 100, stack: cache)
        dump.alloc(ts: 2, address: 0x20, size: 100, stack: cache)
        dump.alloc(ts: 3, address: 0x30, size: 7, stack: other)
        let rules = Suppressions(rules: [Suppressions.Rule(pattern: "cache_*", line: 1)])
        let a = analyze(dump.records, options: AnalysisOptions(suppressions: rules))
        #expect(a.totals.leakedBytes == 7 && a.totals.leakedBlocks == 1)
        #expect(a.totals.suppressedBytes == 200 && a.totals.suppressedBlocks == 2)
        #expect(a.suppressed == [SuppressedLeaks(pattern: "cache_*", line: 1, sites: 1, blocks: 2, bytes: 200)])
        #expect(a.topDown.nodes[0].totalCosts.leakedBytes == 7)
    }
}
