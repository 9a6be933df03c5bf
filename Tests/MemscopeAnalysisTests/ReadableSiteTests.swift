@testable import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Names on real programs: stripped frames, allocation wrappers, two calls on one line,
/// roots without `main`, long C++ and Rust names.
@Suite struct ReadableSiteTests {
    @Test func framesWithoutSymbolsAreNamedByModuleAndOffset() {
        var dump = DumpBuilder()
        let frame = dump.codeFrame(module: "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", offset: 0xa7504, buildID: "5221b80b")
        let a = analyze(dump.records)
        #expect(a.symbols.displayName(ofFrame: frame) == "libsqlite3.so.0+0xa7504")
        #expect(a.symbols.stableCodeKey(ofFrame: frame) == "5221b80b+0xa7504")
    }

    /// sqlite's shape: malloc ← an unnamed static wrapper ← sqlite3Malloc ← many callers.
    static func sqliteLike(detect: Bool = true, patterns: [String] = []) -> (Analysis, [UInt32]) {
        var dump = DumpBuilder()
        let lib = "/usr/lib/libsqlite3.so.0"
        let memMalloc = dump.codeFrame(module: lib, offset: 0x1f504)
        let malloc3 = dump.codeFrame("sqlite3Malloc", module: lib, offset: 0x2a011)
        let main = dump.codeFrame("main", module: "/usr/bin/sqlite3", offset: 0x5100)
        var stacks: [UInt32] = []
        for caller in 0..<12 {
            let callerFrame = dump.codeFrame(module: lib, offset: 0x40000 + UInt64(caller) * 0x100)
            stacks.append(dump.stack(frames: [main, callerFrame, malloc3, memMalloc]))
        }
        let other = dump.codeFrame("load_config", module: "/usr/bin/sqlite3", offset: 0x6000)
        stacks.append(dump.stack(frames: [main, other]))
        for (i, stack) in stacks.enumerated() {
            dump.alloc(ts: UInt64(i + 1), address: 0x1000 * UInt64(i + 1), size: 64, stack: stack)
        }
        var options = AnalysisOptions()
        options.detectWrappers = detect
        options.wrapperPatterns = patterns
        return (analyze(dump.records, options: options), stacks)
    }

    @Test func unnamedWrappersAreDetectedAndSiteNamesGoPastThem() {
        let (a, stacks) = Self.sqliteLike()
        #expect(a.siteTitle(stacks[3]).hasPrefix("libsqlite3.so.0+0x40300, via libsqlite3.so.0+0x1f504"))
        #expect(a.siteTitle(stacks[12]).hasPrefix("load_config"))
        let skipped = a.allocatorFrames.skipped
        let detected = skipped.first { $0.name == "libsqlite3.so.0+0x1f504" }
        #expect(detected?.stacks == 12)
        #expect(detected?.rule == .detected(stacks: 12, callers: 12))
        #expect(skipped.contains { $0.name == "sqlite3Malloc" && $0.rule == .builtIn })
        // The frame filter hides them too.
        let shown = FrameFilter().apply(to: a)
        let leaves = shown.bottomUp.nodes[0].children.map { a.symbols.displayName(ofFrame: shown.bottomUp.nodes[$0].frame) }
        #expect(!leaves.contains("libsqlite3.so.0+0x1f504"))
        #expect(leaves.contains("libsqlite3.so.0+0x40300"))
    }

    @Test func anUnnamedFrameCalledOnlyByWrappersIsOne() {
        // sqlite's realloc path: realloc ← unnamed sqlite3MemRealloc ← sqlite3Realloc ← one caller.
        var dump = DumpBuilder()
        let lib = "/usr/lib/libsqlite3.so.0"
        let memRealloc = dump.codeFrame(module: lib, offset: 0xa74b9)
        let realloc3 = dump.codeFrame("sqlite3Realloc", module: lib, offset: 0xa72f0)
        let grow = dump.codeFrame("sqlite3VdbeMemGrow", module: lib, offset: 0x3000)
        let stack = dump.stack(frames: [grow, realloc3, memRealloc])
        dump.alloc(ts: 1, address: 0x10, size: 64, stack: stack)
        let a = analyze(dump.records)
        #expect(a.siteTitle(stack).hasPrefix("sqlite3VdbeMemGrow"))
        #expect(a.allocatorFrames.skipped.contains { $0.name == "libsqlite3.so.0+0xa74b9" && $0.rule == .underWrappers(stacks: 1) })
    }

