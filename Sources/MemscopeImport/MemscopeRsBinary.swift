import MemscopeFormat
import MemscopeModel

/// memscope-rs 0.1.x binary `.memscope` files (magic `MEMSCOPE`), read field by field.
///
/// The layout follows memscope-rs's writer (`v10:src/export/binary/writer.rs` and the
/// serializers it calls), described in /work/shared/docs/input-formats.md:
/// a 32-byte header; a string table (`STBL` or `NONE`); one TLV record per allocation;
/// an optional `ADVD` trailer. Two quirks of the writer decide how it is read:
/// - a string-table reference is `0xFFFF` (as a u32) then the index, a 1–3-byte varint
///   when the table's compressed-indices flag is set (the writer's default), a u16
///   otherwise; memscope-rs's own reader always reads a u16, which is wrong for its files;
/// - a record's length is computed as if every string were inline, so it is wrong
///   whenever references are used: records are parsed field by field and the length is
///   never used to skip. It still tells the two record layouts of version 3 apart (borrow
///   info, clone info and an ownership-history flag were added during 0.1.4): the bytes
///   read, plus what each reference saved against its inline string, must equal it.
///
/// The file is streamed: memory holds the string table, the allocation entries and the
/// record being read (kept whole until it is read, since either layout may be tried),
/// never the whole file. A record may hold at most `maxRecordBytes` (64 MiB), so a forged
/// count or length costs at most that much, or the bytes the file still holds when it
/// ends first (then it reads as a truncation, as a count past the file's end always did).
struct MemscopeRsBinaryFile {
    static let magic = Array("MEMSCOPE".utf8)
    static let headerSize = 32
    /// The most bytes one record (or the header, or one string-table entry) may hold.
    static let defaultMaxRecordBytes = 64 << 20

    var version: UInt32 = 0
    /// The record count the header announces.
    var announcedCount: UInt32 = 0
    /// 0 = UserOnly (only allocations with a variable name), 1 = Full.
    var exportMode: UInt8 = 0
    /// `FileHeader::new_legacy` (written by `export_to_binary`, the path that can add an
    /// `ADVD` trailer): no feature flags, and an export mode of UserOnly that filtered
    /// nothing. Only the other header (`export_to_binary_with_mode`) means its mode.
    var legacyHeader = false
    /// The string table, nil for `NONE`.
    var stringTable: [String]?
    var compressedIndices = false
    /// The UTF-8 length of each table entry as written (for the writer's record lengths).
    private var tableLengths: [Int] = []
    /// memscope-rs's records changed during 0.1.4 (both as version 3): the borrow info,
    /// clone info and ownership-history flag came later. The layout whose bytes match a
    /// record's length field is used; this is the one that matched last.
    var extendedRecords = true
    /// Records whose length field matched neither layout (read as the record before them).
    var unmatchedLengths = 0
    /// What string-table references saved in the current record, against inline strings.
    private var referenceSavings = 0
    var allocations: [MemscopeRsAllocation] = []
    var smartPointers = 0
    /// Records with a stack_trace list.
    var stackTraces = 0
    var memoryLayouts = 0
    var hasAdvancedTrailer = false
    var diagnostics = Diagnostics()
    /// True when the file ends before the records the header announces.
    var truncated = false

    /// The file ended inside a field: a truncation, not a malformed value.
    private struct EndOfData: Error {
        var offset: Int
        var what: String
    }

    private let path: String
    private let file: DecodedFile
    private let maxRecordBytes: Int
    /// The absolute offset of the next byte to read.
    private var offset = 0
    /// The absolute offset of the file's window (bytes before it are consumed): the start
    /// of the record, table entry or header being read.
    private var windowStart = 0
    /// The file's length (after decompression), once its end was seen.
    private var endOffset: Int?

    init(bytes: [UInt8], path: String, maxRecordBytes: Int = Self.defaultMaxRecordBytes) throws {
        try self.init(file: DecodedFile(bytes: bytes, path: path), path: path, maxRecordBytes: maxRecordBytes)
    }

    /// Reads `file` from its current position to its end.
    init(file: DecodedFile, path: String, maxRecordBytes: Int = Self.defaultMaxRecordBytes) throws {
        self.file = file
        self.path = path
        self.maxRecordBytes = maxRecordBytes
        do {
            try readHeader()
            try readStringTable()
        } catch let end as EndOfData {
            throw error(at: end.offset, "the \(end.what)", found: "the end of the file (it is \(fileLength) bytes long)")
        }
        try readRecords()
    }

