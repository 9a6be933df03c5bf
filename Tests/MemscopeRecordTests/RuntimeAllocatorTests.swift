import Foundation
import MemscopeTestSupport
import Testing

/// Runtimes whose own allocators take memory from the kernel are sent to malloc, where the
/// recorder sees it, unless the user chose their allocator: CPython's pymalloc.
@Suite struct RuntimeAllocatorTests {
    func record(_ command: [String], environment: [String: String] = [:]) throws -> (stdout: String, events: Int) {
        let directory = try TestPaths.temporaryDirectory()
        let dump = directory.appendingPathComponent("r.msd").path
        var inherited = ProcessInfo.processInfo.environment
        inherited["PYTHONMALLOC"] = nil
        let result = try run("memscope", ["record", "-o", dump, "--"] + command,
                             environment: inherited.merging(environment) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        let events = result.stderr.split(separator: "\n").compactMap { line -> Int? in
            guard let open = line.range(of: "(")?.upperBound, let end = line.range(of: " events")?.lowerBound, open < end else { return nil }
            return Int(line[open..<end])
        }.reduce(0, +)
        return (result.stdout, events)
    }

    @Test func pythonMallocIsSetUnlessTheUserChoseOne() throws {
        #expect(try record(["sh", "-c", "echo \"[$PYTHONMALLOC]\""]).stdout == "[malloc]\n")
        #expect(try record(["sh", "-c", "echo \"[$PYTHONMALLOC]\""], environment: ["PYTHONMALLOC": "pymalloc_debug"]).stdout
                == "[pymalloc_debug]\n")
    }

    /// Python's objects become visible: a script making 20,000 small lists shows tens of
    /// thousands of allocations, against a few thousand through pymalloc.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func pythonObjectsAreRecorded() throws {
        let script = "x = [[i, str(i)] for i in range(20000)]\nprint(len(x))"
        let recorded = try record(["/usr/bin/python3", "-c", script])
        let pymalloc = try record(["/usr/bin/python3", "-c", script], environment: ["PYTHONMALLOC": "pymalloc"])
        #expect(recorded.stdout == "20000\n" && pymalloc.stdout == "20000\n")
        #expect(recorded.events > 40_000, "\(recorded.events)")
        #expect(pymalloc.events < recorded.events / 4, "\(pymalloc.events) against \(recorded.events)")
    }
}