    @Test func detectionCanBeTurnedOff() {
        let (a, stacks) = Self.sqliteLike(detect: false)
        #expect(a.siteTitle(stacks[3]).hasPrefix("libsqlite3.so.0+0x1f504"))
        #expect(a.allocatorFrames.skipped.isEmpty)  // sqlite3Malloc lies above the site, so no name skipped it
    }

    @Test func anUnnamedFrameWithOneCallerIsNotAWrapper() {
        // A stripped program's one function that allocates, always from the same caller:
        // a site, not a wrapper.
        var dump = DumpBuilder()
        let main = dump.codeFrame(module: "/usr/bin/tool", offset: 0x3000)
        let load = dump.codeFrame(module: "/usr/bin/tool", offset: 0x4000)
        for i in 0..<20 {
            let leaf = dump.codeFrame(module: "/usr/bin/tool", offset: 0x5000 + UInt64(i))
            let stack = dump.stack(frames: [main, load, leaf])
            dump.alloc(ts: UInt64(i + 1), address: 0x100 * UInt64(i + 1), size: 8, stack: stack)
        }
        let repeated = dump.stack(frames: [main, load])
        dump.alloc(ts: 100, address: 0x99000, size: 8, stack: repeated)
        let a = analyze(dump.records)
        #expect(a.allocatorFrames.skipped.isEmpty)
        #expect(a.siteTitle(repeated).hasPrefix("tool+0x4000"))
    }

    @Test func userPatternsMarkWrappers() {
        let (a, stacks) = Self.sqliteLike(detect: false, patterns: ["^libsqlite3\\.so\\.0\\+0x1f504$"])
        #expect(a.siteTitle(stacks[3]).hasPrefix("libsqlite3.so.0+0x40300"))
        #expect(a.allocatorFrames.skipped.contains { $0.rule == .pattern("^libsqlite3\\.so\\.0\\+0x1f504$") })
        #expect(throws: (any Error).self) { try AllocatorFrames.validate(patterns: ["("]) }
    }

    @Test func twoCallsOnOneLineAreTwoSitesToldApart() {
        var dump = DumpBuilder()
        let main = dump.codeFrame("main", module: "/bin/tree", offset: 0x1200, file: "tree.c", line: 30)
        let node = dump.codeFrame("new_node", module: "/bin/tree", offset: 0x1150, file: "tree.c", line: 12)
        let label = dump.codeFrame("new_node", module: "/bin/tree", offset: 0x1170, file: "tree.c", line: 12)
        let s1 = dump.stack(frames: [main, node])
        let s2 = dump.stack(frames: [main, label])
        dump.alloc(ts: 1, address: 0x10, size: 32, stack: s1)
        dump.alloc(ts: 2, address: 0x20, size: 24, stack: s2)
        let a = analyze(dump.records)
        #expect(a.sites.count == 2)
        #expect(a.siteTitles([s2, s1]) == ["new_node (tree.c:12) [tree] #2", "new_node (tree.c:12) [tree] #1"])
    }

    @Test func columnsTellCallsOnOneLineApart() {
        var dump = DumpBuilder()
        let a1 = dump.codeFrame("new_node", module: "/bin/tree", offset: 0x1150, file: "tree.c", line: 12, column: 9)
        let a2 = dump.codeFrame("new_node", module: "/bin/tree", offset: 0x1170, file: "tree.c", line: 12, column: 30)
        let s1 = dump.stack(frames: [a1]), s2 = dump.stack(frames: [a2])
        dump.alloc(ts: 1, address: 0x10, size: 32, stack: s1)
        dump.alloc(ts: 2, address: 0x20, size: 24, stack: s2)
        let a = analyze(dump.records)
        #expect(a.siteTitles([s1, s2]) == ["new_node (tree.c:12:9) [tree]", "new_node (tree.c:12:30) [tree]"])
    }

