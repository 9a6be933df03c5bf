import Foundation
import MemscopeTestSupport
import Testing

/// Detection by content, located errors for malformed imports, and reports of every import.
@Suite struct ImportInputTests {
    static let detected: [(path: String, format: String)] = [
        ("Tests/Fixtures/imports/heaptrack.workload.zst", "heaptrack"),
        ("Tests/Fixtures/imports/heaptrack.workload.gz", "heaptrack"),
        ("Tests/Fixtures/imports/heaptrack.workload.v2", "heaptrack"),
        ("Tests/Fixtures/imports/massif.out.workload", "massif"),
        ("Tests/Fixtures/imports/dhat.out.workload", "dhat"),
        ("Tests/Fixtures/imports/workload.allocations.folded", "folded"),
        ("Tests/Fixtures/memscope-rs/v0.1/demo_memory_analysis.json", "memscope-rs"),
        ("Tests/Fixtures/memscope-rs/v0.1/demo.memscope", "memscope-rs"),
        ("samples/tiny.jsonl", "jsonl"),
        ("samples/server-leak.msd", "msd"),
    ]

    /// Every input renamed to a neutral name is still recognised.
    @Test(arguments: detected.map(\.path))
    func detectedByContentNotName(path: String) throws {
        let expected = try #require(Self.detected.first { $0.path == path }).format
        let directory = try TestPaths.temporaryDirectory()
        let renamed = directory.appendingPathComponent("input.data")
        try FileManager.default.copyItem(at: TestPaths.packageRoot.appendingPathComponent(path), to: renamed)
        let result = try run("memscope", ["summary", "--json", renamed.path])
        #expect(result.status == 0, "\(path): \(result.stderr)")
        #expect(result.stdout.contains("\"format\":\"\(expected)\""), "\(path): \(result.stdout)")
    }

    /// Malformed inputs: (file content, forced format or nil, the located error).
    static let malformed: [(name: String, content: String, format: String?, error: String)] = [
        ("heaptrack-bad-hex", "v 10400 3\nX ./a\ns 1 a\ni zz 1\n", nil,
         "heaptrack-bad-hex:4:3: error: heaptrack data file: expected the instruction pointer (a hex number), found 'zz'"),
        ("heaptrack-undefined-trace", "v 10400 3\na 10 5\n", nil,
         "heaptrack-undefined-trace:2:3: error: heaptrack data file: refers to trace 5, but only 0 are defined so far"),
        ("heaptrack-undefined-info", "v 10400 3\n+ 0\n", nil,
         "heaptrack-undefined-info:2:3: error: heaptrack data file: refers to allocation info 0, but only 0 are defined so far"),
        ("heaptrack-raw", "v 10400 3\nx 5 ./app\nm 5 ./app 400000\n", nil,
         "heaptrack-raw:2:1: error: heaptrack data file: this is a raw file"),
        ("heaptrack-version", "v 10400 4\n", nil,
         "heaptrack-version:1:1: error: heaptrack data file: unsupported version 4; memscope reads file formats 1, 2 and 3"),
        ("heaptrack-no-version", "s ./a\n", "heaptrack",
         "heaptrack-no-version:1:1: error: heaptrack data file: expected the version line"),
        ("massif-bad-tree", "desc: (none)\ncmd: ./a\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=16\nmem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=detailed\nn1: 16 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n x: 16 0x1: main (a.c:1)\n", nil,
         "massif-bad-tree:13:2: error: Valgrind massif output: expected a tree line 'n<children>: <bytes> <frame>'"),
        ("massif-bad-number", "desc: (none)\ncmd: ./a\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\ntime=ten\n", nil,
         "massif-bad-number:7:6: error: Valgrind massif output: expected time=<number>, found 'time=ten'"),
        ("massif-empty", "desc: (none)\ncmd: ./a\ntime_unit: i\n", nil,
         "massif-empty: error: Valgrind massif output: no snapshots"),
        ("dhat-version", "{\"dhatFileVersion\":1,\"aps\":[]}", nil,
         "dhat-version: error: Valgrind DHAT JSON: unsupported version 1; memscope reads dhatFileVersion 2"),
        ("dhat-missing", "{\"dhatFileVersion\":2,\"bklt\":true,\"ftbl\":[\"[root]\"],\"pps\":[{\"tb\":1,\"fs\":[]}]}", nil,
         "dhat-missing: error: Valgrind DHAT JSON: lacks the key 'pps[0].tbk'"),
        ("dhat-bad-frame", "{\"dhatFileVersion\":2,\"bklt\":false,\"ftbl\":[\"[root]\"],\"pps\":[{\"tb\":1,\"tbk\":1,\"fs\":[7]}]}", nil,
         "dhat-bad-frame: error: Valgrind DHAT JSON: refers to frame-table entry (pps[0].fs) 7, but only 1 are defined so far"),
        ("dhat-not-json", "{\"dhatFileVersion\":2,", "dhat",
         "dhat-not-json: error: Valgrind DHAT JSON: not valid JSON"),
        ("folded-no-count", "main;work 12\nmain;idle\n", "folded",
         "folded-no-count:2:10: error: folded stacks: expected a stack, a space and a count at the end of the line, found 'main;idle'"),
        ("memscope-rs-binary", "MEMSCOPE\u{3}\u{0}\u{0}\u{0}", nil,
         "memscope-rs-binary: byte 0: error: memscope-rs export: expected the 32-byte header, found the end of the file (it is 12 bytes long)"),
        ("memscope-rs-no-size", "{\"allocations\":[{\"ptr\":1}]}", nil,
         "memscope-rs-no-size: error: memscope-rs export: lacks the key 'allocations[0].size'"),
    ]

