import Foundation
@testable import MemscopeImport
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// memscope-rs 0.1.x binary `.memscope` files, from ``MemscopeRsBinaryWriter`` (written from
/// memscope-rs's writer source; see its note).
@Suite struct MemscopeRsBinaryTests {
    typealias Writer = MemscopeRsBinaryWriter
    static let directory = "Tests/Fixtures/memscope-rs/v0.1"

    func parse(_ bytes: [UInt8]) throws -> MemscopeRsBinaryFile {
        try MemscopeRsBinaryFile(bytes: bytes, path: "input.memscope")
    }

    func analyze(_ bytes: [UInt8]) throws -> Analysis {
        try MemscopeRsExport.analyzeBinary(bytes, path: "input.memscope", diagnostics: Diagnostics(), options: .default)
    }

    /// The committed fixtures are the generator's bytes; MEMSCOPE_RECORD_SNAPSHOTS=1 rewrites them.
    @Test(arguments: ["demo.memscope", "demo-truncated.memscope"])
    func committedFixturesAreTheGeneratorsBytes(name: String) throws {
        let bytes = name == "demo.memscope" ? MemscopeRsBinaryFixtures.demo : MemscopeRsBinaryFixtures.truncated
        let url = TestPaths.packageRoot.appendingPathComponent("\(Self.directory)/\(name)")
        if ProcessInfo.processInfo.environment["MEMSCOPE_RECORD_SNAPSHOTS"] == "1" {
            try Data(bytes).write(to: url)
        }
        #expect(try Array(Data(contentsOf: url)) == bytes, "re-record with MEMSCOPE_RECORD_SNAPSHOTS=1")
    }

    /// Figures computed here from the generator's inputs, by replaying them by hand.
    @Test func demoFiguresMatchTheGeneratorsInputs() throws {
        let inputs = MemscopeRsBinaryFixtures.allocations
        var events: [(time: UInt64, delta: Int64)] = []
        for a in inputs {
            events.append((a.allocatedAt, Int64(a.size)))
            if let freed = a.deallocatedAt { events.append((freed, -Int64(a.size))) }
        }
        events.sort { ($0.time, $0.delta) < ($1.time, $1.delta) }
        var live: Int64 = 0, peak: Int64 = 0, peakAt: UInt64 = 0
        for e in events {
            live += e.delta
            if live > peak { peak = live; peakAt = e.time }
        }
        let start = inputs.map(\.allocatedAt).min()!
        let leaked = inputs.filter { $0.deallocatedAt == nil }

        let (analysis, format) = try InputLoader.analyze(path: TestPaths.packageRoot.appendingPathComponent("\(Self.directory)/demo.memscope").path)
        #expect(format == .memscopeRs)
        let t = analysis.totals
        #expect(t.allocations == UInt64(inputs.count))
        #expect(t.bytesAllocated == inputs.reduce(0) { $0 + $1.size })
        #expect(t.frees == UInt64(inputs.count - leaked.count))
        #expect(t.peakBytes == UInt64(peak) && t.peakTimeNanoseconds == peakAt - start)
        #expect(t.leakedBytes == leaked.reduce(0) { $0 + $1.size } && t.leakedBlocks == UInt64(leaked.count))
        #expect(t.threads == UInt64(Set(inputs.map(\.threadId)).count))
        #expect(!analysis.truncated)
        #expect(analysis.notes.source == "memscope-rs export (binary .memscope file demo.memscope, version 3), 4 tracked allocations")
        #expect(!analysis.notes.missingViews.contains { $0.hasPrefix("Unnamed allocations") })
        #expect(analysis.notes.missingViews.contains { $0.contains("Borrow and clone counts") })
        #expect(analysis.notes.missingViews.contains { $0.contains("(ADVD) trailer") })
        #expect(analysis.notes.inferred.contains { $0.hasPrefix("Synthetic pointers: 1 entry carries") })
    }

    /// Table references (1- and 2-byte indices), inline strings and None strings.
    @Test func stringsResolveAsTheWriterWroteThem() throws {
        let file = try parse(MemscopeRsBinaryFixtures.demo)
        #expect(file.compressedIndices && file.stringTable?.count == 130 && file.hasAdvancedTrailer)
        #expect(file.smartPointers == 1 && file.memoryLayouts == 1)
        let inputs = MemscopeRsBinaryFixtures.allocations
        #expect(file.allocations.count == inputs.count)
        for (read, input) in zip(file.allocations, inputs) {
            #expect(read.address == input.ptr && read.size == input.size && read.allocatedAt == input.allocatedAt)
            #expect(read.freedAt == input.deallocatedAt)
            #expect(read.typeName == input.typeName ?? "unknown type")
            #expect(read.variable == input.varName ?? "" && read.module == input.scopeName ?? "")
            #expect(read.thread == input.threadId)
        }
    }

