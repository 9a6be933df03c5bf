#if canImport(Glibc)
import Glibc
#endif
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

@Suite struct TruncationTests {
    /// Cuts a dump at every byte offset: the reader never traps, returns exactly the
    /// records that end before the cut, and warns when the cut falls inside a record.
    @Test func binaryDumpCutAtEveryOffset() throws {
        let records = everyKindDump()
        let bytes = encodeBinary(records)
        var ends: [Int] = []  // byte offset where each record ends
        var offset = MSDFormat.headerSize
        for record in records {
            offset += encodeRecord(record).count
            ends.append(offset)
        }
        for cut in 1..<bytes.count {
            let read = try readAll(Array(bytes.prefix(cut)))
            let whole = ends.filter { $0 <= cut }.count
            #expect(read.records == Array(records.prefix(whole)), "cut at \(cut)")
            let atBoundary = cut == MSDFormat.headerSize || ends.contains(cut)
            #expect(read.truncated == !atBoundary, "cut at \(cut)")
            if !atBoundary {
                #expect(read.diagnostics.lines.contains { $0.contains("cut off") }, "cut at \(cut)")
            }
        }
    }

    /// The bundled sample with errors, cut at every byte offset.
    @Test func sampleDumpCutAtEveryOffset() throws {
        let bytes = try [UInt8](contentsOf: TestPaths.sample("memory-errors.msd"))
        let full = try readAll(bytes).records
        #expect(full.count > 300)
        var previous = 0
        for cut in MSDFormat.headerSize..<bytes.count {
            let read = try readAll(Array(bytes.prefix(cut)))
            #expect(read.records == Array(full.prefix(read.records.count)), "cut at \(cut)")
            #expect(read.records.count >= previous, "cut at \(cut)")
            #expect(read.truncated || read.records.count > previous || cut == MSDFormat.headerSize, "cut at \(cut)")
            previous = read.records.count
        }
    }

    @Test func zstdDumpCutShortReadsItsPrefix() throws {
        let directory = try TestPaths.temporaryDirectory()
        let path = directory.appendingPathComponent("d.msd.zst").path
        let writer = try MSDBinaryWriter(sink: ByteSink(file: AtomicOutputFile(path: path), zstdLevel: 3))
        var dump = DumpBuilder()
        let s = dump.stack("main")
        for i in 0..<40_000 { dump.alloc(ts: UInt64(i) * 977, address: 0x1000 + UInt64(i) * 48, size: UInt64(i % 1000), stack: s) }
        for record in dump.records { try writer.write(record) }
        try writer.finish()
        let full = try [UInt8](contentsOf: path)
        var recordsSeen = 0
        for cut in stride(from: 5, to: full.count, by: max(1, full.count / 50)) {
            let read: (records: [Record], diagnostics: Diagnostics, truncated: Bool)
            do {
                read = try readAll(Array(full.prefix(cut)))
            } catch let error as DumpError {
                // Only a stream cut before its first decodable block may fail, and says so.
                #expect(recordsSeen == 0 && error.message.contains("cut off before any data"), "cut at \(cut): \(error)")
                continue
            }
            #expect(read.records.count >= recordsSeen, "cut at \(cut)")
            recordsSeen = read.records.count
            #expect(read.records == Array(dump.records.prefix(read.records.count)), "cut at \(cut)")
            #expect(read.diagnostics.lines.contains { $0.contains("zstd") || $0.contains("cut off") }, "cut at \(cut)")
        }
        #expect(recordsSeen > 0)
    }

    @Test func textDumpCutInsideALine() throws {
        var text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n"
        for record in everyKindDump() { text += JSONLinesWriter.line(for: record) + "\n" }
        let bytes = Array(text.utf8)
        let lastLineStart = bytes.dropLast().lastIndex(of: 0x0A)! + 1
        let read = try readAll(Array(bytes.prefix(lastLineStart + 10)), path: "t.jsonl")
        #expect(read.truncated)
        #expect(read.records == Array(everyKindDump().dropLast()))
    }
}

extension Array where Element == UInt8 {
    init(contentsOf path: String) throws {
        let reader = try DumpOpenerBytes.read(path)
        self = reader
    }
}

enum DumpOpenerBytes {
    static func read(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer.prefix(n)
        }
        return bytes
    }
}