    @Test(arguments: malformed.map(\.name))
    func malformedImportGivesItsLocatedError(name: String) throws {
        let expectation = try #require(Self.malformed.first { $0.name == name })
        let directory = try TestPaths.temporaryDirectory()
        try Data(expectation.content.utf8).write(to: directory.appendingPathComponent(name))
        var arguments = ["summary", name]
        if let format = expectation.format { arguments += ["--format", format] }
        let result = try run("memscope", arguments, currentDirectory: directory)
        #expect(result.status == 1, "\(name): \(result.stderr)")
        #expect(result.stderr.contains(expectation.error), "\(name): \(result.stderr)")
        #expect(result.stderr.contains("\n  hint: "), "\(name) has a hint")
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func directoryWithoutExportKeepsTheDirectoryError() throws {
        let directory = try TestPaths.temporaryDirectory()
        let result = try run("memscope", ["summary", directory.path])
        #expect(result.status == 1 && result.stderr.contains("it is a directory"))
    }

    static let reports: [(path: String, source: String)] = [
        ("Tests/Fixtures/imports/heaptrack.workload.zst", "heaptrack data file, format 3"),
        ("Tests/Fixtures/imports/massif.out.workload", "Valgrind massif output, 71 snapshots (11 with trees)"),
        ("Tests/Fixtures/imports/dhat.out.workload", "Valgrind DHAT JSON, version 2, mode heap, 7 program points"),
        ("Tests/Fixtures/imports/workload.allocations.folded", "folded stacks, 9 lines"),
        ("Tests/Fixtures/memscope-rs/export-0.2", "memscope-rs export (0.2.x JSON directory), 2 tracked allocations"),
        ("Tests/Fixtures/memscope-rs/v0.1/demo.memscope",
         "memscope-rs export (binary .memscope file demo.memscope, version 3), 4 tracked allocations"),
    ]

    /// Every import renders, and its report states the input and what it cannot show.
    @Test(arguments: reports.map(\.path))
    func everyImportRendersWithItsNotes(path: String) throws {
        let source = try #require(Self.reports.first { $0.path == path }).source
        let output = try TestPaths.temporaryDirectory().appendingPathComponent("report.html").path
        let result = try run("memscope", ["render", path, "-o", output, "-q"], currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 0, "\(path): \(result.stderr)")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("<strong>Input:</strong> \(source)"), "\(path)")
        #expect(html.contains("What this input cannot show:"))
    }

