import Foundation
import MemscopeTestSupport
import Testing

/// The same programs under valgrind's memcheck (--leak-check=full) and memscope
/// record: allocation calls, frees, bytes, blocks and bytes in use at exit, and
/// leak kinds agree. These programs use no stdio, so memcheck's __libc_freeres
/// (which frees the C library's own buffers at exit) changes nothing.
@Suite(.enabled(if: isInstalled("valgrind"))) struct MemcheckComparisonTests {
    struct MemcheckFigures: Equatable {
        var allocations = 0, frees = 0, bytesAllocated = 0, inUseBytes = 0, inUseBlocks = 0
        var definitelyLost = 0, indirectlyLost = 0, possiblyLost = 0, stillReachable = 0
    }

    static func memcheck(_ program: TestProgram) throws -> MemcheckFigures {
        let result = try run("valgrind", ["--leak-check=full", "--show-leak-kinds=all", program.path])
        func numbers(after label: String) -> [Int] {
            guard let line = result.stderr.split(separator: "\n").first(where: { $0.contains(label) }) else { return [] }
            let tail = line[line.range(of: label)!.upperBound...]
            return tail.split(whereSeparator: { !$0.isNumber && $0 != "," }).compactMap {
                Int($0.replacingOccurrences(of: ",", with: ""))
            }
        }
        var figures = MemcheckFigures()
        let usage = numbers(after: "total heap usage:")
        let inUse = numbers(after: "in use at exit:")
        if usage.count >= 3 { (figures.allocations, figures.frees, figures.bytesAllocated) = (usage[0], usage[1], usage[2]) }
        if inUse.count >= 2 { (figures.inUseBytes, figures.inUseBlocks) = (inUse[0], inUse[1]) }
        figures.definitelyLost = numbers(after: "definitely lost:").first ?? 0
        figures.indirectlyLost = numbers(after: "indirectly lost:").first ?? 0
        figures.possiblyLost = numbers(after: "possibly lost:").first ?? 0
        figures.stillReachable = numbers(after: "still reachable:").first ?? 0
        return figures
    }

    static func memscope(_ program: TestProgram) throws -> MemcheckFigures {
        let (result, dump) = try program.record()
        guard result.status == 0 else { throw TestFailure("record failed: \(result.stderr)") }
        let json = try summaryJSON(dump)
        func value(_ key: String) -> Int { json[key] as? Int ?? -1 }
        return MemcheckFigures(
            allocations: value("allocations"), frees: value("frees"), bytesAllocated: value("bytes_allocated"),
            inUseBytes: value("leaked_bytes"), inUseBlocks: value("leaked_blocks"),
            definitelyLost: value("definitely_lost_bytes"), indirectlyLost: value("indirectly_lost_bytes"),
            possiblyLost: value("possibly_lost_bytes"), stillReachable: value("still_reachable_bytes"))
    }

    @Test(arguments: ["counts", "leaks", "recursion"])
    func figuresAgree(name: String) throws {
        let program = try TestProgram.compile(name)
        let reference = try Self.memcheck(program)
        #expect(reference.allocations > 0, "memcheck printed no totals")
        #expect(try Self.memscope(program) == reference)
    }

    @Test func leakKindsOfTheLeaksProgram() throws {
        let figures = try Self.memcheck(try TestProgram.compile("leaks"))
        #expect(figures.definitelyLost == 132)
        #expect(figures.indirectlyLost == 96)
        #expect(figures.stillReachable == 96)
    }
}

