/// Writes memscope-rs 0.1.x binary `.memscope` files for tests.
///
/// Written by memscope's developers from memscope-rs's writer source (branch v10:
/// `src/export/binary/{format,writer,string_table,serializable,smart_pointer_serialization,
/// memory_layout_serialization}.rs`), byte for byte, including its quirks: the TLV length
/// counts every string as inline even when it is written as a string-table reference, and
/// references are `0xFFFF` (u32) then a 1–3-byte index when the table's compressed flag is
/// set. These files are not produced by memscope-rs itself (no Rust crates offline here).
///
/// One difference: memscope-rs chooses the table's strings by frequency; here the caller
/// lists them. Which strings become references does not change the byte layout.
public struct MemscopeRsBinaryWriter {
    public struct SmartPointer {
        public var dataPointer: UInt64
        public var clonedFrom: UInt64?
        public var clones: [UInt64]
        /// (timestamp, strong count, weak count)
        public var history: [(UInt64, UInt64, UInt64)]
        public var weakCount: UInt64?
        /// 0 Rc, 1 Arc, 2 RcWeak, 3 ArcWeak, 4 Box
        public var pointerType: UInt8
        public init(dataPointer: UInt64, clonedFrom: UInt64? = nil, clones: [UInt64] = [],
                    history: [(UInt64, UInt64, UInt64)] = [], weakCount: UInt64? = nil, pointerType: UInt8) {
            self.dataPointer = dataPointer
            self.clonedFrom = clonedFrom
            self.clones = clones
            self.history = history
            self.weakCount = weakCount
            self.pointerType = pointerType
        }
    }

    /// `MemoryLayoutInfo`, with one field, one padding location of each kind of reason the
    /// caller picks, and an optimization potential.
    public struct Layout {
        public var totalSize: UInt64
        public var alignment: UInt64
        /// (name, type, offset, size, alignment, is padding)
        public var fields: [(String, String, UInt64, UInt64, UInt64, Bool)]
        /// (offset, size, reason 0–3, the text of reason 3 `Other`)
        public var paddings: [(UInt64, UInt64, UInt8, String)]
        public var suggestions: [String]
        /// 0 None, 1 Minor, 2 Moderate, 3 Major
        public var potential: UInt8
        public var potentialSuggestions: [String]
        public var containerJSON: String?
        public init(totalSize: UInt64, alignment: UInt64, fields: [(String, String, UInt64, UInt64, UInt64, Bool)],
                    paddings: [(UInt64, UInt64, UInt8, String)] = [], suggestions: [String] = [], potential: UInt8 = 0,
                    potentialSuggestions: [String] = [], containerJSON: String? = nil) {
            self.totalSize = totalSize
            self.alignment = alignment
            self.fields = fields
            self.paddings = paddings
            self.suggestions = suggestions
            self.potential = potential
            self.potentialSuggestions = potentialSuggestions
            self.containerJSON = containerJSON
        }
    }

    /// `AllocationInfo`, the fields the writer writes.
    public struct Allocation {
        public var ptr: UInt64
        public var size: UInt64
        public var allocatedAt: UInt64
        public var deallocatedAt: UInt64?
        public var varName: String?
        public var typeName: String?
        public var scopeName: String?
        public var threadId: String
        public var stackTrace: [String]?
        public var borrowCount: UInt32 = 0
        public var isLeaked = false
        public var lifetimeMs: UInt64?
        /// (immutable, mutable, max concurrent, last borrow time)
        public var borrowInfo: (UInt32, UInt32, UInt32, UInt64?)?
        /// (clone count, is clone, original pointer)
        public var cloneInfo: (UInt32, Bool, UInt64?)?
        public var ownershipHistoryAvailable = false
        public var smartPointer: SmartPointer?
        public var layout: Layout?
        /// The 12 optional JSON fields, generic_info … access_tracking; nil = absent.
        public var json: [String?] = Array(repeating: nil, count: 12)

