import Foundation
import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Names on programs nobody here wrote: Debian's own sqlite3 (stripped library) and git,
/// and programs written after the naming rules were frozen (Tests/RealPrograms: C at
/// -O2 with inline helpers, C++ -O2 with the STL and threads, Rust at opt-level 3),
/// each checked against a reference tool.
@Suite(.serialized) struct RealProgramNameTests {
    /// A program of Tests/RealPrograms, built with its own compiler and optimisation.
    static func build(_ source: String) throws -> TestProgram {
        let directory = try TestPaths.temporaryDirectory()
        let path = TestPaths.packageRoot.appendingPathComponent("Tests/RealPrograms/\(source)").path
        let name = String(source.split(separator: ".").first!)
        let output = directory.appendingPathComponent(name).path
        let (compiler, flags): (String, [String]) = switch source.split(separator: ".").last! {
        case "c": ("gcc", ["-O2", "-g"])
        case "cc": ("g++", ["-O2", "-g", "-pthread"])
        default: ("rustc", ["-C", "opt-level=3", "-g"])
        }
        let result = try run(compiler, flags + ["-o", output, path])
        guard result.status == 0 else { throw TestFailure("\(compiler) failed on \(source): \(result.stderr)") }
        return TestProgram(name: name, path: output, directory: directory)
    }

    /// Records any command; the dump goes into a fresh directory.
    static func record(_ command: [String], name: String) throws -> RecordedDump {
        let dump = try TestPaths.temporaryDirectory().appendingPathComponent("\(name).msd").path
        let result = try run("memscope", ["record", "-o", dump, "--"] + command)
        guard result.status == 0 else { throw TestFailure("record \(command) failed: \(result.stderr)") }
        return try RecordedDump(path: dump)
    }

    static let programs = ["inline.c", "stl.cc"] + (isInstalled("rustc") ? ["shapes.rs"] : [])

    // MARK: Inline chains against the reference tools