    /// u16 indices (compressed flag off), 3-byte indices (0xC0 + u16) and no table at all.
    @Test(arguments: ["u16", "three-byte", "none"])
    func otherIndexEncodingsGiveTheSameEntries(kind: String) throws {
        let inputs = MemscopeRsBinaryFixtures.allocations
        var writer: Writer
        switch kind {
        case "u16": writer = Writer(stringTable: MemscopeRsBinaryFixtures.stringTable, compressedIndices: false)
        case "three-byte": writer = Writer(stringTable: (0..<16_400).map { "s\($0)" } + ["ThreadId(1)", "Vec<u8>", "main"])
        default: writer = Writer()
        }
        let file = try parse(writer.bytes(inputs))
        #expect(file.allocations.map(\.typeName) == inputs.map { $0.typeName ?? "unknown type" })
        #expect(file.allocations.map(\.thread) == inputs.map(\.threadId))
        #expect(file.allocations.map(\.module) == inputs.map { $0.scopeName ?? "" })
    }

    /// Records of memscope-rs 0.1.4 before its borrow/clone extensions (also version 3): the
    /// length field picks the layout, with and without string-table references.
    @Test(arguments: [false, true])
    func earlierRecordLayoutIsRecognisedByItsLength(table: Bool) throws {
        var writer = table ? MemscopeRsBinaryFixtures.writer : Writer()
        writer.extendedRecords = false
        let inputs = MemscopeRsBinaryFixtures.allocations
        let file = try parse(writer.bytes(inputs))
        #expect(!file.extendedRecords && file.unmatchedLengths == 0 && file.diagnostics.isEmpty)
        #expect(file.allocations.map(\.size) == inputs.map(\.size))
        #expect(file.allocations.map(\.variable) == inputs.map { $0.varName ?? "" })
        #expect(file.smartPointers == 1 && file.memoryLayouts == 1)
        let later = try parse(MemscopeRsBinaryFixtures.demo)
        #expect(later.extendedRecords && later.unmatchedLengths == 0 && later.diagnostics.isEmpty)
    }

    /// A wrong length field alone does not stop the reading: a warning, the same entries.
    @Test func wrongLengthFieldWarns() throws {
        var bytes = Self.small
        bytes[41] &+= 1  // the length field of the only record, at 40 + 1
        let file = try parse(bytes)
        #expect(file.allocations.count == 1 && file.unmatchedLengths == 1)
        #expect(file.diagnostics.lines.first?.hasPrefix("input.memscope: byte 40: a record's length field matches neither") == true)
    }

    /// The enhanced header's export mode: user-only exports say what they leave out.
    @Test(arguments: [UInt8(0), 1])
    func exportModeOfTheEnhancedHeader(mode: UInt8) throws {
        var writer = Writer()
        writer.exportMode = mode
        let named = MemscopeRsBinaryFixtures.allocations.filter { mode == 1 || $0.varName != nil }
        let analysis = try analyze(writer.bytes(named))
        #expect(analysis.notes.source.hasSuffix("version 3, \(mode == 0 ? "user-only" : "full") export), \(named.count) tracked allocations"))
        #expect(analysis.notes.missingViews.contains { $0.hasPrefix("Unnamed allocations") } == (mode == 0))
    }

    /// Every cut of the demo file: before the first whole record it is a located error;
    /// after, the whole records it holds, flagged as truncated, never a trap.
    @Test func everyTruncationGivesTheWholeRecordsOrALocatedError() throws {
        let demo = MemscopeRsBinaryFixtures.demo
        let starts = (0...4).map(MemscopeRsBinaryFixtures.recordStart)
        for length in stride(from: 0, to: demo.count, by: 1) {
            let cut = Array(demo.prefix(length))
            if length < starts[1] {
                #expect(throws: ImportError.self, "cut at \(length)") { try parse(cut) }
                continue
            }
            let file = try parse(cut)
            let whole = starts.lastIndex { $0 <= length }!
            #expect(file.allocations.count == whole, "cut at \(length)")
            #expect(file.truncated == (whole < 4), "cut at \(length)")
            #expect(!file.diagnostics.isEmpty || whole == 4, "cut at \(length)")
        }
    }