    // MARK: Sections

    private mutating func readHeader() throws {
        let head = try take(Self.headerSize, "32-byte header")
        guard head.starts(with: Self.magic) else {
            throw error(at: 0, "the magic 'MEMSCOPE'", found: describe(Array(head.prefix(8))))
        }
        version = Self.u32(head, 8)
        // Versions 1 and 2 (16- and 24-byte headers, other records) lived only between
        // memscope-rs commits during 0.1.4's development.
        guard version == 3 else {
            throw ImportError(path: path, location: .byte(8), problem: .unsupportedVersion(
                format: .memscopeRs, found: "binary .memscope version \(version)",
                supported: "binary .memscope version 3, the one memscope-rs 0.1.10 writes"))
        }
        announcedCount = Self.u32(head, 12)
        exportMode = head[16]
        legacyHeader = head[21] == 0
        commit()
    }

    private mutating func readStringTable() throws {
        let markerAt = offset
        let marker = Array(try take(4, "string-table marker"))
        let sizeAt = offset
        let size = try u32("string-table size")
        commit()
        switch marker {
        case Array("NONE".utf8):
            if size != 0 {
                diagnostics.warn(key: "memscope-rs-none-size", "a 'NONE' string table has size \(size), not 0; ignored",
                                 at: "\(path): byte \(sizeAt)")
            }
        case Array("STBL".utf8):
            let flagAt = offset
            let flag = try u8("string table's compressed-indices flag")
            guard flag <= 1 else { throw error(at: flagAt, "the compressed-indices flag (0 or 1)", found: "\(flag)") }
            compressedIndices = flag == 1
            let count = Int(try u32("string-table count"))
            commit()
            // Each entry takes at least its 4-byte length: a forged count ends at the file's end.
            var table: [String] = []
            table.reserveCapacity(min(count, 1 << 12))
            for i in 0..<count {
                let before = offset
                table.append(try rawString("string-table entry \(i)"))
                tableLengths.append(offset - before - 4)
                commit()
            }
            stringTable = table
        default:
            throw error(at: markerAt, "the string-table marker 'STBL' or 'NONE'", found: describe(marker))
        }
    }

    private mutating func readRecords() throws {
        var index = 0
        while try !peek(1).isEmpty {
            if try peek(4).elementsEqual("ADVD".utf8) {
                hasAdvancedTrailer = true
                break
            }
            if index >= Int(announcedCount) {
                let at = offset
                var extra = 0
                while let chunk = try file.nextChunk() { extra += chunk.count }
                diagnostics.warn(key: "memscope-rs-extra", "\(extra) bytes after the \(announcedCount) records the header announces are ignored",
                                 at: "\(path): byte \(at)")
                break
            }
            let start = offset
            do {
                allocations.append(try readEitherLayout(index))
                commit()
            } catch let end as EndOfData {
                truncated = true
                guard index > 0 else {
                    throw ImportError(path: path, location: .byte(UInt64(end.offset)), problem: .expected(
                        format: .memscopeRs, what: "the \(end.what) of record 0 (it began at byte \(start))",
                        found: "the end of the file (it is \(fileLength) bytes long), before the first whole record"))
                }
                diagnostics.warn(key: "memscope-rs-truncated",
                                 "the file ends inside record \(index) (it began at byte \(start); expected the \(end.what)); the \(index) whole records before it are shown",
                                 at: "\(path): byte \(end.offset)", hint: "the export was cut off; the figures cover only the records it holds")
                return
            }
            index += 1
        }
        if index < Int(announcedCount) {
            truncated = true
            guard index > 0 else {
                throw error(at: offset, "record 0 of the \(announcedCount) the header announces",
                            found: "the end of the file (it is \(fileLength) bytes long)")
            }
            diagnostics.warn(key: "memscope-rs-short",
                             "the header announces \(announcedCount) records, the file holds \(index); the \(index) are shown",
                             at: "\(path): byte \(offset)", hint: "the export was cut off; the figures cover only the records it holds")
        }
    }