    @Test func inspectParsesHeaptrackEventsButNotAggregates() throws {
        let parsed = try run("memscope", ["inspect", "--stage", "parse", "Tests/Fixtures/imports/heaptrack.workload.zst"],
                             currentDirectory: TestPaths.packageRoot)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stdout.hasPrefix("format heaptrack\n#1 meta producer=\"heaptrack\""))
        #expect(parsed.stdout.contains("(scratch_work)"))
        let aggregate = try run("memscope", ["inspect", "--stage", "parse", "Tests/Fixtures/imports/dhat.out.workload"],
                                currentDirectory: TestPaths.packageRoot)
        #expect(aggregate.status == 1)
        #expect(aggregate.stderr.contains("holds totals, not event records"))
        let replayed = try run("memscope", ["inspect", "--stage", "parse", "Tests/Fixtures/memscope-rs/v0.1/demo.memscope"],
                               currentDirectory: TestPaths.packageRoot)
        #expect(replayed.status == 1 && replayed.stderr.contains("replays as allocations"))
        let analyzed = try run("memscope", ["inspect", "--stage", "analyze", "Tests/Fixtures/imports/dhat.out.workload"],
                               currentDirectory: TestPaths.packageRoot)
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
    }

    /// Event lines are read ahead of their replay (a cache prefetch): warnings still name
    /// their own lines, and the figures follow the file's order around other lines.
    @Test func heaptrackEventWarningsNameTheirLines() throws {
        let directory = try TestPaths.temporaryDirectory()
        // Line 8 frees info 1 before it has a block; line 13 turns time back; line 14 frees
        // info 1 again with nothing live.
        let lines = ["v 10400 3", "X ./app", "s 1 main", "i 1000 1 1", "t 1 0", "a 10 1", "a 20 1", "- 1",
                     "+ 0", "c 5", "+ 1", "- 1", "c 3", "- 1", "+ 1", "- 0"]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("app.heaptrack"))
        let result = try run("memscope", ["summary", "--json", "--format", "heaptrack", "app.heaptrack"], currentDirectory: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("app.heaptrack:8"), "\(result.stderr)")
        #expect(result.stderr.contains("app.heaptrack:13"), "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // Allocations: + 0 (16 B), + 1 (32 B), + 1 (32 B); frees: line 12 and line 16.
        #expect(json["allocations"] as? Int == 3, "\(result.stdout)")
        #expect(json["frees"] as? Int == 2, "\(result.stdout)")
        #expect(json["leaked_bytes"] as? Int == 32, "\(result.stdout)")
        #expect(json["peak_bytes"] as? Int == 16 + 32, "\(result.stdout)")
    }

    // MARK: memscope-rs binary .memscope

    /// The truncated fixture renders its two whole records, with a located warning.
    @Test func truncatedMemscopeRsBinaryRendersItsWholeRecords() throws {
        let path = "Tests/Fixtures/memscope-rs/v0.1/demo-truncated.memscope"
        let start = MemscopeRsBinaryFixtures.recordStart(2)
        let summary = try run("memscope", ["summary", "--json", path], currentDirectory: TestPaths.packageRoot)
        #expect(summary.status == 0, "\(summary.stderr)")
        // The cut is 40 bytes in, inside the variable name's 4-byte length, which begins 38 bytes in.
        #expect(summary.stderr.contains("warning: \(path): byte \(start + 38): the file ends inside record 2 (it began at byte \(start);"),
                "\(summary.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any])
        #expect(json["allocations"] as? Int == 2 && json["bytes_allocated"] as? Int == 1024 + 24)
        let output = try TestPaths.temporaryDirectory().appendingPathComponent("report.html").path
        let rendered = try run("memscope", ["render", path, "-o", output, "-q"], currentDirectory: TestPaths.packageRoot)
        #expect(rendered.status == 0, "\(rendered.stderr)")
    }

    /// A malformed binary file, forced or detected: the byte offset, what was expected, a hint.
    @Test(arguments: [false, true])
    func malformedMemscopeRsBinaryNamesTheByte(forced: Bool) throws {
        var bytes = MemscopeRsBinaryFixtures.demo
        let start = MemscopeRsBinaryFixtures.recordStart(0)
        bytes[start + 29] = 7  // record 0's deallocation flag
        let directory = try TestPaths.temporaryDirectory()
        try Data(bytes).write(to: directory.appendingPathComponent("broken.bin"))
        let result = try run("memscope", ["render", "broken.bin", "-o", "out.html"] + (forced ? ["--format", "memscope-rs"] : []),
                             currentDirectory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("broken.bin: byte \(start + 29): error: memscope-rs export: expected the deallocation time's presence flag (0 or 1), found 7\n  hint: "),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.html").path))
    }

    /// `summary --json` has the same keys for the binary file as for the JSON export, and the
    /// report escapes the file's strings (a variable named `<b>name</b>&amp;`).
    @Test func memscopeRsBinarySummaryKeysAndEscaping() throws {
        func keys(_ path: String) throws -> Set<String> {
            let result = try run("memscope", ["summary", "--json", path], currentDirectory: TestPaths.packageRoot)
            #expect(result.status == 0, "\(result.stderr)")
            return Set(try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]).keys)
        }
        #expect(try keys("Tests/Fixtures/memscope-rs/v0.1/demo.memscope") == keys("Tests/Fixtures/memscope-rs/v0.1/demo_memory_analysis.json"))
        let output = try TestPaths.temporaryDirectory().appendingPathComponent("report.html").path
        let rendered = try run("memscope", ["render", "Tests/Fixtures/memscope-rs/v0.1/demo.memscope", "-o", output, "-q"],
                               currentDirectory: TestPaths.packageRoot)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(!html.contains("<b>name</b>"))
        #expect(html.contains("HashMap&lt;String, u64&gt;") || html.contains("HashMap\\u003cString"))
    }
}