    @Test func truncatedFixtureWarnsWithTheOffset() throws {
        let analysis = try analyze(MemscopeRsBinaryFixtures.truncated)
        #expect(analysis.truncated && analysis.totals.allocations == 2)
        let at = MemscopeRsBinaryFixtures.recordStart(2)
        let line = try #require(analysis.diagnostics.lines.first)
        #expect(line.contains("the file ends inside record 2 (it began at byte \(at);"), "\(line)")
    }

    /// One small record without a string table: header 32 bytes, `NONE` 8, record at 40.
    static var small: [UInt8] {
        Writer().bytes([.init(ptr: 0x1000, size: 16, allocatedAt: 5, varName: "v", typeName: "T", threadId: "ThreadId(1)")])
    }

    @Test(arguments: 0..<7)
    func malformedFilesGiveLocatedErrors(_ n: Int) throws {
        var bytes = Self.small
        let expected: String
        switch n {
        case 0:
            bytes[8] = 9
            expected = "input.memscope: byte 8: error: memscope-rs export: unsupported version binary .memscope version 9; memscope reads binary .memscope version 3"
        case 1:
            bytes.replaceSubrange(32..<36, with: Array("XXXX".utf8))
            expected = "input.memscope: byte 32: error: memscope-rs export: expected the string-table marker 'STBL' or 'NONE', found 'XXXX'"
        case 2:
            bytes[40] = 7
            expected = "input.memscope: byte 40: error: memscope-rs export: expected an allocation record (type 1) or the 'ADVD' trailer, found record type 7"
        case 3:
            bytes[69] = 2
            expected = "input.memscope: byte 69: error: memscope-rs export: expected the deallocation time's presence flag (0 or 1), found 2"
        case 4:
            var writer = Writer(stringTable: ["T"])
            writer.compressedIndices = true
            bytes = writer.bytes([.init(ptr: 0x1000, size: 16, allocatedAt: 5, typeName: "T")])
            // 32 header + STBL 4 + size 4 + flag 1 + count 4 + "T" 5 = 50; record: 5, ptr/size/time 24,
            // dealloc flag 1 (80), var None 4 (84), type 0xFFFF 4 (88): its index.
            #expect(bytes[84..<88] == [0xFF, 0xFF, 0, 0] && bytes[88] == 0)
            bytes[88] = 5
            expected = "input.memscope: byte 88: error: memscope-rs export: refers to string-table entry (type name) 5, but only 1 are defined so far"
        case 5:
            bytes = Array(bytes.prefix(20))
            expected = "input.memscope: byte 0: error: memscope-rs export: expected the 32-byte header, found the end of the file (it is 20 bytes long)"
        default:
            var allocation = Writer.Allocation(ptr: 0x1000, size: 16, allocatedAt: 5, typeName: "Rc<T>")
            allocation.smartPointer = .init(dataPointer: 1, pointerType: 4)
            bytes = Writer().bytes([allocation])
            // The pointer type is the record's last byte before the layout flag and 12 JSON flags.
            let at = bytes.count - 14
            #expect(bytes[at] == 4)
            bytes[at] = 9
            expected = "input.memscope: byte \(at): error: memscope-rs export: expected a smart-pointer type 0–4 (Rc, Arc, RcWeak, ArcWeak, Box), found 9"
        }
        let error = try #require(throws: ImportError.self) { try parse(bytes) }
        #expect(error.description.hasPrefix(expected), "\(error)")
        #expect(error.description.contains("\n  hint: "))
    }

    /// A count that cannot fit in the file is a truncation, not an allocation of that size.
    @Test func absurdCountsAreBoundedByTheFileSize() throws {
        var allocation = Writer.Allocation(ptr: 0x1000, size: 16, allocatedAt: 5, typeName: "T")
        allocation.stackTrace = ["main"]
        let good = Writer.Allocation(ptr: 0x2000, size: 8, allocatedAt: 1, typeName: "U")
        var bytes = Writer().bytes([good, allocation])
        let count = MemscopeRsBinaryWriter().bytes([good]).count + 5 + 24 + 1 + 4 + 4 + 1 + 4 + 4 + 11  // the stack-trace count
        #expect(bytes[count..<count + 4] == [1, 0, 0, 0])
        bytes.replaceSubrange(count..<count + 4, with: [0xFF, 0xFF, 0xFF, 0x7F])
        let file = try parse(bytes)
        #expect(file.allocations.count == 1 && file.truncated)
        #expect(file.diagnostics.lines.first?.contains("byte \(count)") == true)
    }

