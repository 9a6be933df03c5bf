import Foundation
@testable import MemscopeImport
import MemscopeAnalysis
import MemscopeTestSupport
import Testing

@Suite struct DetectionTests {
    func detect(_ text: String) -> InputFormat { FormatSniffer.detect(head: Array(text.utf8)) }

    @Test func recognisesEachFormatByItsFirstBytes() {
        #expect(detect("v 10600 3\nX ./demo\n") == .heaptrack)
        #expect(detect("v 10200\n") == .heaptrack)
        #expect(detect("desc: --threshold=1.0\ncmd: ./demo\ntime_unit: ms\n") == .massif)
        #expect(detect("{\"dhatFileVersion\":2\n,\"mode\":\"heap\"") == .dhat)
        #expect(detect("{\n  \"metadata\": {\"export_version\": \"2.0\"},\n  \"allocations\": [") == .memscopeRs)
        #expect(detect("{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n{\"type\":\"meta\"}\n") == .jsonl)
        #expect(detect("main;parse;malloc 12\nmain;run 3\n") == .folded)
        #expect(detect("main (a.c);work (a.c); 7\n") == .folded)
        #expect(detect("==4242== Memcheck, a memory error detector\n") == .msd, "unknown text goes to the dump reader's error")
    }

    @Test func valgrindFrameLabels() {
        let source = ValgrindFrameLabel("0x401136: main (demo.c:12)")
        #expect(source.address == 0x401136 && source.function == "main" && source.file == "demo.c" && source.line == 12)
        let library = ValgrindFrameLabel("0x4AA1D9F: operator new(unsigned long) (in /usr/lib/libstdc++.so.6)")
        #expect(library.function == "operator new(unsigned long)" && library.module == "/usr/lib/libstdc++.so.6")
        let unknown = ValgrindFrameLabel("0x4010A0: ??? (in /usr/lib/libc.so.6)")
        #expect(unknown.function.isEmpty && unknown.key.address == 0x4010A0)
        #expect(ValgrindFrameLabel("0x4010A0: (below main) (in /usr/lib/libc.so.6)").function == "(below main)")
    }
}

@Suite struct HandMadeImportTests {
    func write(_ text: String) throws -> String {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("input").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The example of input-formats.md B.1: peak 96 B, 64 B leaked from main, nothing temporary.
    @Test func heaptrackDocumentationExample() throws {
        let path = try write("""
            v 10600 3
            X ./demo --n 2
            I 1000 3e44e5
            s 6 ./demo
            s 4 main
            s 6 demo.c
            i 401136 1 2 3 c
            t 1 0
            s 9 make_node
            i 401100 1 4 3 5
            t 2 1
            a 20 2
            + 0
            c a
            R 1a4
            a 40 1
            + 1
            - 0
            c 14
            R 1b0
            # strings: 4
            # ips: 2

            """)
        let (analysis, format) = try InputLoader.analyze(path: path)
        #expect(format == .heaptrack)
        #expect(analysis.totals.allocations == 2 && analysis.totals.peakBytes == 96)
        #expect(analysis.totals.leakedBytes == 64 && analysis.totals.temporaryAllocations == 0)
        #expect(analysis.totals.peakTimeNanoseconds == 10_000_000, "the second + is after `c a` (10 ms)")
        #expect(analysis.metadata.commandLine == ["./demo", "--n", "2"])
        let leak = try #require(analysis.sites.first { $0.costs.leakedBytes == 64 })
        #expect(analysis.symbols.frames(ofStack: leak.stack).map { analysis.symbols.displayName(ofFrame: $0) } == ["main"])
        #expect(analysis.notes.source == "heaptrack data file, format 3")
    }

    /// The reader's byte parser takes the usual spelling of `+`, `-`, `a` and `c` lines and
    /// hands every other one to the general parser: any spelling heaptrack's files may have
    /// (CR LF line ends, upper-case hex, leading zeros, more spaces, fields past the ones
    /// read, no line end at the end, sizes past 32 bits) reads as the usual one.
    @Test func heaptrackLineSpellingsReadAlike() throws {
        let usual = """
            v 10600 3
            s 4 main
            i 401136 0 1
            t 1 0
            s 4 leaf
            i 401100 0 2
            t 2 1
            a 20 2
            a 123456789ab 1
            a ffffffff 2
            + 0
            + 1
            c a
            + 2
            - 0
            + 0
            c 14
            - 2

            """
        let odd = usual.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
            switch i {
            case 7: return "a 20  2 7"
            case 8: return "a 123456789AB 01"
            case 10: return "+ 0000000000000000000"
            case 11: return "+ 1 "
            case 12: return "c A"
            case 14: return "- 00"
            default: return String(line)
            }
        }.joined(separator: "\r\n").dropLast()  // "\r\n" is one Character: no line end at the end
        let a = try InputLoader.analyze(path: try write(usual)).analysis
        let b = try InputLoader.analyze(path: try write(String(odd)), format: .heaptrack).analysis  // CR LF: not detected
        #expect(a.totals.allocations == 4 && a.totals.bytesAllocated == 0x20 * 2 + 0x123456789ab + 0xffffffff)
        #expect(a.totals.leakedBytes == 0x20 + 0x123456789ab && a.totals.durationNanoseconds == 20_000_000)
        #expect(a.totals == b.totals)
        #expect(a.sites.map(\.costs) == b.sites.map(\.costs))
        #expect(b.diagnostics.groups.isEmpty)
    }