    @Test func oneCallFromDifferentCallersNamesTheFirstCallerThatDiffers() {
        var dump = DumpBuilder()
        let main = dump.codeFrame("main", module: "/bin/p", offset: 0x100)
        let parseA = dump.codeFrame("parse_header", module: "/bin/p", offset: 0x200)
        let parseB = dump.codeFrame("parse_body", module: "/bin/p", offset: 0x300)
        let copy = dump.codeFrame("copy_string", module: "/bin/p", offset: 0x400, file: "str.c", line: 5)
        let s1 = dump.stack(frames: [main, parseA, copy]), s2 = dump.stack(frames: [main, parseB, copy])
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: s1)
        dump.alloc(ts: 2, address: 0x20, size: 8, stack: s2)
        let a = analyze(dump.records)
        #expect(a.siteTitles([s1, s2]) == ["copy_string (str.c:5) [p], from parse_header",
                                           "copy_string (str.c:5) [p], from parse_body"])
    }

    /// node's shape (Debian's, no line tables): one call reached from two calls of one
    /// function in one caller, every frame named alike; the return address tells them apart.
    @Test func callersWithoutLinesAreToldApartByTheirPlace() {
        var dump = DumpBuilder()
        let root = dump.codeFrame("start_thread", module: "/lib/libc.so.6", offset: 0x9000)
        let pageA = dump.codeFrame("ScavengePage", module: "/usr/bin/node", offset: 0x1f3a2c)
        let pageB = dump.codeFrame("ScavengePage", module: "/usr/bin/node", offset: 0x1f3b10)
        let object = dump.codeFrame("ScavengeObject", module: "/usr/bin/node", offset: 0x1e0000)
        let publish = dump.codeFrame("PublishPushSegment", module: "/usr/bin/node", offset: 0x1d0000)
        let s1 = dump.stack(frames: [root, pageA, object, publish])
        let s2 = dump.stack(frames: [root, pageB, object, publish])
        let cut = dump.stack(frames: [object, publish])
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: s1)
        dump.alloc(ts: 2, address: 0x20, size: 8, stack: s2)
        dump.alloc(ts: 3, address: 0x30, size: 8, stack: cut)
        let a = analyze(dump.records)
        #expect(a.siteTitles([s1, s2, cut]) == [
            "PublishPushSegment [node], from ScavengePage at node+0x1f3a2c",
            "PublishPushSegment [node], from ScavengePage at node+0x1f3b10",
            "PublishPushSegment [node], at the stack's root",
        ])
    }

    @Test func rootsAboveAnUnnamedMainAreHidden() {
        var dump = DumpBuilder()
        let start = dump.codeFrame(module: "/usr/bin/sqlite3", offset: 0x1a2b)  // _start, stripped
        let libcStart = dump.codeFrame("__libc_start_main", module: "/usr/lib/libc.so.6", offset: 0x271c0)
        let callMain = dump.codeFrame("__libc_start_call_main", module: "/usr/lib/libc.so.6", offset: 0x27249)
        let main = dump.codeFrame(module: "/usr/bin/sqlite3", offset: 0x3000)  // main, stripped
        let work = dump.codeFrame("run_sql", module: "/usr/bin/sqlite3", offset: 0x4000)
        let stack = dump.stack(frames: [start, libcStart, callMain, main, work])
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: stack)
        let a = analyze(dump.records)
        let shown = FrameFilter().apply(to: a)
        let path = shown.topDown.nodes.dropFirst().map { a.symbols.displayName(ofFrame: $0.frame) }
        #expect(path == ["sqlite3+0x3000", "run_sql"])
    }

    @Test func inlinedFramesAreMarkedAndKeptApartFromCalls() {
        var dump = DumpBuilder()
        let outer = dump.codeFrame("build_index", module: "/bin/r", offset: 0x500, file: "main.rs", line: 20)
        let inlined = dump.codeFrame("insert", module: "/bin/r", offset: 0x500, file: "map.rs", line: 1296, inlined: true)
        let stack = dump.stack(frames: [outer, inlined])
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: stack)
        let a = analyze(dump.records)
        #expect(a.describeFrame(inlined) == "insert (map.rs:1296) [r] (inlined)")
        #expect(a.symbols.frame(a.topDown.nodes[2].frame).isInlined)
    }
}