    @Test(.enabled(if: isInstalled("eu-addr2line") && isInstalled("addr2line")), arguments: programs)
    func everyInlineChainEqualsAddr2line(source: String) throws {
        let program = try Self.build(source)
        let dump = try Self.record([program.path], name: program.name)
        let chains = recordedChains(dump.records).filter { $0.module == program.path }
        #expect(chains.count >= 5)
        #expect(chains.contains { $0.frames.count > 1 }, "no inlined frames recorded in \(source)")
        // elfutils names every frame as memscope does; binutils agrees on every file:line but
        // sometimes names an inlined constructor by the function it was inlined into. In
        // start-up code no compile unit covers (`_start`), eu-addr2line reports the line of
        // a neighbouring sequence where binutils and memscope report none: there, only
        // the names are compared. For Rust, elfutils 0.188 expands no inline chain (one
        // frame per address, the physical function's name with the innermost line) and
        // demangles no v0 name: there binutils, which does both, is the reference for names too.
        let elfutils = try referenceChains(tool: "eu-addr2line", module: program.path, returnOffsets: chains.map(\.moduleOffset))
        let binutils = try referenceChains(tool: "addr2line", module: program.path, returnOffsets: chains.map(\.moduleOffset))
        var mismatches: [String] = []
        for chain in chains {
            let ours = chain.frames.map { ReferenceFrame(function: normalizedFunction($0.function), location: $0.location) }
            let named = "\(program.name)+0x\(String(chain.moduleOffset, radix: 16))"
            var expected = elfutils[chain.moduleOffset] ?? []
            let lines = (binutils[chain.moduleOffset] ?? []).map(\.location)
            if lines.allSatisfy({ $0.hasPrefix("??:") }) {
                for i in expected.indices where i < lines.count { expected[i].location = lines[i] }
            }
            if source.hasSuffix(".rs"), let full = binutils[chain.moduleOffset] { expected = full }
            if ours != expected { mismatches.append("\(named): ours \(ours), eu-addr2line \(expected)") }
            if ours.map(\.location) != lines { mismatches.append("\(named): ours \(ours), addr2line \(lines)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) differences in \(chains.count) chains of \(source): \(mismatches.prefix(4))")
    }

    /// A stripped program's frames are named from a separate debug file: found through a
    /// local debuginfod cache (by build id), or through its .gnu_debuglink.
    @Test(.enabled(if: isInstalled("objcopy") && isInstalled("strip") && isInstalled("readelf")))
    func separateDebugFilesAreFound() throws {
        let program = try Self.build("inline.c")
        let directory = program.directory
        let debugFile = directory.appendingPathComponent("kept.debug").path
        for step in [["objcopy", "--only-keep-debug", program.path, debugFile], ["strip", "--strip-all", program.path]] {
            let result = try run(step[0], Array(step.dropFirst()))
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        let notes = try run("readelf", ["-n", program.path]).stdout
        let buildID = try #require(notes.split(separator: "\n").first { $0.contains("Build ID:") }?
            .split(separator: " ").last.map(String.init))
        let elsewhere = try TestPaths.temporaryDirectory()
        let hidden = elsewhere.appendingPathComponent("hidden.debug").path
        try FileManager.default.moveItem(atPath: debugFile, toPath: hidden)
        func topTitle(_ environment: [String: String]) throws -> String {
            let dump = directory.appendingPathComponent("d.msd").path
            var env = ProcessInfo.processInfo.environment
            env.merge(environment) { $1 }
            let result = try run("memscope", ["record", "-o", dump, "--", program.path], environment: env)
            #expect(result.status == 0, "\(result.stderr)")
            return Self.topTitles(try RecordedDump(path: dump).analysis, count: 1).first ?? ""
        }
        #expect(try topTitle([:]).hasPrefix("inline+0x"), "stripped, nothing else: module and offset")
        let cache = try TestPaths.temporaryDirectory()
        let entry = cache.appendingPathComponent(buildID)
        try FileManager.default.createDirectory(at: entry, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: hidden, toPath: entry.appendingPathComponent("debuginfo").path)
        #expect(try topTitle(["DEBUGINFOD_CACHE_PATH": cache.path]).hasPrefix("copy_label (…/Tests/RealPrograms/inline.c:"))
        // A debug link names a file beside the program.
        try FileManager.default.copyItem(atPath: hidden, toPath: directory.appendingPathComponent("linked.debug").path)
        let link = try run("objcopy", ["--add-gnu-debuglink=" + directory.appendingPathComponent("linked.debug").path, program.path],
                           currentDirectory: directory)
        #expect(link.status == 0, "\(link.stderr)")
        #expect(try topTitle([:]).hasPrefix("copy_label (…/Tests/RealPrograms/inline.c:"))
        // In .debug/ beside the program, while the file of that name beside it is another
        // build's (its build id differs): that one is refused, the right one found.
        let dotDebug = directory.appendingPathComponent(".debug")
        try FileManager.default.createDirectory(at: dotDebug, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: directory.appendingPathComponent("linked.debug").path,
                                         toPath: dotDebug.appendingPathComponent("linked.debug").path)
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: directory.appendingPathComponent("linked.debug").path)
        #expect(try topTitle([:]).hasPrefix("copy_label (…/Tests/RealPrograms/inline.c:"))
        try FileManager.default.removeItem(at: dotDebug)
        #expect(try topTitle([:]).hasPrefix("inline+0x"), "a file of another build id is never used")
    }

    // MARK: Readable sites

    /// The top sites by bytes: their titles, told apart.
    static func topTitles(_ a: Analysis, count: Int = 20) -> [String] {
        let top = a.sites.sorted { ($0.costs.bytesAllocated, $1.stack) > ($1.costs.bytesAllocated, $0.stack) }.prefix(count)
        return a.siteTitles(top.map(\.stack))
    }

    /// No frame is named by an absolute address, and the top-20 titles are distinct.
    static func expectReadable(_ dump: RecordedDump, _ what: String) {
        let a = dump.analysis
        let absolute = (1...max(1, a.symbols.frameCount)).map { a.symbols.displayName(ofFrame: UInt32($0)) }
            .filter { $0.hasPrefix("0x") }
        #expect(absolute.isEmpty, "\(what): frames named by an absolute address: \(absolute.prefix(5))")
        let titles = topTitles(a)
        #expect(Set(titles).count == titles.count, "\(what): repeated site titles: \(titles)")
    }

    @Test func twoAllocationsOnOneLineAreTwoSites() throws {
        let program = try Self.build("inline.c")
        let dump = try Self.record([program.path], name: program.name)
        Self.expectReadable(dump, "inline.c")
        let a = dump.analysis
        // make_node's calloc and malloc share one line (inlined into insert): two call instructions, two columns.
        let source = try String(contentsOfFile: TestPaths.packageRoot.appendingPathComponent("Tests/RealPrograms/inline.c").path,
                                encoding: .utf8)
        let line = try #require(source.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("n->label = malloc") }) + 1
        let onLine = a.sites.compactMap { a.siteFrame($0.stack) }.filter { a.symbols.location(ofFrame: $0).contains("inline.c:\(line):") }
        #expect(Set(onLine.map { a.symbols.stableCodeKey(ofFrame: $0) }).count == 2)
        #expect(Set(onLine.map { a.symbols.location(ofFrame: $0) }).count == 2)
        #expect(Self.topTitles(a).contains { $0.hasPrefix("make_node") && $0.contains("(inlined)") })
    }

    @Test func optimizedCppSitesAreTheProgramsOwnCode() throws {
        let program = try Self.build("stl.cc")
        let dump = try Self.record([program.path], name: program.name)
        Self.expectReadable(dump, "stl.cc")
        let titles = Self.topTitles(dump.analysis, count: 8)
        for title in titles {
            #expect(!title.hasPrefix("std::") && !title.hasPrefix("operator new") && !title.hasPrefix("__gnu_cxx"), "\(title)")
        }
        #expect(titles.contains { $0.hasPrefix("build_records") })
        #expect(titles.contains { $0.hasPrefix("count_words") })
    }

    /// The sites heaptrack_print names for the most allocation calls are memscope's sites
    /// too, with the same counts.
    @Test(.enabled(if: isInstalled("heaptrack") && isInstalled("heaptrack_print")))
    func topSitesAgreeWithHeaptrackPrint() throws {
        let program = try Self.build("stl.cc")
        let dump = try Self.record([program.path], name: program.name)
        let output = program.directory.appendingPathComponent("heaptrack.stl").path
        let traced = try run("heaptrack", ["-o", output, program.path])
        #expect(traced.status == 0, "\(traced.stderr)")
        let printed = try run("heaptrack_print", ["-f", output + ".zst", "-a", "1", "-p", "0", "-T", "0",
                                                  "-n", "1000000", "-s", "1000000"])
        let theirs = heaptrackCallsPerSite(printed.stdout)
        let a = dump.analysis
        var ours: [String: Int] = [:]
        for site in a.sites {
            guard let frame = a.siteFrame(site.stack) else { continue }
            ours[siteKey(function: a.symbols.displayName(ofFrame: frame), location: a.symbols.location(ofFrame: frame)),
                 default: 0] += Int(site.costs.allocations)
        }
        let top = theirs.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5)
        #expect(top.count == 5, "\(theirs)")
        for (key, calls) in top {
            #expect(ours[key] == calls, "\(key): heaptrack_print \(calls), memscope \(ours[key] ?? 0)")
        }
    }