    /// heaptrack's temporary rule (a free of the info of the immediately preceding +) equals
    /// memscope's address rule once frees are matched LIFO per allocation info.
    @Test func heaptrackTemporaryRuleMatches() throws {
        let path = try write("""
            v 10400 2
            s main
            i 1 1 1
            t 1 0
            a 10 1
            a 20 1
            + 0
            + 0
            - 0
            + 1
            - 0
            - 1
            + 1
            - 1

            """)
        let (analysis, _) = try InputLoader.analyze(path: path)
        // Temporary: the - 0 right after the second + 0, and the last - 1. Not: - 0 after + 1, - 1 after a free.
        #expect(analysis.totals.temporaryAllocations == 2)
        #expect(analysis.totals.allocations == 4 && analysis.totals.leakedBytes == 0)
        #expect(analysis.totals.peakBytes == 0x10 * 2 + 0x20 - 0x10, "peak: two 16 B blocks, then one freed before the 32 B one")
    }

    @Test func heaptrackInlinedFramesAreInnermostFirst() throws {
        let path = try write("""
            v 10600 3
            s 4 prog
            s 5 outer
            s 5 inner
            s 3 a.c
            i 400 1 3 4 7 2 4 3
            t 1 0
            a 8 1
            + 0

            """)
        let (analysis, _) = try InputLoader.analyze(path: path)
        let site = try #require(analysis.sites.first)
        let names = analysis.symbols.frames(ofStack: site.stack).map { analysis.symbols.displayName(ofFrame: $0) }
        #expect(names == ["inner", "outer"])
    }

    /// A massif tree's self bytes add up to its root, below-threshold lines included.
    @Test func massifTreeBytesAddUp() throws {
        let path = try write("""
            desc: (none)
            cmd: ./demo 2
            time_unit: ms
            #-----------
            snapshot=0
            #-----------
            time=0
            mem_heap_B=0
            mem_heap_extra_B=0
            mem_stacks_B=0
            heap_tree=empty
            #-----------
            snapshot=1
            #-----------
            time=12
            mem_heap_B=100
            mem_heap_extra_B=16
            mem_stacks_B=0
            heap_tree=peak
            n3: 100 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
             n0: 64 0x401136: main (demo.c:12)
             n1: 32 0x401100: make_node (demo.c:5)
              n0: 32 0x401140: main (demo.c:13)
             n0: 4 in 3 places, all below massif's threshold (1.00%)
            #-----------
            snapshot=2
            #-----------
            time=20
            mem_heap_B=64
            mem_heap_extra_B=8
            mem_stacks_B=0
            heap_tree=empty

            """)
        let (analysis, format) = try InputLoader.analyze(path: path)
        #expect(format == .massif)
        #expect(analysis.totals.peakBytes == 100 && analysis.totals.peakTimeNanoseconds == 12_000_000)
        #expect(analysis.totals.leakedBytes == 64)
        #expect(analysis.sites.reduce(0) { $0 + $1.costs.peakBytes } == 100)
        #expect(analysis.topDown.nodes[0].totalCosts.peakBytes == 100)
        #expect(analysis.timeline.points.map(\.maxLiveBytes).max() == 100)
        let names = analysis.sites.map { analysis.symbols.frames(ofStack: $0.stack).map { analysis.symbols.displayName(ofFrame: $0) } }
        #expect(names.contains(["make_node", "main"]) && names.contains(["[3 places below massif's threshold]"]))
    }