        public init(ptr: UInt64, size: UInt64, allocatedAt: UInt64, deallocatedAt: UInt64? = nil,
                    varName: String? = nil, typeName: String? = nil, scopeName: String? = nil,
                    threadId: String = "ThreadId(1)", stackTrace: [String]? = nil) {
            self.ptr = ptr
            self.size = size
            self.allocatedAt = allocatedAt
            self.deallocatedAt = deallocatedAt
            self.varName = varName
            self.typeName = typeName
            self.scopeName = scopeName
            self.threadId = threadId
            self.stackTrace = stackTrace
        }
    }

    /// nil: the `NONE` marker.
    public var stringTable: [String]?
    public var compressedIndices = true
    /// 1 = Full, 0 = UserOnly (`write_enhanced_header`; the caller filters the records).
    public var exportMode: UInt8 = 1
    /// `write_header` (`FileHeader::new_legacy`), as `export_to_binary` writes it: UserOnly,
    /// user count = record count (as u16), no feature flags. The only path with `ADVD`.
    public var legacyHeader = false
    /// false: the records of memscope-rs 0.1.4 before its commit 9931a13 (2025-08-20), also
    /// version 3, without borrow info, clone info and the ownership-history flag.
    public var extendedRecords = true
    /// Appends an `ADVD` segment with lifecycle metrics (`write_advanced_metrics_segment`).
    public var advancedTrailer = false

    public init(stringTable: [String]? = nil, compressedIndices: Bool = true) {
        self.stringTable = stringTable
        self.compressedIndices = compressedIndices
    }

    public func bytes(_ allocations: [Allocation]) -> [UInt8] {
        var out: [UInt8] = []
        // FileHeader::new (or new_legacy) + to_bytes
        out += Array("MEMSCOPE".utf8)
        out += le(UInt32(3), 4)
        out += le(UInt32(allocations.count), 4)
        if legacyHeader {
            out += [0] + le(UInt16(truncatingIfNeeded: allocations.count), 2) + le(UInt16(0), 2) + [0]
        } else {
            out.append(exportMode)
            let user = allocations.filter { $0.varName != nil }.count
            out += le(UInt16(user), 2)
            out += le(UInt16(allocations.count - user), 2)
            out.append(0b11)  // CALL_STACK_NORMALIZATION | FFI_FUNCTION_RESOLUTION
        }
        out += le(UInt16(0), 2) + le(UInt32(0), 4) + le(UInt16(0), 2) + [0, 0]
        // write_string_table_if_present
        if let table = stringTable {
            out += Array("STBL".utf8)
            out += le(UInt32(5 + table.reduce(0) { $0 + 4 + $1.utf8.count }), 4)
            out.append(compressedIndices ? 1 : 0)
            out += le(UInt32(table.count), 4)
            for s in table { out += raw(s) }
        } else {
            out += Array("NONE".utf8) + le(UInt32(0), 4)
        }
        for a in allocations {
            let value = record(a, useTable: true)
            out.append(1)
            out += le(UInt32(record(a, useTable: false).count), 4)  // calculate_value_size: as if inline
            out += value
        }
        if advancedTrailer {
            var data = le(UInt32(allocations.filter { $0.lifetimeMs != nil }.count), 4)
            for a in allocations {
                if let ms = a.lifetimeMs {
                    data += le(a.ptr, 8) + le(ms, 8)
                    if let tracking = a.json[10] { data += [1] + string(tracking, useTable: true) } else { data.append(0) }
                }
            }
            out += Array("ADVD".utf8) + le(UInt32(16 + data.count), 4) + le(UInt32(1), 4) + le(UInt32(0), 4) + data
        }
        return out
    }

