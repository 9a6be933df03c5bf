import MemscopeModel
import Testing

@Suite("RecordBatch: events and other records, in order")
struct RecordBatchTests {
    static let records: [Record] = [
        .string(id: 1, value: "main"),
        .alloc(Alloc(timestamp: 5, thread: 7, address: 0x1000, size: 24, kind: .calloc, stack: 2)),
        .alloc(Alloc(timestamp: 6, thread: 7, address: 0x2000, size: 8, kind: .operatorNew, stack: 3)),
        .threadName(timestamp: 6, thread: 7, name: 1),
        .threadExit(timestamp: 6, thread: 8),
        .realloc(Realloc(timestamp: 7, thread: 8, oldAddress: 0x1000, newAddress: 0x3000, newSize: 48, stack: 4)),
        .free(Free(timestamp: 9, thread: 7, address: 0x3000, stack: 5)),
        .processEnd(ProcessEnd(timestamp: 10, how: .exited, code: 0)),
    ]

    @Test("every record comes back in its place; alloc, free and realloc are held as events")
    func order() {
        let batch = RecordBatch(capacity: 2)  // grows past its first capacity
        batch.append(contentsOf: Self.records)
        #expect(batch.count == Self.records.count)
        #expect(batch.eventCount == 4)
        #expect(batch.records.count == 4)
        #expect(batch.recordPositions == [0, 2, 2, 4])
        #expect(batch.allRecords == Self.records)
        var kinds: [String] = []
        batch.forEachInOrder(event: { kinds.append("\($0.kind)") }, record: { _ in kinds.append("record") })
        #expect(kinds == ["record", "alloc", "alloc", "record", "record", "realloc", "free", "record"])
    }

    @Test("an event keeps every field of its record")
    func eventFields() throws {
        for record in Self.records {
            if let event = HeapEvent(record) {
                #expect(event.record == record)
            }
        }
        let realloc = try #require(HeapEvent(Self.records[5]))
        #expect(realloc.kind == .realloc && realloc.oldAddress == 0x1000 && realloc.address == 0x3000
                && realloc.size == 48 && realloc.thread == 8 && realloc.stack == 4)
        #expect(HeapEvent(Self.records[0]) == nil)
    }

    @Test("emptied, a batch is reused from the start")
    func reuse() {
        let batch = RecordBatch(capacity: 4)
        batch.append(contentsOf: Self.records)
        batch.removeAll()
        #expect(batch.isEmpty && batch.eventCount == 0 && batch.records.isEmpty && batch.recordPositions.isEmpty)
        batch.append(Self.records[6])
        batch.append(Self.records[0])
        #expect(batch.allRecords == [Self.records[6], Self.records[0]])
    }

    @Test("events written in place are counted once committed")
    func writeInPlace() {
        let batch = RecordBatch(capacity: 16)
        batch.append(Self.records[0])
        batch.reserveEvents(40)
        #expect(batch.spareEventCapacity >= 40)
        for i in 0..<40 {
            (batch.events + i).initialize(to: HeapEvent(kind: .free, timestamp: UInt64(i), thread: 1,
                                                        address: UInt64(0x100 + i), stack: 0))
        }
        batch.didAppendEvents(40)
        #expect(batch.count == 41)
        let all = batch.allRecords
        #expect(all.first == Self.records[0])
        #expect(all.last == .free(Free(timestamp: 39, thread: 1, address: 0x127, stack: 0)))
    }
}