    @Test func foldedCostsAndFrames() throws {
        let path = try write("main;parse;malloc 12\nmain;parse;malloc 3\nmain;run 5\n")
        let (allocations, _) = try InputLoader.analyze(path: path)
        #expect(allocations.totals.allocations == 20 && allocations.totals.bytesAllocated == 0)
        #expect(allocations.sites.count == 2, "equal stacks add up")
        let (bytes, _) = try InputLoader.analyze(path: path, foldedCost: .bytes)
        #expect(bytes.totals.bytesAllocated == 20 && bytes.totals.allocations == 0)
        #expect(bytes.notes.inferred.first?.contains("--folded-cost bytes") == true)
    }
}

@Suite struct HeaptrackQuirkTests {
    /// heaptrack_print counts a free of allocation info 0 right after another free as
    /// temporary (checked by hand: `heaptrack_print` says 2 for this file); so does memscope.
    @Test func freeOfInfoZeroAfterAFreeCountsAsHeaptrackDoes() throws {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("quirk").path
        try Data("v 10400 2\ns main\ni 1 1 1\nt 1 0\na 10 1\na 20 1\n+ 0\n+ 1\n- 1\n- 0\n".utf8).write(to: URL(fileURLWithPath: path))
        let (analysis, _) = try InputLoader.analyze(path: path)
        #expect(analysis.totals.temporaryAllocations == 2)
        #expect(analysis.topDown.nodes[0].totalCosts.temporaryAllocations == 2)
        #expect(analysis.notes.inferred.contains { $0.contains("as heaptrack_print counts them") })
        if isInstalled("heaptrack_print") {
            let printed = try run("heaptrack_print", [path])
            #expect(printed.stdout.contains("temporary memory allocations: 2 ("))
        }
    }
}

@Suite struct HeaptrackSuppressionTests {
    /// Leaks in a built-in suppressed function (tzset_internal) and in one matching an
    /// embedded `leak:cache_*` are not counted; heaptrack_print says 7B leaked, 356B suppressed.
    @Test func leaksMatchingSuppressionsAreNotCountedAsHeaptrackPrintDoes() throws {
        let text = "v 10400 2\nX ./supp\nS leak:cache_*\ns ./supp\ns main\ns tzset_internal\ns cache_insert\ns keep_me\n"
            + "i 10 1 2\nt 1 0\ni 20 1 3\nt 2 1\ni 30 1 4\nt 3 1\ni 40 1 5\nt 4 1\na 64 2\na 100 3\na 7 4\n+ 0\n+ 1\n+ 1\n+ 2\n- 1\n"
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("supp").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let (analysis, _) = try InputLoader.analyze(path: path)
        #expect(analysis.totals.leakedBytes == 7 && analysis.totals.leakedBlocks == 1)
        #expect(analysis.topDown.nodes[0].totalCosts.leakedBytes == 7)
        #expect(analysis.notes.inferred.contains { $0.hasPrefix("Leaked: 356 bytes at 2 sites") })
        if isInstalled("heaptrack_print") {
            let printed = try run("heaptrack_print", [path]).stdout
            #expect(printed.contains("total memory leaked: 7B\n") && printed.contains("suppressed leaks: 356B\n"))
        }
    }

    @Test func templateMatchFollowsLeakSanitizer() {
        func match(_ template: String, _ text: String) -> Bool {
            HeaptrackSuppressions.templateMatch(Array(template.utf8), Array(text.utf8))
        }
        #expect(match("cache_*", "cache_insert") && match("insert", "cache_insert"))
        #expect(match("^cache", "cache_insert") && !match("^insert", "cache_insert"))
        #expect(match("insert$", "cache_insert") && !match("cache$", "cache_insert"))
        #expect(match("a*c", "abc") && !match("a*d", "abc") && !match("x", ""))
        #expect(HeaptrackSuppressions.pattern(ofSuppressionLine: " 10 leak:foo ") == "foo")
    }
}