    private func record(_ a: Allocation, useTable: Bool) -> [UInt8] {
        var v = le(a.ptr, 8) + le(a.size, 8) + le(a.allocatedAt, 8)
        v += optional(a.deallocatedAt)
        for s in [a.varName, a.typeName, a.scopeName] {
            v += s.map { string($0, useTable: useTable) } ?? le(UInt32(0xFFFF_FFFE), 4)
        }
        v += string(a.threadId, useTable: useTable)
        if let frames = a.stackTrace {
            v += le(UInt32(frames.count), 4)
            for f in frames { v += string(f, useTable: useTable) }
        } else {
            v += le(UInt32(0), 4)
        }
        v += le(a.borrowCount, 4) + [a.isLeaked ? 1 : 0]
        v += optional(a.lifetimeMs)
        if extendedRecords {  // the "improve.md extensions"
            if let (immutable, mutable, most, last) = a.borrowInfo {
                v += [1] + le(immutable, 4) + le(mutable, 4) + le(most, 4) + optional(last)
            } else {
                v.append(0)
            }
            if let (count, isClone, original) = a.cloneInfo {
                v += [1] + le(count, 4) + [isClone ? 1 : 0] + optional(original)
            } else {
                v.append(0)
            }
            v.append(a.ownershipHistoryAvailable ? 1 : 0)
        }
        if let p = a.smartPointer {
            v += [1] + le(p.dataPointer, 8) + optional(p.clonedFrom)
            v += le(UInt32(p.clones.count), 4)
            for c in p.clones { v += le(c, 8) }
            v += le(UInt32(p.history.count), 4)
            for (t, strong, weak) in p.history { v += le(t, 8) + le(strong, 8) + le(weak, 8) }
            v += optional(p.weakCount)
            v += [p.pointerType == 2 || p.pointerType == 3 ? 1 : 0, 1, 0, p.pointerType]
        } else {
            v.append(0)
        }
        if let l = a.layout {
            v += [1] + le(l.totalSize, 8) + le(l.alignment, 8)
            v += le(UInt32(l.fields.count), 4)
            for (name, type, offset, size, alignment, padding) in l.fields {
                v += raw(name) + raw(type) + le(offset, 8) + le(size, 8) + le(alignment, 8) + [padding ? 1 : 0]
            }
            v += le(l.paddings.reduce(0) { $0 + $1.1 }, 8)
            v += le(UInt32(l.paddings.count), 4)
            for (offset, size, reason, text) in l.paddings {
                v += le(offset, 8) + le(size, 8) + [reason] + (reason == 3 ? raw(text) : [])
            }
            v += le(Double(0.125).bitPattern, 8)  // padding_ratio
            v += le(UInt32(l.suggestions.count), 4)
            for s in l.suggestions { v += raw(s) }
            v += le(Double(0.875).bitPattern, 8) + le(Double(0.5).bitPattern, 8) + le(UInt64(0), 8)
            v.append(l.potential)
            if l.potential >= 1 { v += le(UInt64(8), 8) }
            if l.potential >= 2 {
                v += le(UInt32(l.potentialSuggestions.count), 4)
                for s in l.potentialSuggestions { v += raw(s) }
            }
            if let container = l.containerJSON { v += [1] + raw(container) } else { v.append(0) }
        } else {
            v.append(0)
        }
        for field in a.json {
            if let text = field { v += [1] + string(text, useTable: useTable) } else { v.append(0) }
        }
        return v
    }

    /// `write_string`: a table reference when the string is in the table (and not empty).
    private func string(_ s: String, useTable: Bool) -> [UInt8] {
        guard useTable, !s.isEmpty, let index = stringTable?.firstIndex(of: s) else { return raw(s) }
        var out = le(UInt32(0xFFFF), 4)
        let i = UInt16(index)
        if !compressedIndices {
            out += le(i, 2)
        } else if i < 128 {
            out.append(UInt8(i))
        } else if i < 16384 {
            out += [0x80 | UInt8(i >> 8), UInt8(i & 0xFF)]
        } else {
            out += [0xC0] + le(i, 2)
        }
        return out
    }

    private func raw(_ s: String) -> [UInt8] { le(UInt32(s.utf8.count), 4) + Array(s.utf8) }

    private func optional(_ value: UInt64?) -> [UInt8] { value.map { [1] + le($0, 8) } ?? [0] }

    private func le<T: FixedWidthInteger>(_ value: T, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
