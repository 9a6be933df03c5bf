import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The default unwinder (Sources/MemscopePreload/unwind.c: CFA rules cached per return
/// address, each thread's last walk checked instead of recomputed) must give exactly the
/// stacks libunwind gives. Real programs nobody here wrote or tuned for it: the C, C++ and
/// Rust programs of Tests/RealPrograms (-O2, inlined, threads) and Debian's sqlite3, plus
/// programs with forks, threads, deep recursion, a signal handler that allocates and
/// modules loaded and unloaded again.
@Suite(.serialized) struct UnwinderTests {
    /// Records `command` with MEMSCOPE_UNWIND set to `unwinder` (nil: the default): the
    /// dumps of the process and of its forked children, and memscope's stderr.
    static func record(_ command: [String], unwinder: String?, name: String) throws -> (dumps: [RecordedDump], stderr: String) {
        let directory = try TestPaths.temporaryDirectory()
        let dump = directory.appendingPathComponent("\(name).msd").path
        var environment = ProcessInfo.processInfo.environment
        environment["MEMSCOPE_UNWIND"] = unwinder
        let result = try run(builtExecutable("memscope"), ["record", "-o", dump, "--"] + command, environment: environment)
        guard result.status == 0 else { throw TestFailure("record \(command) failed: \(result.stderr)") }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("\(name).msd") }
        return (try files.sorted().map { try RecordedDump(path: directory.appendingPathComponent($0).path) }, result.stderr)
    }

    /// Heap calls per call site: each stack spelled by its return addresses' module and
    /// offset (the same in every run, whatever the load addresses), with the number of allocations
    /// (reallocations included) and frees whose stack it is.
    static func callSites(_ dumps: [RecordedDump]) -> [String: [Int]] {
        var sites: [String: [Int]] = [:]
        for dump in dumps { sites.merge(callSites(dump)) { a, b in zip(a, b).map { $0 + $1 } } }
        return sites
    }

    static func callSites(_ dump: RecordedDump) -> [String: [Int]] {
        let symbols = dump.symbols
        var names: [UInt32: String] = [:]
        func name(_ stack: UInt32) -> String {
            if let known = names[stack] { return known }
            // One entry per return address: the frames of an inline chain share it (and
            // how an address is symbolized is not the unwinder's doing).
            var addresses: [(ip: UInt64, text: String)] = []
            for id in symbols.frames(ofStack: stack) {
                let frame = symbols.frame(id)
                if let last = addresses.last, last.ip == frame.instructionPointer { continue }
                let module = (symbols.string(frame.module) as NSString).lastPathComponent
                addresses.append((frame.instructionPointer,
                                  "\(module)+0x\(String(frame.moduleOffset ?? frame.instructionPointer, radix: 16))"))
            }
            let spelled = addresses.map(\.text).joined(separator: " ")
            names[stack] = spelled
            return spelled
        }
        var sites: [String: [Int]] = [:]
        for record in dump.records {
            switch record {
            case .alloc(let a): sites[name(a.stack), default: [0, 0]][0] += 1
            case .realloc(let r): sites[name(r.stack), default: [0, 0]][0] += 1
            case .free(let f): sites[name(f.stack), default: [0, 0]][1] += 1
            default: break
            }
        }
        return sites
    }

    /// The call sites of two dumps, side by side where they differ (at most `limit`).
    static func differences(_ a: [String: [Int]], _ b: [String: [Int]], limit: Int = 5) -> [String] {
        var result: [String] = []
        for key in Set(a.keys).union(b.keys).sorted() where a[key] != b[key] {
            result.append("\(key): default \(a[key] ?? [0, 0]), libunwind \(b[key] ?? [0, 0])")
            if result.count == limit { break }
        }
        return result
    }

    /// Records `command` with the default unwinder, with libunwind alone, and with both
    /// (MEMSCOPE_UNWIND=check compares every stack as it is taken); expects the same call
    /// sites with the same counts, and no stack that differs.
    static func expectSameStacks(_ command: [String], name: String, minimumSites: Int) throws {
        let fast = try record(command, unwinder: nil, name: name)
        let slow = try record(command, unwinder: "libunwind", name: name)
        let checked = try record(command, unwinder: "check", name: name)
        let a = callSites(fast.dumps), b = callSites(slow.dumps)
        #expect(fast.dumps.count == slow.dumps.count)
        #expect(a.count >= minimumSites, "\(name): \(a.count) call sites")
        let differing = differences(a, b)
        #expect(differing.isEmpty, "\(name): call sites differ: \(differing)")
        let reported = checked.stderr.split(separator: "\n").filter { $0.contains("unwinders differ") }
        #expect(reported.isEmpty, "\(name): \(reported.count) stacks differ: \(reported.prefix(3))")
        #expect(a.values.reduce(0) { $0 + $1[0] } == b.values.reduce(0) { $0 + $1[0] })
    }

    @Test(arguments: ["inline.c", "stl.cc"] + (isInstalled("rustc") ? ["shapes.rs"] : []))
    func realProgramsGetLibunwindsStacks(source: String) throws {
        let program = try RealProgramNameTests.build(source)
        try Self.expectSameStacks([program.path], name: program.name, minimumSites: 5)
    }

    @Test(.enabled(if: isInstalled("sqlite3"))) func sqliteGetsLibunwindsStacks() throws {
        let script = """
            create table t(id integer primary key, name text, value real);
            with recursive c(x) as (select 1 union all select x + 1 from c where x < 5000)
            insert into t select x, printf('row number %d', x), x * 0.5 from c;
            create index t_name on t(name); select count(*), sum(value) from t where name like 'row number 1%';
            """
        try Self.expectSameStacks(["sqlite3", ":memory:", script], name: "sqlite3", minimumSites: 20)
    }

    /// Recursion 1…60 deep (deeper than the walks kept for prediction in part), threads,
    /// forks, a SIGALRM handler that allocates (its stack has a signal frame: libunwind
    /// walks it) and a library loaded, used and unloaded fifty times (its rules are
    /// forgotten at each dlclose, and its next load may land elsewhere).
    @Test func edgeCasesGetLibunwindsStacks() throws {
        let program = try TestProgram.compile("unwind-edges", flags: ["-O2", "-ldl"])
        let library = program.directory.appendingPathComponent("libunwind-edges.so").path
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/RecordPrograms/unwind-edges.c").path
        let built = try run("gcc", ["-O2", "-g", "-shared", "-fPIC", "-DUNWIND_EDGES_LIBRARY", "-o", library, source])
        #expect(built.status == 0, "\(built.stderr)")
        try Self.expectSameStacks([program.path, library], name: "unwind-edges", minimumSites: 60)
    }
}