    /// Streamed: a file of many records is read through a window that keeps its first size
    /// (1 MiB), not held whole (it was read into memory in one piece before).
    @Test func aLargeFileIsStreamedNotHeldWhole() throws {
        let name = String(repeating: "v", count: 240)
        let records = (0..<20_000).map { i in
            Writer.Allocation(ptr: 0x1000 + UInt64(i) * 64, size: 64, allocatedAt: UInt64(i), varName: "\(name)\(i)", typeName: "T")
        }
        let bytes = Writer().bytes(records)
        #expect(bytes.count > 5 << 20)
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("large.memscope").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let decoded = try DecodedFile(path: path)
        let file = try MemscopeRsBinaryFile(file: decoded, path: path)
        #expect(file.allocations.count == records.count && !file.truncated && file.diagnostics.isEmpty)
        #expect(file.allocations.last?.variable == "\(name)19999")
        #expect(decoded.windowCapacity == 1 << 20)
    }

    /// One record may hold at most `maxRecordBytes`: past it, a file that goes on is refused
    /// (a forged length costs no more memory than that), one that ends first is a truncation.
    @Test func aRecordPastTheLimitIsRefusedOrTruncated() throws {
        let small = Writer.Allocation(ptr: 0x1000, size: 16, allocatedAt: 5, varName: "a", typeName: "T")
        let big = Writer.Allocation(ptr: 0x2000, size: 16, allocatedAt: 6, varName: String(repeating: "x", count: 5000), typeName: "T")
        let bytes = Writer().bytes([small, big, small])
        let error = try #require(throws: ImportError.self) { try MemscopeRsBinaryFile(bytes: bytes, path: "input.memscope", maxRecordBytes: 1024) }
        #expect(error.description.contains("expected a record of at most 1024 bytes, found 5000 bytes of the variable name at byte"), "\(error)")
        #expect(try MemscopeRsBinaryFile(bytes: bytes, path: "input.memscope", maxRecordBytes: 8192).allocations.count == 3)
        let bigStart = Writer().bytes([small]).count
        let cut = try MemscopeRsBinaryFile(bytes: Array(bytes.prefix(bigStart + 900)), path: "input.memscope", maxRecordBytes: 1024)
        #expect(cut.allocations.count == 1 && cut.truncated)
    }

    /// Random corruption (seeded: a failing seed reproduces) never traps or hangs: each file
    /// is read, or refused with a located error.
    @Test func corruptedFilesAreReadOrRefusedNeverTrapped() throws {
        let demo = MemscopeRsBinaryFixtures.demo
        for seed in UInt64(0)..<400 {
            var random = SeededRandom(seed: seed)
            var bytes = demo
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 8..<bytes.count, using: &random)
                bytes[at] = seed % 3 == 0 ? 0xFF : UInt8.random(in: 0...255, using: &random)
            }
            do {
                _ = try analyze(bytes)
            } catch let error as ImportError {
                guard case .byte = error.location else {
                    Issue.record("seed \(seed): an error without a byte offset: \(error)")
                    continue
                }
            }
        }
    }

    /// Bytes after the announced records that are not an `ADVD` trailer: read, with a warning.
    @Test func trailingBytesWarn() throws {
        let file = try parse(Self.small + [1, 2, 3])
        #expect(file.allocations.count == 1 && !file.truncated)
        #expect(file.diagnostics.lines == ["input.memscope: byte \(Self.small.count): 3 bytes after the 1 records the header announces are ignored"])
    }

    /// Hostile figures (sizes near 2^64, frees before allocations, time running backwards).
    @Test func hostileFiguresDoNotTrap() throws {
        let records: [Writer.Allocation] = [
            .init(ptr: 1, size: .max, allocatedAt: .max, deallocatedAt: 1, typeName: "T"),
            .init(ptr: 2, size: .max - 1, allocatedAt: 0, typeName: "T"),
            .init(ptr: 3, size: 0, allocatedAt: 5, deallocatedAt: .max, typeName: ""),
        ]
        let analysis = try analyze(Writer().bytes(records))
        #expect(analysis.totals.allocations == 3)
    }
}