@Suite struct ReadableNameTests {
    @Test func parametersGoFirstThenArgumentsThenTheMiddle() {
        let run = "std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)(int), int> > >::_M_run()"
        #expect(ReadableName.forms(run) == [
            run, "std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)(int), int> > >::_M_run",
            "std::thread::_State_impl<…>::_M_run",
        ])
        #expect(ReadableName.short(run, limit: 40) == "std::thread::_State_impl<…>::_M_run")
        #expect(ReadableName.short(run, limit: 20) == "std::th…l<…>::_M_run")
        let insert = "void std::vector<int, std::allocator<int> >::_M_realloc_insert<int const&>(__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int> > >, int const&)"
        #expect(ReadableName.forms(insert).last == "std::vector<…>::_M_realloc_insert<…>")
    }

    @Test func rustCallsThroughReferencesAreRuntimeFrames() {
        #expect(isRuntimeFrame("<&dyn core::ops::function::Fn<(), Output = i32>>::call_once"))
        #expect(isRuntimeFrame("<&mut alloc::vec::Vec<u8> as core::fmt::Write>::write_str"))
        #expect(!isRuntimeFrame("<&shapes::Shape as core::fmt::Debug>::fmt"))
    }

    @Test func operatorsAndRustPathsKeepTheirShape() {
        #expect(ReadableName.forms("operator new(unsigned long)") == ["operator new(unsigned long)", "operator new"])
        #expect(ReadableName.forms("<alloc::vec::Vec<T,A> as core::clone::Clone>::clone").last
                == "<alloc::vec::Vec<…> as core::clone::Clone>::clone")
        #expect(ReadableName.forms("rust_shapes::main::{{closure}}") == ["rust_shapes::main::{{closure}}"])
        #expect(ReadableName.forms("std::operator<< <std::char_traits<char> >(std::ostream&, char const*)")[1]
                == "std::operator<< <std::char_traits<char> >")
    }
}

/// The standard library's own trait impls on standard types are runtime code; a program's
/// types implementing standard traits are the program's.
@Suite struct StandardTraitImplTests {
    @Test func stdImplsOnStdTypesAreRuntime() {
        #expect(isRuntimeFrame("<u8 as alloc::vec::spec_from_elem::SpecFromElem>::from_elem"))
        #expect(isRuntimeFrame("<[T] as alloc::slice::hack::ConvertVec>::to_vec"))
        #expect(isRuntimeFrame("<&str as alloc::string::ToString>::to_string"))
        #expect(isRuntimeFrame("<alloc::string::String as core::clone::Clone>::clone"))
        #expect(!isRuntimeFrame("<app::Config as core::fmt::Display>::fmt"))
        #expect(!isRuntimeFrame("<shapes::Circle as shapes::Shape>::area"))
        #expect(!isRuntimeFrame("<u8 as app::Codec>::encode"), "a program's trait on a primitive is the program's")
    }
}

/// The level at which each of a site's caller paths becomes its own, split level by level,
/// equals what comparing every pair of prefixes gives (the definition), on random paths with
/// shared prefixes, duplicates, prefixes of one another and empty paths.
@Suite struct FirstOwnLevelTests {
    static func naive(_ paths: [[String]]) -> [Int?] {
        paths.indices.map { j in
            (0..<paths[j].count).first { level in
                !paths.indices.contains { other in
                    other != j && paths[other].count > level && Array(paths[other][...level]) == Array(paths[j][...level])
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func equalsThePairwiseDefinition(seed: UInt64) {
        var state = seed &* 0x9E3779B97F4A7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<200 {
            let count = 1 + next(12)
            var paths: [[String]] = []
            for _ in 0..<count {
                if !paths.isEmpty && next(3) == 0 {
                    // A copy or a prefix of an earlier path, possibly extended.
                    var path = paths[next(paths.count)]
                    path = Array(path.prefix(next(path.count + 1)))
                    for _ in 0..<next(3) { path.append(["a", "b", "c"][next(3)]) }
                    paths.append(path)
                } else {
                    paths.append((0..<next(6)).map { _ in ["a", "b", "c"][next(3)] })
                }
            }
            #expect(Analysis.firstOwnLevels(paths) == Self.naive(paths), "\(paths)")
        }
    }

    @Test func aPathThatIsAnotherOnesPrefixNeverBecomesItsOwn() {
        #expect(Analysis.firstOwnLevels([["main", "run"], ["main", "run", "step"], ["main", "go"]]) == [nil, 2, 1])
        #expect(Analysis.firstOwnLevels([["x"], ["x"]]) == [nil, nil])
        #expect(Analysis.firstOwnLevels([[], ["y"]]) == [nil, 0])
    }
}
