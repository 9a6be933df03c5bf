import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The `memory_error` record (0x37): round trips in both forms, rejects bad values, and
/// becomes one error site per distinct (kind, side, stacks) in the analysis.
@Suite struct MemoryErrorRecordTests {
    static func dump() -> [Record] {
        var dump = DumpBuilder()
        let make = dump.stack("main", "make")
        let drop = dump.stack("main", "drop")
        dump.alloc(ts: 1, address: 0x1000, size: 10, stack: make)
        dump.free(ts: 2, address: 0x1000, stack: drop)
        for ts in [2, 3] as [UInt64] {  // the same site twice
            dump.append(.memoryError(MemoryError(timestamp: ts, thread: 1, kind: .overflow, address: 0x1000, size: 10,
                                                 side: .after, offset: 0, bytes: ts == 2 ? 1 : 3, allocationStack: make,
                                                 freeStack: drop, foundStack: drop)))
        }
        dump.append(.memoryError(MemoryError(timestamp: 4, thread: 1, kind: .overflow, address: 0x1000, size: 10,
                                             side: .before, offset: 1, bytes: 1, allocationStack: make,
                                             freeStack: drop, foundStack: drop)))
        dump.append(.memoryError(MemoryError(timestamp: 5, thread: 1, kind: .writeAfterFree, address: 0x1000, size: 10,
                                             side: .inside, offset: 4, bytes: 2, allocationStack: make,
                                             freeStack: drop, foundStack: 0)))
        dump.end(ts: 6)
        return dump.records
    }

    @Test func bothFormsRoundTrip() throws {
        let records = Self.dump()
        #expect(try readAll(encodeBinary(records)).records == records)
        var text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n"
        for record in records { text += JSONLinesWriter.line(for: record) + "\n" }
        #expect(text.contains("\"type\":\"memory_error\",\"ts\":5,\"thread\":1,\"kind\":\"write_after_free\",\"addr\":\"0x1000\",\"size\":10,\"side\":\"inside\",\"offset\":4,\"bytes\":2"))
        let read = try readAll(Array(text.utf8), path: "test.jsonl")
        #expect(read.records == records)
        #expect(read.diagnostics.isEmpty)
    }

    @Test func badKindsAndSidesAreFatal() throws {
        let records = Array(Self.dump().prefix(while: { if case .alloc = $0 { false } else { true } }))
        var bytes = encodeBinary(records)
        // kind 7: ts 1, thread 1, kind 7, addr, size, side, offset, bytes, 3 stacks
        bytes += [0x37, 11, 1, 1, 7, 0x10, 10, 0, 0, 1, 0, 0, 0]
        #expect(throws: DumpError.self) { try readAll(bytes) }
        let text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n"
            + JSONLinesWriter.line(for: Self.dump()[0]) + "\n"
            + "{\"type\":\"memory_error\",\"ts\":1,\"thread\":1,\"kind\":\"overflow\",\"addr\":\"0x10\",\"size\":1,\"side\":\"left\",\"bytes\":1}\n"
        #expect(throws: DumpError.self) { try readAll(Array(text.utf8), path: "t.jsonl") }
    }

    @Test func analysisListsOneSitePerKindAndSide() throws {
        let analysis = analyze(Self.dump())
        #expect(analysis.totals.errors == 4)
        #expect(analysis.errors.map(\.kind) == [.overflow, .overflow, .writeAfterFree])
        let after = analysis.errors[0]
        #expect(after.count == 2)
        #expect(after.side == .after && after.offset == 0 && after.bytesDamaged == 3 && after.blockSize == 10)
        #expect(analysis.errors[1].side == .before && analysis.errors[1].offset == 1)
        #expect(analysis.errors[2].foundStack == 0 && analysis.errors[2].offset == 4)
        // Not heap events.
        #expect(analysis.totals.events == 3)
    }
}