    @Test(.enabled(if: isInstalled("rustc"))) func optimizedRustSitesAndThreadRoots() throws {
        let program = try Self.build("shapes.rs")
        let dump = try Self.record([program.path], name: program.name)
        Self.expectReadable(dump, "shapes.rs")
        let a = dump.analysis
        let titles = Self.topTitles(a)
        #expect(titles.contains { $0.hasPrefix("shapes::build_index") }, "\(titles)")
        #expect(titles.contains { $0.hasPrefix("shapes::build_shapes") }, "\(titles)")
        #expect(!titles.contains { $0.hasPrefix("start_thread") || $0.hasPrefix("std::") || $0.hasPrefix("alloc::") }, "\(titles)")
        #expect(titles.contains { $0.hasPrefix("shapes::main::{{closure}}") }, "\(titles)")
        // Thread stacks are cut at their entry, like the main thread's at main.
        let shown = FrameFilter().apply(to: a)
        let roots = shown.topDown.nodes[0].children.map { a.symbols.displayName(ofFrame: shown.topDown.nodes[$0].frame) }
        #expect(!roots.contains { $0 == "start_thread" || $0 == "clone3" || $0.hasSuffix("thread_start") }, "\(roots)")
    }

    static let sqliteScript = """
        create table t(id integer primary key, name text, value real);
        with recursive c(x) as (select 1 union all select x + 1 from c where x < 20000)
        insert into t select x, printf('row number %d', x), x * 0.5 from c;
        create index t_name on t(name);
        select count(*), sum(length(name)) from t;
        """

