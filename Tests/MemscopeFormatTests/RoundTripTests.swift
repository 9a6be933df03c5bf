import Foundation
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// A dump with every record kind, including one this version does not interpret.
func everyKindDump() -> [Record] {
    var dump = DumpBuilder(metadata: Metadata(producer: "test \"quoted\"", producerVersion: "1.2", pid: 99,
                                              startTimeUnixNanoseconds: 1_700_000_000_000_000_000,
                                              clockUnitNanoseconds: 1000, pointerSize: 8,
                                              commandLine: ["./prog", "--name=</script>", "tab\there", "ünïcødé"]))
    let s = dump.stack("main", "worker", "make_buffer")
    // Frames with the later fields: an inline chain, and an unnamed frame at offset 0.
    let physical = dump.codeFrame("build_index", offset: 0x4f20, file: "main.rs", line: 40, column: 9, buildID: "5221b80b")
    let inlined = dump.codeFrame("insert", offset: 0x4f20, file: "map.rs", line: 1296, column: 0, inlined: true)
    let unnamed = dump.codeFrame(offset: 0, buildID: "5221b80b")
    let chain = dump.stack(frames: [physical, inlined, unnamed])
    dump.alloc(ts: 2, address: 0x2000, size: 8, stack: chain)
    dump.append(.threadStart(timestamp: 1, thread: 2, parent: 1))
    dump.threadName(ts: 1, thread: 2, "worker-1")
    dump.alloc(ts: 2, thread: 2, address: 0x7fff_ffff_ffff_fff0, size: 1 << 40, kind: .operatorNewArray, stack: s)
    dump.realloc(ts: 3, thread: 2, from: 0x7fff_ffff_ffff_fff0, to: 0x1000, size: 32, stack: s)
    dump.append(.unknown(kind: 0x35, payload: [1, 2, 3, 0xFF]))
    dump.free(ts: 4, thread: 1, address: 0x1000, stack: 0)
    dump.free(ts: 4, thread: 1, address: 0x2000, stack: chain)
    dump.append(.threadExit(timestamp: 5, thread: 2))
    dump.end(ts: 6, how: .signalled, code: 11)
    return dump.records
}

@Suite struct RoundTripTests {
    @Test func binaryFormRoundTrips() throws {
        let records = everyKindDump()
        let read = try readAll(encodeBinary(records))
        #expect(read.records == records)
        #expect(!read.truncated)
    }

    @Test func framesOfEarlierProducersEndAfterTheirModule() throws {
        // A frame record of 6 fields (as every dump written before fields 7-10) reads with
        // their defaults, and a writer leaves them out when they are all defaults.
        let plain: [Record] = [.meta(Metadata(producer: "t", producerVersion: "1", pid: 1, commandLine: [])), .string(id: 1, value: "f"),
                               .frame(Frame(id: 1, instructionPointer: 0x401136, function: 1, file: 0, line: 0, module: 0))]
        let bytes = encodeBinary(plain)
        #expect(Array(bytes.suffix(11)) == [0x03, 0x09, 0x01, 0xB6, 0xA2, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00])
        #expect(try readAll(bytes).records == plain)
        let line = JSONLinesWriter.line(for: plain[2])
        #expect(!line.contains("inlined") && !line.contains("module_offset") && !line.contains("column"))
    }

    @Test func textFormRoundTrips() throws {
        let records = everyKindDump()
        var text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n"
        for record in records { text += JSONLinesWriter.line(for: record) + "\n" }
        let read = try readAll(Array(text.utf8), path: "test.jsonl")
        #expect(read.records == records)
    }

    @Test func writersProduceWhatReadersRead() throws {
        let directory = try TestPaths.temporaryDirectory()
        for format in DumpFormat.allCases {
            for zstd in [false, true] {
                let path = directory.appendingPathComponent("dump-\(format.rawValue)-\(zstd)").path
                let writer = try makeDumpWriter(format: format,
                                                sink: ByteSink(file: AtomicOutputFile(path: path), zstdLevel: zstd ? 3 : nil))
                for record in everyKindDump() { try writer.write(record) }
                try writer.finish()
                let reader = try DumpOpener.open(path: path)
                var records: [Record] = []
                try reader.forEach { records.append($0) }
                #expect(reader.format == format, "format of \(path)")
                #expect(records == everyKindDump(), "records of \(path)")
            }
        }
    }