    /// A record in the layout that its length field confirms: the writer computes the
    /// length as if every string were inline, so the bytes read plus what references saved
    /// must equal it. When neither layout matches, the reading in the layout of the
    /// previous record is kept (with a warning), or its error (or truncation) is reported.
    private mutating func readEitherLayout(_ index: Int) throws -> MemscopeRsAllocation {
        let start = offset
        var first: (result: Result<MemscopeRsAllocation, any Error>, end: Int, parts: (Bool, Bool, Bool))?
        for extended in [extendedRecords, !extendedRecords] {
            offset = start
            do {
                let (allocation, matches) = try readRecord(index, extended: extended)
                if matches {
                    extendedRecords = extended
                    count(recordParts)
                    return allocation
                }
                if first == nil { first = (.success(allocation), offset, recordParts) }
            } catch {
                if first == nil { first = (.failure(error), offset, recordParts) }
            }
        }
        let (result, end, parts) = first!
        let allocation = try result.get()
        offset = end
        count(parts)
        unmatchedLengths += 1
        diagnostics.warn(key: "memscope-rs-length", "a record's length field matches neither of memscope-rs's record layouts; read as the layout of the record before it",
                         at: "\(path): byte \(start)", hint: "the file may be corrupt; check the figures against memscope-rs's own report")
        return allocation
    }

    /// Whether the record just read had smart-pointer info, a memory layout and a stack trace.
    private var recordParts = (false, false, false)

    private mutating func count(_ parts: (Bool, Bool, Bool)) {
        if parts.0 { smartPointers += 1 }
        if parts.1 { memoryLayouts += 1 }
        if parts.2 { stackTraces += 1 }
    }

    /// One allocation record (`BinaryWriter::write_allocation`), and whether its length
    /// field matches what was read.
    private mutating func readRecord(_ index: Int, extended: Bool) throws -> (MemscopeRsAllocation, Bool) {
        let typeAt = offset
        let type = try u8("record type")
        guard type == 1 else {
            throw error(at: typeAt, "an allocation record (type 1) or the 'ADVD' trailer", found: "record type \(type)")
        }
        let length = Int(try u32("record length"))  // wrong whenever string-table references are used
        let valueStart = offset
        referenceSavings = 0
        recordParts = (false, false, false)
        let ptr = try u64("pointer")
        let size = try u64("size")
        let allocated = try u64("allocation time")
        let freed = try flag("deallocation time's presence flag") ? try u64("deallocation time") : nil
        let variable = try string("variable name")
        let typeName = try string("type name")
        let scope = try string("scope name")
        let thread = try string("thread id", optional: false)
        let frames = Int(try u32("stack-trace count"))
        try fits(frames, each: 4, "stack-trace count")
        recordParts.2 = frames > 0
        for i in 0..<frames { _ = try string("stack-trace frame \(i)", optional: false) }
        _ = try take(4 + 1, "borrow count and leak flag")
        if try flag("lifetime's presence flag") { _ = try take(8, "lifetime") }
        if extended {
            if try flag("borrow info's presence flag") {
                _ = try take(12, "borrow counts")
                if try flag("last borrow time's presence flag") { _ = try take(8, "last borrow time") }
            }
            if try flag("clone info's presence flag") {
                _ = try take(5, "clone count and clone flag")
                if try flag("original pointer's presence flag") { _ = try take(8, "original pointer") }
            }
            _ = try u8("ownership-history flag")
        }
        if try flag("smart-pointer info's presence flag") {
            try skipSmartPointerInfo()
            recordParts.0 = true
        }
        if try flag("memory layout's presence flag") {
            try skipMemoryLayout()
            recordParts.1 = true
        }
        for field in Self.jsonFields {
            if try flag("\(field)'s presence flag") { _ = try string("\(field) (JSON)", optional: false) }
        }
        let allocation = MemscopeRsAllocation(address: ptr, size: size, allocatedAt: allocated, freedAt: freed == 0 ? nil : freed,
                                              thread: thread ?? "", typeName: typeName ?? "unknown type",
                                              variable: variable ?? "", module: scope ?? "")
        return (allocation, offset - valueStart + referenceSavings == length)
    }

    static let jsonFields = ["generic_info", "dynamic_type_info", "runtime_state", "stack_allocation", "temporary_object",
                             "fragmentation_analysis", "generic_instantiation", "type_relationships", "type_usage",
                             "function_call_tracking", "lifecycle_tracking", "access_tracking"]