    @Test(.enabled(if: isInstalled("sqlite3"))) func strippedSqliteIsNamedByOffsetsAndSkipsItsWrappers() throws {
        let dump = try Self.record(["sqlite3", ":memory:", Self.sqliteScript], name: "sqlite3")
        Self.expectReadable(dump, "sqlite3")
        let a = dump.analysis
        let skipped = a.allocatorFrames.skipped.map(\.name)
        #expect(skipped.contains("sqlite3Malloc"), "\(skipped)")
        // The top site is not sqlite's own allocator: its name is another frame.
        let top = a.sites.max { ($0.costs.bytesAllocated, $1.stack) < ($1.costs.bytesAllocated, $0.stack) }!
        let site = try #require(a.siteFrame(top.stack))
        #expect(!a.isAllocatorFrame(site))
        #expect(!skipped.contains(a.symbols.displayName(ofFrame: site)))
    }

    @Test(.enabled(if: isInstalled("sqlite3"))) func twoRecordingsOfOneWorkloadDiffToTheSameSites() throws {
        let first = try TestPaths.temporaryDirectory().appendingPathComponent("a.msd").path
        let second = try TestPaths.temporaryDirectory().appendingPathComponent("b.msd").path
        for dump in [first, second] {
            let result = try run("memscope", ["record", "-o", dump, "--", "sqlite3", ":memory:", Self.sqliteScript])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let diff = try run("memscope", ["diff", "--json", first, second])
        #expect(diff.status == 0, "\(diff.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any]
        let sites = try #require(json?["sites"] as? [[String: Any]])
        let appeared = sites.filter { (($0["base"] as? [String: Any])?["allocations"] as? Int) == 0 }
        let vanished = sites.filter { (($0["new"] as? [String: Any])?["allocations"] as? Int) == 0 }
        #expect(appeared.isEmpty, "appeared: \(appeared.prefix(3).map { $0["site"] ?? "" })")
        #expect(vanished.isEmpty, "vanished: \(vanished.prefix(3).map { $0["site"] ?? "" })")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func debianPythonIsReadable() throws {
        let script = "import json\nd = {str(i): [i, str(i) * 3] for i in range(20000)}\nprint(len(json.loads(json.dumps(d))))"
        let dump = try Self.record(["/usr/bin/python3", "-c", script], name: "python3")
        Self.expectReadable(dump, "python3")
        let a = dump.analysis
        for title in Self.topTitles(a) {
            #expect(!title.hasPrefix("PyMem_") && !title.hasPrefix("PyObject_Malloc") && !title.hasPrefix("_PyObject_"), "\(title)")
        }
    }

    @Test(.enabled(if: isInstalled("rg"))) func strippedRipgrepIsReadable() throws {
        let data = try TestPaths.temporaryDirectory()
        for i in 0..<20 {
            let text = (0..<1000).map { "line \(i) word \($0)" }.joined(separator: "\n")
            try Data(text.utf8).write(to: data.appendingPathComponent("f\(i).txt"))
        }
        let dump = try Self.record(["rg", "-c", "word 1[0-9]", data.path], name: "rg")
        Self.expectReadable(dump, "rg")
        // Debian's rg has no symbols at all: every frame is named by its offset in rg.
        let a = dump.analysis
        let names = (1...a.symbols.frameCount).map { a.symbols.displayName(ofFrame: UInt32($0)) }
        #expect(names.contains { $0.hasPrefix("rg+0x") })
    }

    @Test(.enabled(if: isInstalled("git"))) func gitLogIsReadable() throws {
        let repo = try TestPaths.temporaryDirectory()
        let git = { (arguments: [String]) throws in
            let result = try run("git", ["-C", repo.path, "-c", "user.name=t", "-c", "user.email=t@example.org"] + arguments)
            guard result.status == 0 else { throw TestFailure("git \(arguments): \(result.stderr)") }
        }
        try git(["init", "-q"])
        for i in 0..<6 {
            try Data(String(repeating: "line \(i)\n", count: 50 * (i + 1)).utf8).write(to: repo.appendingPathComponent("f\(i % 3).txt"))
            try git(["add", "."])
            try git(["commit", "-q", "-m", "change \(i)"])
        }
        let dump = try Self.record(["git", "-C", repo.path, "log", "--stat"], name: "git")
        Self.expectReadable(dump, "git log --stat")
    }
}
