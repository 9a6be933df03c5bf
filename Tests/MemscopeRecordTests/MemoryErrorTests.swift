import Foundation
import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// `record --guard --quarantine` on Tests/RecordPrograms/memory-errors.c, each finding
/// compared with what memcheck reports for the same program and mode.
@Suite(.enabled(if: isInstalled("valgrind"))) struct MemoryErrorTests {
    /// One memcheck "Invalid write" finding: where it was, relative to which block, and the
    /// first function of the program in the block's allocation (and free) stack.
    struct Finding: Equatable {
        var side: MemoryError.Side
        var offset: UInt64
        var blockSize: UInt64
        var allocatingFunction: String
        var freeingFunction: String
    }

    static let program = Result { try TestProgram.compile("memory-errors") }

    /// memcheck's invalid writes, one per byte written.
    static func memcheck(_ mode: String) throws -> [Finding] {
        let result = try run("valgrind", [try program.get().path, mode])
        let lines = result.stderr.split(separator: "\n").map { line in
            String(line.drop { $0 == "=" || $0.isNumber }.drop { $0 == " " })
        }
        /// The first frame in the test program after line `start` (`by 0x…: name (memory-errors.c:N)`).
        func firstProgramFunction(after start: Int) -> String {
            for line in lines[(start + 1)...] where line.hasPrefix("at ") || line.hasPrefix("by ") {
                if line.contains("(memory-errors.c:"), let colon = line.firstIndex(of: ":") {
                    return String(line[line.index(colon, offsetBy: 2)...].prefix { $0 != " " })
                }
            }
            return ""
        }
        var findings: [Finding] = []
        let pattern = #/Address 0x[0-9a-f]+ is (\d+) bytes (after|before|inside) a block of size (\d+) (alloc'd|free'd)/#
        for (i, line) in lines.enumerated() {
            guard let match = line.firstMatch(of: pattern) else { continue }
            let side: MemoryError.Side = match.2 == "after" ? .after : match.2 == "before" ? .before : .inside
            var finding = Finding(side: side, offset: UInt64(match.1)!, blockSize: UInt64(match.3)!,
                                  allocatingFunction: firstProgramFunction(after: i), freeingFunction: "")
            if match.4 == "free'd" {
                finding.freeingFunction = finding.allocatingFunction
                let allocated = lines[i...].firstIndex { $0.hasPrefix("Block was alloc'd at") } ?? i
                finding.allocatingFunction = firstProgramFunction(after: allocated)
            }
            findings.append(finding)
        }
        return findings
    }

    /// memscope's memory errors, expanded to one finding per damaged byte (the bytes are
    /// contiguous in these programs), as memcheck counts them.
    static func memscope(_ mode: String) throws -> (findings: [Finding], dump: RecordedDump) {
        let (result, path) = try program.get().record([mode], options: ["--guard", "--quarantine", "1MiB"],
                                                      dumpName: "\(mode).msd")
        #expect(result.status == 0, "\(mode): \(result.stderr)")
        let dump = try RecordedDump(path: path)
        var findings: [Finding] = []
        for record in dump.records {
            guard case .memoryError(let e) = record else { continue }
            func function(_ stack: UInt32) -> String {
                dump.functions(ofStack: stack).first { !isRuntimeFrame($0) } ?? ""
            }
            for k in 0..<e.bytes {
                findings.append(Finding(side: e.side, offset: e.offset + k, blockSize: e.size,
                                        allocatingFunction: function(e.allocationStack),
                                        freeingFunction: e.kind == .writeAfterFree ? function(e.freeStack) : ""))
            }
        }
        return (findings, dump)
    }

    @Test(arguments: ["overflow", "underflow", "after-free", "evicted", "realloc", "aligned", "live"])
    func findingsAgreeWithMemcheck(mode: String) throws {
        let reference = try Self.memcheck(mode)
        #expect(!reference.isEmpty, "memcheck reported nothing for \(mode)")
        let (findings, dump) = try Self.memscope(mode)
        #expect(findings == reference, "\(mode)")
        // One site per distinct error, with its plain-language kind.
        let kinds = Set(dump.analysis.errors.map(\.kind))
        #expect(kinds == [mode == "after-free" || mode == "evicted" ? .writeAfterFree : .overflow], "\(mode)")
    }

    @Test func theFindingsAreWhatTheProgramDid() throws {
        #expect(try Self.memcheck("overflow") == [Finding(side: .after, offset: 0, blockSize: 10,
                                                            allocatingFunction: "make_block", freeingFunction: "")])
        #expect(try Self.memcheck("underflow").map(\.offset) == [1])
        #expect(try Self.memcheck("after-free").map(\.offset) == [40, 41])
        #expect(try Self.memcheck("after-free").first?.freeingFunction == "drop_block")
        #expect(try Self.memcheck("aligned").map(\.offset) == [0, 1, 2])
        #expect(try Self.memcheck("realloc").first?.blockSize == 64)
    }

    @Test func errorsAreFoundWhereExpected() throws {
        let (_, overflow) = try Self.memscope("overflow")
        let site = try #require(overflow.analysis.errors.first)
        #expect(overflow.functions(ofStack: site.foundStack).first == "drop_block") // found by the free
        let (_, evicted) = try Self.memscope("evicted")  // found when a later free pushed it out of quarantine
        let pushed = try #require(evicted.analysis.errors.first)
        #expect(evicted.functions(ofStack: pushed.foundStack).prefix(2) == ["drop_block", "push_out"])
        #expect(evicted.functions(ofStack: pushed.firstFreeStack).prefix(2) == ["drop_block", "write_after_free"])
        let (_, live) = try Self.memscope("live")
        #expect(live.analysis.errors.first?.foundStack == 0)                      // found at exit
        #expect(live.analysis.errors.first?.firstFreeStack == 0)
    }

    @Test func aDoubleFreeIsHeldBackByTheQuarantine() throws {
        let reference = try run("valgrind", [try Self.program.get().path, "double-free"]).stderr
        #expect(reference.contains("Invalid free()"))
        #expect(reference.contains("0 bytes inside a block of size 32 free'd"))
        let (result, path) = try Self.program.get().record(["double-free"], options: ["--quarantine", "1MiB"],
                                                           dumpName: "double.msd")
        #expect(result.status == 0, "\(result.stderr)") // glibc never sees the second free
        let dump = try RecordedDump(path: path)
        let error = try #require(dump.analysis.errors.first)
        #expect(dump.analysis.errors.count == 1 && error.kind == .doubleFree && error.blockSize == 32)
        #expect(dump.functions(ofStack: error.stack).first == "drop_block")
        #expect(dump.functions(ofStack: error.allocationStack).first == "make_block")
        #expect(dump.functions(ofStack: error.firstFreeStack).first == "drop_block")
    }

    @Test func convertKeepsMemoryErrorRecords() throws {
        let (_, path) = try Self.program.get().record(["after-free"], options: ["--guard", "--quarantine", "64k"],
                                                      dumpName: "convert.msd")
        let text = path + ".jsonl", back = path + ".back.msd"
        #expect(try run("memscope", ["convert", path, "-o", text]).status == 0)
        #expect(try String(contentsOfFile: text, encoding: .utf8).contains("\"type\":\"memory_error\""))
        #expect(try run("memscope", ["convert", text, "-o", back]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func withoutTheOptionsNothingIsChecked() throws {
        let (result, path) = try Self.program.get().record(["realloc"], dumpName: "plain.msd")
        #expect(result.status == 0)
        #expect(try RecordedDump(path: path).analysis.errors.isEmpty)
    }

    @Test func checkFailsOnMemoryErrors() throws {
        let (_, path) = try Self.program.get().record(["overflow"], options: ["--guard"], dumpName: "check.msd")
        let failing = try run("memscope", ["check", path, "--max-errors", "0"])
        #expect(failing.status == 3, "\(failing.stdout)\(failing.stderr)")
        #expect(try run("memscope", ["check", path, "--max-errors", "1"]).status == 0)
    }
}