    /// `SmartPointerInfo::write_binary` (smart_pointer_serialization.rs).
    private mutating func skipSmartPointerInfo() throws {
        _ = try take(8, "smart pointer's data pointer")
        if try flag("cloned-from presence flag") { _ = try take(8, "cloned-from pointer") }
        let clones = Int(try u32("clone count"))
        try fits(clones, each: 8, "clone count")
        _ = try take(clones * 8, "clone pointers")
        let history = Int(try u32("reference-count history length"))
        try fits(history, each: 24, "reference-count history length")
        _ = try take(history * 24, "reference-count history")
        if try flag("weak count's presence flag") { _ = try take(8, "weak count") }
        _ = try take(3, "weak, data-owner and implicitly-deallocated flags")
        let kindAt = offset
        let kind = try u8("smart-pointer type")
        guard kind <= 4 else { throw error(at: kindAt, "a smart-pointer type 0–4 (Rc, Arc, RcWeak, ArcWeak, Box)", found: "\(kind)") }
    }

    /// `MemoryLayoutInfo::write_binary` (memory_layout_serialization.rs). Its strings are
    /// always inline (u32 length and bytes, no None marker, no table references).
    private mutating func skipMemoryLayout() throws {
        _ = try take(16, "layout's total size and alignment")
        let fields = Int(try u32("layout field count"))
        try fits(fields, each: 4 + 4 + 24 + 1, "layout field count")
        for i in 0..<fields {
            _ = try rawString("layout field \(i)'s name")
            _ = try rawString("layout field \(i)'s type")
            _ = try take(24 + 1, "layout field \(i)'s offset, size, alignment and padding flag")
        }
        _ = try take(8, "total padding bytes")
        let paddings = Int(try u32("padding location count"))
        try fits(paddings, each: 17, "padding location count")
        for i in 0..<paddings {
            _ = try take(16, "padding location \(i)'s offset and size")
            let reasonAt = offset
            let reason = try u8("padding location \(i)'s reason")
            switch reason {
            case 0...2: break
            case 3: _ = try rawString("padding location \(i)'s reason text")
            default: throw error(at: reasonAt, "a padding reason 0–3", found: "\(reason)")
            }
        }
        _ = try take(8, "padding ratio")
        try skipRawStrings("padding suggestion count")
        _ = try take(24, "memory utilization, cache friendliness and alignment waste")
        let potentialAt = offset
        let potential = try u8("optimization potential")
        switch potential {
        case 0: break
        case 1: _ = try take(8, "potential savings")
        case 2, 3:
            _ = try take(8, "potential savings")
            try skipRawStrings("optimization suggestion count")
        default: throw error(at: potentialAt, "an optimization potential 0–3 (None, Minor, Moderate, Major)", found: "\(potential)")
        }
        if try flag("container analysis's presence flag") { _ = try rawString("container analysis (JSON)") }
    }

    private mutating func skipRawStrings(_ what: String) throws {
        let count = Int(try u32(what))
        try fits(count, each: 4, what)
        for i in 0..<count { _ = try rawString("string \(i) after the \(what)") }
    }

    // MARK: Primitives

    /// The file's length, when its end was seen (the offset reached otherwise).
    private var fileLength: Int { endOffset ?? offset }

    /// Up to `count` bytes from `offset`, fewer only at the end of the file; not consumed.
    private mutating func peek(_ count: Int) throws -> UnsafeRawBufferPointer {
        let position = offset - windowStart
        let window = try file.window(position + count)
        if window.count < position + count { endOffset = windowStart + window.count }
        return UnsafeRawBufferPointer(rebasing: window[min(position, window.count)...].prefix(count))
    }

    /// Checks that `count` more bytes follow `offset` in the current record: ``EndOfData``
    /// when the file ends first, an error when the record would pass `maxRecordBytes`.
    private mutating func require(_ count: Int, _ what: @autoclosure () -> String) throws {
        let position = offset - windowStart
        guard count <= maxRecordBytes - position else {
            // Past the limit: a truncation if the file ends within it, else too big.
            let window = try file.window(maxRecordBytes + 1)
            if window.count <= maxRecordBytes {
                endOffset = windowStart + window.count
                throw EndOfData(offset: offset, what: what())
            }
            throw ImportError(path: path, location: .byte(UInt64(windowStart)), problem: .expected(
                format: .memscopeRs, what: "a record of at most \(maxRecordBytes) bytes",
                found: "\(count == Int.max ? "more" : "\(count)") bytes of the \(what()) at byte \(offset)"))
        }
        guard try peek(count).count == count else { throw EndOfData(offset: offset, what: what()) }
    }

