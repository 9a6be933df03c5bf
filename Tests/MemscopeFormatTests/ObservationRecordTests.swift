import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The recorder's record kinds (0x30–0x33, 0x36, 0x38): round trips in both forms,
/// and the leak kinds the analysis derives from pointer references.
@Suite struct ObservationRecordTests {
    /// memcheck's example shapes: a rooted list, a lost list, a cycle, an interior-only block.
    static func scannedDump() -> [Record] {
        var dump = DumpBuilder(metadata: Metadata(producer: "test", producerVersion: "1"))
        let path = dump.string("/usr/bin/app")
        let buildID = dump.string("0123abcd")
        let name = dump.string("request")
        let type = dump.string("struct request")
        let scope = dump.string("parse")
        let s = dump.stack("main", "make")
        dump.append(.moduleMap(ModuleMapping(timestamp: 0, start: 0x400000, end: 0x402000, loadBias: 0,
                                             path: path, buildID: buildID)))
        for (i, size) in [(1, 32), (2, 32), (3, 64), (4, 64), (5, 16), (6, 16), (7, 100), (8, 8)] {
            dump.alloc(ts: UInt64(i), address: UInt64(i) * 0x1000, size: UInt64(size), stack: s)
        }
        dump.append(.annotation(Annotation(timestamp: 9, thread: 1, address: 0x1000, name: name, typeName: type)))
        dump.append(.scopeEnter(timestamp: 10, thread: 1, name: scope))
        dump.append(.task(timestamp: 11, thread: 1, task: 42))
        dump.append(.task(timestamp: 12, thread: 1, task: 0))
        dump.append(.scopeExit(timestamp: 13, thread: 1))
        func reference(_ source: PointerReference.Source, _ from: UInt64, _ to: UInt64, interior: Bool = false) {
            dump.append(.pointerReference(PointerReference(timestamp: 20, source: source, from: from, to: to,
                                                           interior: interior)))
        }
        reference(.block, 0, 0) // the scan marker
        reference(.moduleData, 0, 0x1000)    // 1 → 2: still reachable
        reference(.block, 0x1000, 0x2000)
        reference(.block, 0x3000, 0x4000)    // 3 → 4: 3 definitely, 4 indirectly lost
        reference(.block, 0x5000, 0x6000)    // 5 ↔ 6: a lost cycle, one of each
        reference(.block, 0x6000, 0x5000)
        reference(.stack, 0, 0x7000, interior: true) // 7: possibly lost
        dump.alloc(ts: 30, address: 0x9000, size: 5, stack: s) // after the scan: not scanned
        dump.end(ts: 31)
        return dump.records
    }

    @Test func bothFormsRoundTrip() throws {
        let records = Self.scannedDump()
        #expect(try readAll(encodeBinary(records)).records == records)
        var text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n"
        for record in records { text += JSONLinesWriter.line(for: record) + "\n" }
        let read = try readAll(Array(text.utf8), path: "test.jsonl")
        #expect(read.records == records)
        #expect(read.diagnostics.isEmpty)
    }

    /// 0x3A block_references: the marker (address 0, no words) and a dying block's words,
    /// in both forms; a count larger than the payload could hold is a located error.
    @Test func blockReferencesRoundTrip() throws {
        var dump = DumpBuilder(metadata: Metadata(producer: "test", producerVersion: "1"))
        let s = dump.stack("main", "make")
        dump.append(.blockReferences(BlockReferences(timestamp: 0, thread: 1, address: 0, offsets: [], targets: [])))
        dump.alloc(ts: 1, address: 0x1000, size: 32, stack: s)
        dump.alloc(ts: 2, address: 0x2000, size: 32, stack: s)
        dump.append(.blockReferences(BlockReferences(timestamp: 3, thread: 1, address: 0x1000, offsets: [0, 24],
                                                     targets: [0x2000, 0x7fff_ffff_f000])))
        dump.free(ts: 3, address: 0x1000)
        dump.end(ts: 4)
        let records = dump.records
        #expect(try readAll(encodeBinary(records)).records == records)
        var text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n"
        for record in records { text += JSONLinesWriter.line(for: record) + "\n" }
        #expect(text.contains("\"offsets\":[0,24],\"targets\":[\"0x2000\",\"0x7ffffffff000\"]"))
        #expect(try readAll(Array(text.utf8), path: "test.jsonl").records == records)
        let uneven = text.replacingOccurrences(of: "\"offsets\":[0,24]", with: "\"offsets\":[0]")
        #expect(throws: DumpError.self) { try readAll(Array(uneven.utf8), path: "test.jsonl") }
        // A forged count: kind 0x3A, 4 payload bytes (ts 0, thread 1, address 0, count 100).
        var forged = encodeBinary([.meta(Metadata(producer: "test", producerVersion: "1"))])
        forged += [0x3A, 0x04, 0x00, 0x01, 0x00, 0x64]
        #expect(throws: DumpError.self) { try readAll(forged) }
    }

    @Test func leakKindsFollowMemcheck() throws {
        let analysis = analyze(Self.scannedDump())
        let kinds = try #require(analysis.leakKinds)
        #expect(kinds.stillReachable == .init(bytes: 64, blocks: 2))
        #expect(kinds.definitelyLost == .init(bytes: 64 + 16 + 8, blocks: 3)) // 3, one of 5/6, and 8
        #expect(kinds.indirectlyLost == .init(bytes: 64 + 16, blocks: 2))
        #expect(kinds.possiblyLost == .init(bytes: 100, blocks: 1))
        #expect(kinds.notScanned == .init(bytes: 5, blocks: 1))
        #expect(analysis.observations == ObservationCounts(annotations: 1, scopes: 1, taskSwitches: 2,
                                                          pointerReferences: 7, modules: 1))
        // The observation records are not heap events: the headline figures ignore them.
        #expect(analysis.totals.allocations == 9)
        #expect(analysis.totals.events == 10)
    }

    @Test func summaryShowsLeakKindsWithTheirCaveat() throws {
        let analysis = analyze(Self.scannedDump())
        let summary = Summary(analysis: analysis, format: "msd", path: "x.msd")
        #expect(summary.json.contains("\"definitely_lost_bytes\":88"))
        #expect(summary.json.contains("\"leak_kinds_caveat\":\"observed by scanning memory"))
        #expect(summary.text().contains("an integer can look like a pointer"))
        let unscanned = Summary(analysis: analyze(everyKindDump()), format: "msd", path: "y.msd")
        #expect(unscanned.json.contains("\"definitely_lost_bytes\":null"))
    }
}