/// Tests/RecordPrograms/cross-module.c with libhandoff.so, a shared library built here.
@Suite struct CrossModuleTests {
    @Test func handOffsBetweenTheProgramAndTheLibrary() throws {
        let libraryDirectory = try TestPaths.temporaryDirectory()
        let library = libraryDirectory.appendingPathComponent("libhandoff.so").path
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/RecordPrograms/libhandoff.c").path
        let built = try run("gcc", ["-g", "-O0", "-shared", "-fPIC", "-o", library, source])
        #expect(built.status == 0, "\(built.stderr)")
        let program = try TestProgram.compile("cross-module", flags: [
            "-L", libraryDirectory.path, "-lhandoff", "-Wl,-rpath," + libraryDirectory.path])
        for options in [[], ["--guard", "--quarantine", "1MiB"]] {
            let (result, path) = try program.record(options: options, dumpName: "cross\(options.count).msd")
            #expect(result.status == 0, "\(result.stderr)")
            let analysis = try RecordedDump(path: path).analysis
            let libraryModule = try #require(analysis.modules.first { $0.path.hasSuffix("/libhandoff.so") })
            #expect(libraryModule.allocations == 3 && libraryModule.bytesAllocated == 32 + 24 + 16)
            #expect(libraryModule.frees == 1)
            #expect(libraryModule.leakedBlocks == 1 && libraryModule.leakedBytes == 16)
            let handOffs = analysis.moduleHandOffs.filter { $0.allocatingModule == program.path || $0.freeingModule == program.path }
            #expect(handOffs.map { "\(baseName($0.allocatingModule))→\(baseName($0.freeingModule)) \($0.blocks) \($0.bytes)" }.sorted()
                    == ["cross-module→libhandoff.so 1 48", "libhandoff.so→cross-module 2 56"])  // the free, and the realloc
            let leaks = analysis.crossModuleLeaks.map { "\(baseName($0.allocatingModule))→\(baseName($0.holderModule)) \($0.holder.rawValue) \($0.bytes)" }
            #expect(leaks.sorted() == ["libhandoff.so→cross-module reallocated_by 40", "libhandoff.so→cross-module referenced_from 16"])
            #expect(analysis.errors.isEmpty, "\(analysis.errors)")
        }
    }

    @Test(.enabled(if: isInstalled("valgrind"))) func figuresAgreeWithMemcheck() throws {
        let libraryDirectory = try TestPaths.temporaryDirectory()
        let library = libraryDirectory.appendingPathComponent("libhandoff.so").path
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/RecordPrograms/libhandoff.c").path
        _ = try run("gcc", ["-g", "-O0", "-shared", "-fPIC", "-o", library, source])
        let program = try TestProgram.compile("cross-module", flags: [
            "-L", libraryDirectory.path, "-lhandoff", "-Wl,-rpath," + libraryDirectory.path])
        let reference = try MemcheckComparisonTests.memcheck(program)
        #expect(reference.definitelyLost == 64 && reference.indirectlyLost == 16)
        #expect(try MemcheckComparisonTests.memscope(program) == reference)
    }
}
