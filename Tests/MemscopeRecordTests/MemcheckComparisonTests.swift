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