    /// The next `count` bytes, valid until the next read.
    private mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        try require(count, what())
        let bytes = try peek(count)
        offset += count
        return bytes
    }

    /// Done with everything before `offset`: the file may forget it.
    private mutating func commit() {
        file.consume(offset - windowStart)
        windowStart = offset
    }

    private mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 { try take(1, what()).first! }

    private mutating func u16(_ what: @autoclosure () -> String) throws -> UInt16 {
        let b = try take(2, what())
        return UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8
    }

    private mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 { Self.u32(try take(4, what()), 0) }

    private mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 {
        let b = try take(8, what())
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[b.startIndex + $1]) << (8 * UInt64($1)) }
    }

    private static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[b.startIndex + at + $1]) << (8 * UInt32($1)) }
    }

    /// A presence flag: 0 or 1, anything else is malformed.
    private mutating func flag(_ what: @autoclosure () -> String) throws -> Bool {
        let at = offset
        let value = try u8(what())
        guard value <= 1 else { throw error(at: at, "the \(what()) (0 or 1)", found: "\(value)") }
        return value == 1
    }

    /// A count of items of at least `each` bytes must fit in what remains; if not, the
    /// file is cut off (or the count is corrupt, which reads the same way).
    private mutating func fits(_ count: Int, each: Int, _ what: @autoclosure () -> String) throws {
        let (total, overflow) = count.multipliedReportingOverflow(by: each)
        do {
            try require(overflow ? Int.max : total, "\(count) items the \(what()) announces")
        } catch let end as EndOfData {
            throw EndOfData(offset: offset - 4, what: end.what)
        }
    }

    /// `primitives::write_string`: u32 length and UTF-8 bytes.
    private mutating func rawString(_ what: @autoclosure () -> String) throws -> String {
        let length = Int(try u32("\(what())'s length"))
        return String(decoding: try take(length, what()), as: UTF8.self)
    }

    /// A record's string (`write_optional_string` / `write_string`): `0xFFFFFFFE` = None,
    /// `0xFFFF` = string-table reference (only when the file has a table), else inline.
    private mutating func string(_ describe: @autoclosure () -> String, optional: Bool = true) throws -> String? {
        let at = offset
        let length = try u32("\(describe())'s length")
        if length == 0xFFFF_FFFE {
            guard optional else { throw error(at: at, "the \(describe()) (a string)", found: "the None marker 0xFFFFFFFE") }
            return nil
        }
        if length == 0xFFFF, let table = stringTable {
            let indexAt = offset
            let index = try tableIndex(describe())
            guard index < table.count else {
                throw ImportError(path: path, location: .byte(UInt64(indexAt)), problem: .undefinedIndex(
                    format: .memscopeRs, table: "string-table entry (\(describe()))", index: UInt64(index), defined: table.count))
            }
            referenceSavings += 4 + tableLengths[index] - (offset - at)
            return table[index]
        }
        return String(decoding: try take(Int(length), describe()), as: UTF8.self)
    }

    /// `StringTable::write_compressed_index`: < 0x80 one byte; 0x80–0xBF: 14 bits in two
    /// bytes; 0xC0 then a u16. A u16 when the table's flag says uncompressed.
    private mutating func tableIndex(_ what: @autoclosure () -> String) throws -> Int {
        guard compressedIndices else { return Int(try u16("\(what())'s string-table index")) }
        let first = try u8("\(what())'s string-table index")
        if first < 0x80 { return Int(first) }
        if first < 0xC0 { return Int(first & 0x3F) << 8 | Int(try u8("\(what())'s string-table index (second byte)")) }
        return Int(try u16("\(what())'s string-table index (u16 after 0xC0)"))
    }

    // MARK: Errors

    private func error(at offset: Int, _ what: String, found: String) -> ImportError {
        ImportError(path: path, location: .byte(UInt64(offset)), problem: .expected(format: .memscopeRs, what: what, found: found))
    }

    private func describe(_ bytes: some Collection<UInt8>) -> String {
        let printable = bytes.allSatisfy { (0x20..<0x7F).contains($0) }
        if printable && !bytes.isEmpty { return "'\(String(decoding: bytes, as: UTF8.self))'" }
        return bytes.isEmpty ? "nothing" : "bytes " + bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
    }
}