/// Each leak kind, bytes and blocks, against memcheck's defaults (`--leak-check=full
/// --show-leak-kinds=all`, heuristics `all`, `__libc_freeres` and `__gnu_cxx::__freeres`
/// run): memscope's figures equal memcheck's once the blocks memscope shows as held by
/// the C and C++ runtimes (which memcheck frees before it looks) are taken out of
/// still reachable.
@Suite(.enabled(if: isInstalled("valgrind"))) struct LeakKindComparisonTests {
    struct Kinds: Equatable, CustomStringConvertible {
        var definitely = [0, 0], indirectly = [0, 0], possibly = [0, 0], reachable = [0, 0]
        var description: String {
            "definitely \(definitely), indirectly \(indirectly), possibly \(possibly), still reachable \(reachable)"
        }
    }

    static func memcheck(_ command: [String], stdin: String? = nil, options: [String] = []) throws -> Kinds {
        let result = try run("valgrind", ["--leak-check=full", "--show-leak-kinds=all"] + options + command)
        let lines = result.stderr.split(separator: "\n")
        guard lines.contains(where: { $0.contains("HEAP SUMMARY") }) else { throw TestFailure("no memcheck summary: \(result.stderr)") }
        func figure(_ label: String) -> [Int] {
            guard let line = lines.first(where: { $0.contains(label) }) else { return [0, 0] }
            let tail = line[line.range(of: label)!.upperBound...]
            return tail.split(whereSeparator: { !$0.isNumber && $0 != "," })
                .compactMap { Int($0.replacingOccurrences(of: ",", with: "")) }
        }
        return Kinds(definitely: figure("definitely lost:"), indirectly: figure("indirectly lost:"),
                     possibly: figure("possibly lost:"), reachable: figure("still reachable:"))
    }

    /// memscope's kinds, still reachable without the runtimes' blocks; and those blocks.
    static func memscope(_ command: [String], directory: URL) throws -> (kinds: Kinds, runtime: [Int]) {
        let dump = directory.appendingPathComponent("kinds.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--"] + command)
        guard result.status == 0 else { throw TestFailure("record failed: \(result.stderr)") }
        let json = try summaryJSON(dump)
        func value(_ key: String) -> Int { json[key] as? Int ?? -1 }
        func pair(_ name: String) -> [Int] { [value("\(name)_bytes"), value("\(name)_blocks")] }
        let runtime = pair("still_reachable_c_library")
        let reachable = pair("still_reachable")
        return (Kinds(definitely: pair("definitely_lost"), indirectly: pair("indirectly_lost"), possibly: pair("possibly_lost"),
                      reachable: [reachable[0] - runtime[0], reachable[1] - runtime[1]]), runtime)
    }

    static func compare(_ command: [String], directory: URL) throws -> (memscope: Kinds, memcheck: Kinds, runtime: [Int]) {
        let reference = try memcheck(command)
        let (kinds, runtime) = try memscope(command, directory: directory)
        return (kinds, reference, runtime)
    }

    @Test(arguments: ["leak-interior", "exit-locals", "leaks", "counts", "recursion", "threads"])
    func cProgramsAgree(name: String) throws {
        let program = try TestProgram.compile(name)
        let (ours, theirs, _) = try Self.compare([program.path], directory: program.directory)
        #expect(ours == theirs)
    }

    /// A shell that execs the program (as wrappers and version managers' shims do): the
    /// shell's blocks are gone with it at the exec, so the leak kinds are the program's
    /// alone, as memcheck (following the exec) reports them; until 2026-12-08 dash's 52
    /// blocks live at the exec were "definitely lost".
    @Test func anExecdProgramsLeaksAreItsOwn() throws {
        let program = try TestProgram.compile("leaks")
        let command = ["sh", "-c", "echo x > /dev/null; exec \(program.path)"]
        let theirs = try Self.memcheck(command, options: ["--trace-children=yes"])
        let (ours, _) = try Self.memscope(command, directory: program.directory)
        #expect(ours == theirs)
        let json = try summaryJSON(program.directory.appendingPathComponent("kinds.msd").path)
        #expect((json["released_at_exec_blocks"] as? Int ?? 0) > 0, "the shell's blocks are counted as gone at the exec")
        #expect(json["leaked_blocks"] as? Int == theirs.definitely[1] + theirs.indirectly[1] + theirs.possibly[1] + theirs.reachable[1])
    }

    /// The figures memcheck 3.19 printed for leak-interior.c, so that a change of
    /// memcheck (or of this parser) shows.
    @Test func interiorChainsAsMeasured() throws {
        let program = try TestProgram.compile("leak-interior")
        let (ours, _) = try Self.memscope([program.path], directory: program.directory)
        #expect(ours == Kinds(definitely: [64, 1], indirectly: [152, 2], possibly: [312, 6], reachable: [304, 4]))
    }

    /// Blocks held only by main's locals when the program calls exit() are still reachable.
    @Test func mainsLocalsAtExitAreStillReachable() throws {
        let program = try TestProgram.compile("exit-locals")
        let (ours, _) = try Self.memscope([program.path], directory: program.directory)
        #expect(ours == Kinds(definitely: [64, 1], indirectly: [0, 0], possibly: [0, 0], reachable: [128, 2]))
    }

    /// new[] cookies and multiple inheritance (heuristics), a std::string in a lost object,
    /// printf's stdout buffer and libstdc++'s exception pool (the runtimes').
    @Test(.enabled(if: isInstalled("g++"))) func cxxProgramAgrees() throws {
        let directory = try TestPaths.temporaryDirectory()
        let output = directory.appendingPathComponent("leak-kinds-cc").path
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/RecordPrograms/leak-kinds.cc").path
        let build = try run("g++", ["-g", "-O0", "-o", output, source])
        guard build.status == 0 else { throw TestFailure("g++ failed: \(build.stderr)") }
        let (ours, theirs, runtime) = try Self.compare([output], directory: directory)
        #expect(ours == theirs)
        #expect(ours.reachable == [88, 2], "the new[] array and the object held by its second base")
        #expect(runtime[1] >= 1, "libstdc++'s exception pool is the runtime's")
    }

    @Test(.enabled(if: isInstalled("rustc"))) func rustProgramAgrees() throws {
        let directory = try TestPaths.temporaryDirectory()
        let output = directory.appendingPathComponent("leak-kinds-rs").path
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/RecordPrograms/leak-kinds.rs").path
        let build = try run("rustc", ["-g", "-o", output, source])
        guard build.status == 0 else { throw TestFailure("rustc failed: \(build.stderr)") }
        let (ours, theirs, _) = try Self.compare([output], directory: directory)
        #expect(ours == theirs)
        #expect(ours.possibly[1] == 1 && ours.definitely[1] == 1 && ours.indirectly[1] == 1)
    }

    /// Debian's sqlite3 frees its heap before it exits: what remains is the C library's
    /// (memcheck reports nothing), so every kind is 0 once those blocks are out.
    @Test(.enabled(if: isInstalled("sqlite3"))) func sqliteAgrees() throws {
        let directory = try TestPaths.temporaryDirectory()
        let script = "create table t(a,b); with recursive c(x) as (select 1 union all select x+1 from c where x<2000) "
            + "insert into t select x, printf('row %d', x) from c; select count(*) from t;"
        let (ours, theirs, runtime) = try Self.compare(["sqlite3", ":memory:", script], directory: directory)
        #expect(ours == theirs)
        #expect(runtime[1] > 0, "stdio's buffers are the C library's")
    }
}

