import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Children: each dump names its own process (command line, parent) and its own end,
/// `memscope record` says which dump is which process, and a batch render draws the tree.
@Suite struct RecordChildrenTests {
    private func dumps(_ prefix: String, in program: TestProgram) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: program.directory.path)
            .filter { $0 == prefix || $0.hasPrefix(prefix + ".") }
            .map { program.directory.appendingPathComponent($0).path }
    }

    private func meta(_ dump: RecordedDump) throws -> Metadata {
        guard case .meta(let meta) = try #require(dump.records.first) else { throw TestFailure("no meta record") }
        return meta
    }

    @Test func fiftyForkedChildrenWhoseMainReturnsEndWithTheirStatus() throws {
        let program = try TestProgram.compile("fork-return")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let root = try meta(try RecordedDump(path: dump))
        let children = try dumps("fork-return.msd", in: program).filter { $0 != dump }
        #expect(children.count == 50)
        var codes: [UInt32] = []
        for child in children {
            let recorded = try RecordedDump(path: child)
            let end = try #require(recorded.analysis.processEnd)
            #expect(end.how == .exited, "\(child): \(end)")
            codes.append(end.code)
            // Child i allocated i + 1 blocks of its own and returned i + 1.
            #expect(recorded.figures(through: "main").allocations == Int(end.code))
            #expect(try meta(recorded).parentPid == root.pid)
        }
        #expect(codes.sorted() == Array(1...50))
        #expect(!result.stderr.contains("end not observed"))
    }

    @Test func aForkedChildKeepsItsParentsCommandLine() throws {
        let program = try TestProgram.compile("fork")
        let (result, dump) = try program.record(["one", "two"])
        #expect(result.status == 0, "\(result.stderr)")
        let parent = try meta(try RecordedDump(path: dump))
        #expect(parent.commandLine == [program.path, "one", "two"])
        let child = try #require(try dumps("fork.msd", in: program).first { $0 != dump })
        let childMeta = try meta(try RecordedDump(path: child))
        #expect(childMeta.commandLine == [program.path, "one", "two"])
        #expect(childMeta.parentPid == parent.pid)
        #expect(childMeta.pid != parent.pid)
    }

    @Test func anExecdProgramNamesItsNewCommandLine() throws {
        let program = try TestProgram.compile("exec")
        let (result, dump) = try program.record(["first"])
        #expect(result.status == 5, "\(result.stderr)")
        // exec.c runs itself again as `argv[0] again`: `meta` names the first image, an `exec`
        // record the second where it starts, and the analysis names the image that ended.
        let recorded = try RecordedDump(path: dump)
        #expect(try meta(recorded).commandLine == [program.path, "first"])
        let execs = recorded.records.compactMap { record -> [String]? in
            if case .exec(_, let commandLine) = record { return commandLine } else { return nil }
        }
        #expect(execs == [[program.path, "again"]])
        #expect(recorded.analysis.metadata.commandLine == [program.path, "again"])
        #expect(recorded.analysis.metadata.earlierCommandLines == [[program.path, "first"]])
    }

    /// A wrapper that execs a shell that execs the program (as pyenv's shims do, slowly enough
    /// that the dump has started before the last exec): the report names the last program
    /// and says how the process started.
    @Test func aChainOfExecsNamesTheLastProgramAndTheFirst() throws {
        let program = try TestProgram.compile("exec")
        let dump = program.directory.appendingPathComponent("chain.msd").path
        let script = "sleep 0.3; exec sh -c 'sleep 0.2; exec \"$0\" again' \(program.path)"
        let result = try run("memscope", ["record", "-o", dump, "--", "bash", "-c", script])
        #expect(result.status == 5, "\(result.stderr)")
        let summary = try run("memscope", ["summary", dump])
        #expect(summary.stdout.contains("  command        \(program.path) again  (pid "), "\(summary.stdout)")
        // As a shell would run it again: the script's quotes in $'…'.
        #expect(summary.stdout.contains("  started as     bash -c \(CommandLineText.quoted(script))  (then 2 execs)"), "\(summary.stdout)")
        #expect(CommandLineText.quoted(script).hasPrefix("$'sleep 0.3; exec sh -c \\'sleep"))
        let json = try run("memscope", ["summary", "--json", dump])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["command_line"] as? [String] == [program.path, "again"])
        #expect((object["earlier_command_lines"] as? [[String]])?.count == 2)
    }

    @Test func aProgramStartedWithSystemNamesItsOwnCommandLineAndParent() throws {
        let program = try TestProgram.compile("spawn")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let root = try meta(try RecordedDump(path: dump))
        #expect(root.commandLine == [program.path])
        let shell = try meta(try RecordedDump(path: try #require(try dumps("spawn.msd", in: program).first { $0 != dump })))
        #expect(shell.commandLine == ["sh", "-c", "exit 3"])
        #expect(shell.parentPid == root.pid)
        #expect(result.stderr.contains("memscope record: 2 processes"))
        #expect(result.stderr.contains("pid \(shell.pid), parent \(root.pid): sh -c 'exit 3'"), "\(result.stderr)")
    }

    /// gcc runs cc1 and as: each dump names its program, `memscope record` lists the tree,
    /// and `memscope render DUMP DUMP.* -o DIR` draws it on the index page.
    /// Processes of one run share their symbolized addresses (by build id and module offset):
    /// two runs of `ls` under one shell name every frame they both have alike, and alike with
    /// the shell's own frames in the modules they share (libc), whichever dump was written first.
    @Test func processesOfOneRunNameSharedFramesAlike() throws {
        let directory = try TestPaths.temporaryDirectory()
        let dump = directory.appendingPathComponent("sh.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", "sh", "-c", "ls -la / >/dev/null; ls -la /usr >/dev/null; true"])
        #expect(result.status == 0, "\(result.stderr)")
        let paths = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("sh.msd") }.sorted().map { directory.appendingPathComponent($0).path }
        #expect(paths.count == 3, "\(paths)")
        var named: [String: String] = [:]  // module and offset: its inline chain's functions, files and lines
        var shared = 0
        for path in paths {
            let symbols = try RecordedDump(path: path).symbols
            var chains: [String: [String]] = [:]
            for frame in symbols.frames where frame.moduleOffset != nil && frame.module != 0 {
                let module = symbols.string(frame.module).split(separator: "/").last.map(String.init) ?? ""
                chains["\(module)+\(frame.moduleOffset!)", default: []]
                    .append("\(symbols.string(frame.function)) \(symbols.string(frame.file)):\(frame.line)")
            }
            for (key, chain) in chains {
                let name = chain.joined(separator: " | ")
                if let earlier = named[key] {
                    shared += 1
                    #expect(earlier == name, "\(key): \(earlier) against \(name)")
                } else {
                    named[key] = name
                }
            }
        }
        #expect(shared > 20, "the dumps share frames in libc and ls")
    }

    @Test func gccAndItsChildrenEachNameTheirProgram() throws {
        let directory = try TestPaths.temporaryDirectory()
        let source = directory.appendingPathComponent("x.c")
        try "int twice(int x) { return 2 * x; }\n".write(to: source, atomically: true, encoding: .utf8)
        let dump = directory.appendingPathComponent("gcc.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", "gcc", "-O2", "-c", source.path,
                                          "-o", directory.appendingPathComponent("x.o").path])
        #expect(result.status == 0, "\(result.stderr)")
        let paths = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("gcc.msd") }.sorted().map { directory.appendingPathComponent($0).path }
        var programs: [String: Metadata] = [:]
        for path in paths {
            let m = try meta(try RecordedDump(path: path))
            programs[String(try #require(m.commandLine.first).split(separator: "/").last ?? "")] = m
        }
        #expect(Set(programs.keys) == ["gcc", "cc1", "as"])
        let gcc = try #require(programs["gcc"])
        #expect(gcc.commandLine.prefix(3) == ["gcc", "-O2", "-c"])
        #expect(programs["cc1"]?.parentPid == gcc.pid)
        #expect(programs["as"]?.parentPid == gcc.pid)
        #expect(programs["cc1"]?.commandLine.contains(source.path) == true)
        // The record output: one line per process, children indented under their parent.
        let tree = result.stderr.split(separator: "\n").filter { $0.hasPrefix("  ") }
        #expect(tree.count == 3)
        #expect(tree.first?.contains("pid \(gcc.pid)") == true && tree.first?.contains(": gcc -O2") == true)
        #expect(tree.dropFirst().allSatisfy { $0.hasPrefix("    ") && $0.contains("parent \(gcc.pid)") })

        let reports = directory.appendingPathComponent("reports").path
        let render = try run("memscope", ["render"] + paths + ["-o", reports + "/"])
        #expect(render.status == 0, "\(render.stderr)")
        let index = try String(contentsOfFile: reports + "/index.html", encoding: .utf8)
        let start = try #require(index.range(of: "<h2>Processes</h2>")).upperBound
        let end = try #require(index.range(of: "<h2>Dumps</h2>")).lowerBound
        let processes = String(index[start..<end])
        // gcc's item holds a nested list with cc1's and as's items, each a link to its report.
        let gccItem = try #require(processes.range(of: "<b>gcc</b> pid \(gcc.pid)"))
        let nested = String(processes[gccItem.upperBound...])
        #expect(nested.contains("<ul><li><a href="))
        for name in ["cc1", "as"] {
            let pid = try #require(programs[name]?.pid)
            #expect(nested.contains("<b>\(name)</b> pid \(pid)</a>"))
            #expect(nested.contains("gcc.msd.\(pid).html\"><b>\(name)</b>"), "\(nested.prefix(600))")
        }
        // Each row beside what is left at exit (cc1 frees little: "leaked") says what is lost
        // (memcheck's definitely and indirectly lost), from the dump's exit scan: every recorded
        // process has one, so no row says "–".
        #expect(index.contains("<th class=\"num\" title=\"definitely and indirectly lost"))
        let rows = index.components(separatedBy: "<tr><td>").dropFirst()
        #expect(rows.count == 3)
        for (row, path) in zip(rows, paths) {
            let analysis = try RecordedDump(path: path).analysis
            let lost = try #require(analysis.leakKinds).lostBytes
            // duration, calls, peak, leaked, lost, temporary, errors
            let values = row.components(separatedBy: "data-value=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            #expect(values.count == 7, "\(row.prefix(400))")
            #expect(values.dropFirst(3).first == "\(analysis.totals.leakedBytes)")
            #expect(values.dropFirst(4).first == "\(lost)", "\(row.prefix(400))")
        }
    }
}
