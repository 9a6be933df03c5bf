import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// However the program ends, the dump holds every event before the end, reads
/// back cleanly, and says how it ended; memscope exits as the program did.
@Suite struct RecordEndingsTests {
    static let endings: [(argument: String, exitCode: Int32, how: ProcessEnd.How, code: UInt32)] = [
        ("double-free", 134, .signalled, 6),
        ("assert", 134, .signalled, 6),
        ("segfault", 139, .signalled, 11),
        ("sigterm", 143, .signalled, 15),
        ("sigint", 130, .signalled, 2),
        ("kill", 137, .signalled, 9),
        ("underscore-exit", 7, .exited, 7),
    ]

    @Test(arguments: endings.map(\.argument))
    func everyEventBeforeTheEndIsKept(argument: String) throws {
        let ending = try #require(Self.endings.first { $0.argument == argument })
        let program = try TestProgram.compile("crash")
        let (result, dump) = try program.record([argument], dumpName: "\(argument).msd")
        #expect(result.status == ending.exitCode, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        #expect(!recorded.truncated)
        #expect(recorded.diagnostics.isEmpty)
        #expect(recorded.figures(through: "before") == (10, 0, 1000))
        let end = try #require(recorded.analysis.processEnd)
        #expect(end.how == ending.how)
        #expect(end.code == ending.code)
        guard case .processEnd = recorded.records.last else {
            Issue.record("process_end is not the last record")
            return
        }
    }

    @Test func doubleFreeIsReportedWithThreeStacks() throws {
        let program = try TestProgram.compile("crash")
        let (_, dump) = try program.record(["double-free"])
        let recorded = try RecordedDump(path: dump)
        let error = try #require(recorded.analysis.errors.first)
        #expect(recorded.analysis.errors.count == 1)
        #expect(error.kind == .doubleFree)
        #expect(recorded.functions(ofStack: error.allocationStack).first == "main")
        #expect(recorded.functions(ofStack: error.firstFreeStack).first == "first_free")
        #expect(recorded.functions(ofStack: error.stack).first == "second_free")
        let summary = try run("memscope", ["summary", dump])
        #expect(summary.stdout.contains("double free ×1 at second_free"))
    }
}

/// fork and exec.
@Suite struct RecordProcessesTests {
    @Test func aForkedChildWritesItsOwnDumpWithTheBlocksItInherited() throws {
        let program = try TestProgram.compile("fork")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let parent = try RecordedDump(path: dump)
        let parentBytes: UInt64 = 5 * 64 + 256
        #expect(parent.figures(through: "main") == (6, 0, parentBytes))
        let children = try FileManager.default.contentsOfDirectory(atPath: program.directory.path)
            .filter { $0.hasPrefix("fork.msd.") }
        #expect(children.count == 1)
        let child = try RecordedDump(path: program.directory.appendingPathComponent(try #require(children.first)).path)
        #expect(child.figures(through: "in_child") == (3, 3, 384))
        #expect(child.analysis.totals.allocations == 8) // 5 inherited + 3 of its own
        #expect(child.analysis.totals.errors == 0)
        #expect(child.analysis.processEnd?.how == .exited)
        #expect(child.analysis.processEnd?.code == 4)
    }

    @Test func noFollowForkLeavesTheChildAlone() throws {
        let program = try TestProgram.compile("fork")
        let (result, _) = try program.record(options: ["--no-follow-fork"])
        #expect(result.status == 0, "\(result.stderr)")
        let dumps = try FileManager.default.contentsOfDirectory(atPath: program.directory.path)
            .filter { $0.hasPrefix("fork.msd") }
        #expect(dumps == ["fork.msd"])
    }

    @Test func programsStartedByTheProgramAreRecordedUnlessNoFollowFork() throws {
        let program = try TestProgram.compile("spawn")
        let (followed, _) = try program.record()
        #expect(followed.status == 0, "\(followed.stderr)")
        var dumps = try FileManager.default.contentsOfDirectory(atPath: program.directory.path).filter { $0.hasPrefix("spawn.msd") }
        #expect(dumps.count == 2)
        let shell = try RecordedDump(path: program.directory.appendingPathComponent(try #require(dumps.first { $0 != "spawn.msd" })).path)
        #expect(shell.analysis.processEnd?.code == 3)
        for dump in dumps { try FileManager.default.removeItem(at: program.directory.appendingPathComponent(dump)) }
        let (alone, _) = try program.record(options: ["--no-follow-fork"])
        #expect(alone.status == 0, "\(alone.stderr)")
        dumps = try FileManager.default.contentsOfDirectory(atPath: program.directory.path).filter { $0.hasPrefix("spawn.msd") }
        #expect(dumps == ["spawn.msd"])
    }

    @Test func execContinuesTheSameDump() throws {
        let program = try TestProgram.compile("exec")
        let (result, dump) = try program.record()
        #expect(result.status == 5, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        #expect(recorded.figures(through: "main") == (5, 0, 280))
        #expect(recorded.analysis.processEnd?.code == 5)
    }

    @Test func aProgramThatCannotStartIsAClearError() throws {
        let result = try run("memscope", ["record", "-o", "/tmp/never.msd", "--", "/nonexistent/program"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot run /nonexistent/program"))
        let usage = try run("memscope", ["record"])
        #expect(usage.status == 64)
        let unwritable = try run("memscope", ["record", "-o", "/nonexistent/dir/x.msd", "--", "/bin/true"])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr.contains("cannot write /nonexistent/dir/x.msd"))
    }
}

/// SIGTERM sent to memscope reaches the program; memscope survives to write the dump.
@Suite struct ForwardedSignalTests {
    @Test func sigtermToMemscopeEndsTheProgramAndTheDumpIsWritten() throws {
        let program = try TestProgram.compile("crash")
        let dump = program.directory.appendingPathComponent("forwarded.msd").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(memscopeExecutable()))
        process.arguments = ["record", "-o", dump, "--", program.path, "wait"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the program runs (its spool appears next to the dump), then signal memscope.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: program.directory.path)) ?? []
            if names.contains(where: { $0.hasPrefix(".forwarded.msd.spool-") }) { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.5)
        process.terminate()
        // A watchdog, so that a lost signal fails the test instead of hanging the suite.
        let pid = process.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) { if process.isRunning { kill(pid, SIGKILL) } }
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        let recorded = try RecordedDump(path: dump)
        #expect(recorded.figures(through: "before") == (10, 0, 1000))
        #expect(recorded.analysis.processEnd?.how == .signalled)
        #expect(recorded.analysis.processEnd?.code == 15)
    }

    private func memscopeExecutable() -> String? {
        let bundle = Bundle.main.bundleURL
        return [bundle.deletingLastPathComponent(), bundle]
            .map { $0.appendingPathComponent("memscope").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