/// Debian's perl leaves its interpreter's heap to the exit (its arenas of values, reached
/// mostly through pointers into their middles): a pointer-dense heap of a program nobody here
/// wrote. Both runs keep the C library's blocks (--run-libc-freeres=no), so "still reachable"
/// is compared whole.
@Suite(.enabled(if: isInstalled("valgrind") && isInstalled("perl"))) struct PerlLeakKindTests {
    @Test func perlsLeakKindsAreMemchecks() throws {
        let directory = try TestPaths.temporaryDirectory()
        let script = #"my %h; for my $i (1..3000) { $h{"k$i"} = [$i, "v" x ($i % 50)]; } "#
            + #"my $n = 0; for my $k (sort keys %h) { delete $h{$k} if $n++ % 2 } print scalar(keys %h), "\n";"#
        let command = ["env", "PERL_HASH_SEED=0", "PERL_PERTURB_KEYS=0", "perl", "-e", script]
        let theirs = try LeakKindComparisonTests.memcheck(command, options: ["--run-libc-freeres=no", "--run-cxx-freeres=no",
                                                                            "--trace-children=yes"])
        let dump = directory.appendingPathComponent("perl.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--"] + command)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try summaryJSON(dump)
        func pair(_ name: String) -> [Int] { [json["\(name)_bytes"] as? Int ?? -1, json["\(name)_blocks"] as? Int ?? -1] }
        #expect(theirs.definitely[1] > 0 && theirs.indirectly[1] > 0 && theirs.possibly[1] > 100, "\(theirs)")
        #expect(pair("definitely_lost") == theirs.definitely, "memcheck: \(theirs)")
        #expect(pair("indirectly_lost") == theirs.indirectly, "memcheck: \(theirs)")
        #expect(pair("still_reachable") == theirs.reachable, "memcheck: \(theirs)")
        // perl copies its environment into %ENV at start, and the recorder's run has its own
        // variables (LD_PRELOAD's value, MEMSCOPE_*, PYTHONMALLOC) where valgrind's has its
        // LD_PRELOAD: a few more values, and perhaps one more arena, possibly lost at exit.
        let possibly = pair("possibly_lost")
        #expect(possibly[1] >= theirs.possibly[1] && possibly[1] <= theirs.possibly[1] + 16, "memcheck: \(theirs); ours \(possibly)")
        #expect(possibly[0] >= theirs.possibly[0] && possibly[0] <= theirs.possibly[0] + 4096 + 16 * 256,
                "memcheck: \(theirs); ours \(possibly)")
    }
}

/// A scan asked for with SIGUSR2 while the program runs.
@Suite struct OnDemandScanTests {
    @Test func sigusr2ScansAProgramThatNeverExits() throws {
        let program = try TestProgram.compile("on-demand-scan")
        let (result, dump) = try program.record()
        #expect(result.status == 143, "\(result.stderr)")
        let json = try summaryJSON(dump)
        #expect(json["still_reachable_bytes"] as? Int == 5 * 48)
        #expect(json["still_reachable_blocks"] as? Int == 5)
        #expect(json["definitely_lost_bytes"] as? Int == 3 * 64)
        #expect(json["definitely_lost_blocks"] as? Int == 3)
        #expect(json["indirectly_lost_bytes"] as? Int == 0)
        #expect(json["leaked_blocks"] as? Int == 8)
    }
}