    @Test func binaryEncodingIsStable() throws {
        // Pins the byte layout that docs/FORMAT.md documents.
        let alloc = Record.alloc(Alloc(timestamp: 300, thread: 7, address: 0x1000, size: 16, kind: .calloc, stack: 2))
        #expect(encodeRecord(alloc) == [0x10, 8, 0xAC, 0x02, 7, 0x80, 0x20, 16, 1, 2])
        let free = Record.free(Free(timestamp: 1, thread: 1, address: 1, stack: 0))
        #expect(encodeRecord(free) == [0x11, 4, 1, 1, 1, 0])
        #expect(Array(encodeBinary([]).prefix(12)) == [0x89, 0x4D, 0x53, 0x44, 0x0D, 0x0A, 0x1A, 0x0A, 1, 0, 0, 0])
    }

    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 1 << 32, UInt64.max])
    func varintsRoundTrip(value: UInt64) throws {
        let records: [Record] = [
            .meta(Metadata(producer: "t", producerVersion: "1")),
            .alloc(Alloc(timestamp: value, thread: 1, address: value, size: min(value, 1 << 48), stack: 0)),
        ]
        #expect(try readAll(encodeBinary(records)).records == records)
    }

    @Test func unknownKindsAreSkippedWithOneGroupedWarning() throws {
        var records = everyKindDump()
        records.insert(.unknown(kind: 0x35, payload: []), at: 3)
        records.insert(.unknown(kind: 0x35, payload: [9]), at: 4)
        let read = try readAll(encodeBinary(records))
        let groups = read.diagnostics.groups.filter { $0.key == "unknown-kind-53" }
        #expect(groups.count == 1)
        #expect(groups.first?.count == 3)
        #expect(read.diagnostics.lines.first { $0.contains("rss_sample") }?.contains("(3 times") == true)
    }
}

@Suite struct HeapEventFastPathTests {
    /// The recorder's writer calls give the same bytes as records written the usual way.
    @Test(arguments: [UInt64(0), 127, 128, 1 << 35, UInt64.max])
    func sameBytesAsRecords(value: UInt64) throws {
        func bytes(_ write: (MSDBinaryWriter) throws -> Void) throws -> [UInt8] {
            let path = try TestPaths.temporaryDirectory().appendingPathComponent("w.msd").path
            let writer = try MSDBinaryWriter(sink: ByteSink(file: try AtomicOutputFile(path: path)))
            try write(writer)
            try writer.finish()
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        let thread = UInt32(truncatingIfNeeded: value)
        let slow = try bytes { w in
            try w.write(.alloc(Alloc(timestamp: value, thread: thread, address: value, size: value & 0xFFFF_FFFF_FFFF,
                                     kind: .operatorNew, stack: thread)))
            try w.write(.free(Free(timestamp: value, thread: thread, address: value, stack: thread)))
            try w.write(.realloc(Realloc(timestamp: value, thread: thread, oldAddress: value, newAddress: value,
                                         newSize: value & 0xFFFF_FFFF_FFFF, stack: thread)))
            try w.write(.pointerReference(PointerReference(timestamp: value, source: .stack, from: value, to: value,
                                                           interior: value & 1 == 1)))
            try w.write(.blockReferences(BlockReferences(timestamp: value, thread: thread, address: value,
                                                         offsets: [0, 8, (value & 0xFFFF) &* 8], targets: [value, 1, value >> 1])))
        }
        let fast = try bytes { w in
            try w.writeAlloc(timestamp: value, thread: thread, address: value, size: value & 0xFFFF_FFFF_FFFF, kind: .operatorNew,
                             stack: thread)
            try w.writeFree(timestamp: value, thread: thread, address: value, stack: thread)
            try w.writeRealloc(timestamp: value, thread: thread, oldAddress: value, newAddress: value,
                               newSize: value & 0xFFFF_FFFF_FFFF, stack: thread)
            try w.writePointerReference(timestamp: value, source: .stack, from: value, to: value, interior: value & 1 == 1)
            let indices: [UInt64] = [0, 1, value & 0xFFFF], targets = [value, 1, value >> 1]
            try indices.withUnsafeBufferPointer { i in
                try targets.withUnsafeBufferPointer { t in
                    try w.writeBlockReferences(timestamp: value, thread: thread, address: value, wordIndices: i, values: t)
                }
            }
        }
        #expect(fast == slow)
    }
}
