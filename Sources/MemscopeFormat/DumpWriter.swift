import CZstd
import MemscopeModel

/// Where a writer's bytes go: a file, optionally through a zstd compressor. Bytes gather
/// in a fixed buffer of ``bufferSize``; small records are encoded straight into it
/// (``write(atMost:_:)``), which is what a recorder writing millions of events needs.
public final class ByteSink {
    private let file: AtomicOutputFile
    private var compressor: OpaquePointer?
    private let buffer: UnsafeMutableRawPointer
    private var count = 0
    private let outputBuffer: UnsafeMutableRawBufferPointer
    /// Bytes gathered before they are written (or compressed) together.
    public static let bufferSize = 1 << 16

    /// - Parameter zstdLevel: compress with zstd at this level (1…19), or not at all when nil.
    public init(file: AtomicOutputFile, zstdLevel: Int32? = nil) {
        self.file = file
        self.outputBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
        if let level = zstdLevel, let stream = ZSTD_createCStream() {
            ZSTD_initCStream(stream, level)
            compressor = stream
        }
    }

    deinit {
        if let compressor { ZSTD_freeCStream(compressor) }
        outputBuffer.deallocate()
        buffer.deallocate()
    }

    public func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Appends raw bytes.
    @inline(__always)
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count > Self.bufferSize - count {
            try flushBuffer()
            // Too large to gather: written (or compressed) as it is.
            if bytes.count > Self.bufferSize { return try emit(bytes, end: false) }
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        (buffer + count).copyMemory(from: base, byteCount: bytes.count)
        count += bytes.count
    }

    public func append(_ text: String) throws {
        var text = text
        try text.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
    }

    /// Lets `encode` write at most `limit` bytes (≤ ``bufferSize``) in place; it returns
    /// how many it wrote.
    @inline(__always)
    public func write(atMost limit: Int, _ encode: (UnsafeMutableRawPointer) -> Int) throws {
        precondition(limit <= Self.bufferSize, "ByteSink.write: more than a buffer")
        if limit > Self.bufferSize - count { try flushBuffer() }
        count += encode(buffer + count)
    }

    private func flushBuffer(end: Bool = false) throws {
        let gathered = UnsafeRawBufferPointer(start: buffer, count: count)
        count = 0
        try emit(gathered, end: end)
    }

    private func emit(_ bytes: UnsafeRawBufferPointer, end: Bool) throws {
        guard let compressor else {
            if !bytes.isEmpty { try file.write(bytes) }
            return
        }
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while true {
            var output = ZSTD_outBuffer(dst: outputBuffer.baseAddress, size: outputBuffer.count, pos: 0)
            let remaining = ZSTD_compressStream2(compressor, &output, &input, end ? ZSTD_e_end : ZSTD_e_continue)
            if ZSTD_isError(remaining) != 0 {
                throw DumpError(path: file.path, problem: .writeFailed(reason: String(cString: ZSTD_getErrorName(remaining))))
            }
            try file.write(UnsafeRawBufferPointer(start: outputBuffer.baseAddress, count: output.pos))
            let done = end ? remaining == 0 : input.pos == input.size
            if done { break }
        }
    }

    /// Writes everything out and renames the file into place.
    public func finish() throws {
        try flushBuffer(end: true)
        try file.commit()
    }
}

/// Writes records in one of the two forms.
public protocol DumpWriter: AnyObject {
    func write(_ record: Record) throws
    /// Flushes and atomically moves the output into place.
    func finish() throws
}

/// Creates the writer for a form.
public func makeDumpWriter(format: DumpFormat, sink: ByteSink) throws -> any DumpWriter {
    switch format {
    case .msd: try MSDBinaryWriter(sink: sink)
    case .jsonl: try JSONLinesWriter(sink: sink)
    }
}

/// Writes the binary `.msd` form.
public final class MSDBinaryWriter: DumpWriter {
    private let sink: ByteSink
    private var payload = PayloadBuilder()
    private var frame: [UInt8] = []

    public init(sink: ByteSink) throws {
        self.sink = sink
        var header = MSDFormat.magic
        header += [UInt8(MSDFormat.version & 0xFF), UInt8(MSDFormat.version >> 8), 0, 0]
        try sink.append(header)
    }

    public func write(_ record: Record) throws {
        payload.bytes.removeAll(keepingCapacity: true)
        MSDBinaryWriter.encode(record, into: &payload)
        try appendPayload(kind: record.kindByte)
    }

    /// The record of `kind` whose payload is in `payload`: kind byte, length, payload.
    private func appendPayload(kind: UInt8) throws {
        frame.removeAll(keepingCapacity: true)
        frame.append(kind)
        var length = PayloadBuilder()
        length.varint(UInt64(payload.bytes.count))
        frame += length.bytes
        frame += payload.bytes
        try sink.append(frame)
    }

    public func finish() throws { try sink.finish() }

    // MARK: Heap events without a Record (a recorder writes millions)

    /// The same bytes as `write(.alloc(…))`.
    public func writeAlloc(timestamp: UInt64, thread: UInt32, address: UInt64, size: UInt64, kind: AllocatorKind,
                           stack: UInt32) throws {
        try writeHeapEvent(RecordKind.alloc.rawValue) { e in
            e.put(timestamp); e.put(UInt64(thread)); e.put(address); e.put(size); e.put(UInt64(kind.rawValue)); e.put(UInt64(stack))
        }
    }

    /// The same bytes as `write(.free(…))`.
    public func writeFree(timestamp: UInt64, thread: UInt32, address: UInt64, stack: UInt32) throws {
        try writeHeapEvent(RecordKind.free.rawValue) { e in
            e.put(timestamp); e.put(UInt64(thread)); e.put(address); e.put(UInt64(stack))
        }
    }

    /// The same bytes as `write(.realloc(…))`.
    public func writeRealloc(timestamp: UInt64, thread: UInt32, oldAddress: UInt64, newAddress: UInt64, newSize: UInt64,
                             stack: UInt32) throws {
        try writeHeapEvent(RecordKind.realloc.rawValue) { e in
            e.put(timestamp); e.put(UInt64(thread)); e.put(oldAddress); e.put(newAddress); e.put(newSize); e.put(UInt64(stack))
        }
    }

    /// The same bytes as `write(.pointerReference(…))`: a scan of a pointer-dense heap writes
    /// millions (a perl's peak: 1.7 million in one scan).
    public func writePointerReference(timestamp: UInt64, source: PointerReference.Source, from: UInt64, to: UInt64,
                                      interior: Bool) throws {
        try writeHeapEvent(RecordKind.pointerReference.rawValue) { e in
            e.put(timestamp); e.put(UInt64(source.rawValue)); e.put(from); e.put(to); e.put(interior ? 1 : 0)
        }
    }

    /// The same bytes as `write(.blockReferences(…))` with `offsets` the word indices × 8, from
    /// the indices and values as the recorder has them (no arrays made per dying block).
    public func writeBlockReferences(timestamp: UInt64, thread: UInt32, address: UInt64,
                                     wordIndices: UnsafeBufferPointer<UInt64>, values: UnsafeBufferPointer<UInt64>) throws {
        payload.bytes.removeAll(keepingCapacity: true)
        payload.varint(timestamp); payload.varint(UInt64(thread)); payload.varint(address)
        let count = min(wordIndices.count, values.count)
        payload.varint(UInt64(count))
        for i in 0..<count { payload.varint(wordIndices[i] &* 8); payload.varint(values[i]) }
        try appendPayload(kind: RecordKind.blockReferences.rawValue)
    }

    /// Varints into the sink's buffer.
    private struct StackEncoder {
        let raw: UnsafeMutableRawBufferPointer
        var count = 2

        @inline(__always)
        mutating func put(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                raw[count] = UInt8(truncatingIfNeeded: v) | 0x80
                v >>= 7
                count += 1
            }
            raw[count] = UInt8(v)
            count += 1
        }
    }

    /// A record of at most six varint fields (60 bytes of payload at most, so its length
    /// is one byte), encoded in place in the sink's buffer.
    @inline(__always)
    private func writeHeapEvent(_ kind: UInt8, _ fields: (inout StackEncoder) -> Void) throws {
        try sink.write(atMost: 2 + 10 * 6) { base in
            var encoder = StackEncoder(raw: UnsafeMutableRawBufferPointer(start: base, count: 2 + 10 * 6))
            fields(&encoder)
            base.storeBytes(of: kind, as: UInt8.self)
            base.storeBytes(of: UInt8(encoder.count - 2), toByteOffset: 1, as: UInt8.self)
            return encoder.count
        }
    }

    /// The payload of a record (without its kind byte and length).
    public static func payload(of record: Record) -> [UInt8] {
        var builder = PayloadBuilder()
        encode(record, into: &builder)
        return builder.bytes
    }

    static func encode(_ record: Record, into p: inout PayloadBuilder) {
        switch record {
        case .meta(let m):
            p.string(m.producer)
            p.string(m.producerVersion)
            p.varint(m.pid)
            p.varint(m.startTimeUnixNanoseconds)
            p.varint(m.clockUnitNanoseconds)
            p.varint(m.pointerSize)
            p.varint(m.commandLine.count)
            for arg in m.commandLine { p.string(arg) }
            if let parent = m.parentPid { p.varint(parent) } // added later: absent unless known
        case .string(let id, let value):
            p.varint(id)
            p.string(value)
        case .frame(let f):
            p.varint(f.id); p.varint(f.instructionPointer); p.varint(f.function)
            p.varint(f.file); p.varint(f.line); p.varint(f.module)
            if f.hasExtendedFields {
                p.varint(f.column); p.varint(f.flags); p.varint(f.moduleOffset ?? 0); p.varint(f.buildID)
            }
        case .stack(let id, let parent, let frame):
            p.varint(id); p.varint(parent); p.varint(frame)
        case .alloc(let a):
            p.varint(a.timestamp); p.varint(a.thread); p.varint(a.address)
            p.varint(a.size); p.varint(a.kind.rawValue); p.varint(a.stack)
        case .free(let f):
            p.varint(f.timestamp); p.varint(f.thread); p.varint(f.address); p.varint(f.stack)
        case .realloc(let r):
            p.varint(r.timestamp); p.varint(r.thread); p.varint(r.oldAddress)
            p.varint(r.newAddress); p.varint(r.newSize); p.varint(r.stack)
        case .threadStart(let ts, let thread, let parent):
            p.varint(ts); p.varint(thread); p.varint(parent)
        case .threadName(let ts, let thread, let name):
            p.varint(ts); p.varint(thread); p.varint(name)
        case .threadExit(let ts, let thread):
            p.varint(ts); p.varint(thread)
        case .processEnd(let e):
            p.varint(e.timestamp); p.varint(e.how.rawValue); p.varint(e.code)
        case .annotation(let a):
            p.varint(a.timestamp); p.varint(a.thread); p.varint(a.address); p.varint(a.name); p.varint(a.typeName)
        case .scopeEnter(let ts, let thread, let name):
            p.varint(ts); p.varint(thread); p.varint(name)
        case .scopeExit(let ts, let thread):
            p.varint(ts); p.varint(thread)
        case .task(let ts, let thread, let task):
            p.varint(ts); p.varint(thread); p.varint(task)
        case .pointerReference(let r):
            p.varint(r.timestamp); p.varint(r.source.rawValue); p.varint(r.from); p.varint(r.to); p.varint(r.interior ? 1 : 0)
        case .moduleMap(let m):
            p.varint(m.timestamp); p.varint(m.start); p.varint(m.end); p.varint(m.loadBias); p.varint(m.path); p.varint(m.buildID)
        case .memoryError(let e):
            p.varint(e.timestamp); p.varint(e.thread); p.varint(e.kind.rawValue); p.varint(e.address); p.varint(e.size)
            p.varint(e.side.rawValue); p.varint(e.offset); p.varint(e.bytes)
            p.varint(e.allocationStack); p.varint(e.freeStack); p.varint(e.foundStack)
        case .rssSample(let ts, let bytes):
            p.varint(ts); p.varint(bytes)
        case .exec(let ts, let commandLine):
            p.varint(ts)
            p.varint(commandLine.count)
            for arg in commandLine { p.string(arg) }
        case .blockReferences(let b):
            p.varint(b.timestamp); p.varint(b.thread); p.varint(b.address)
            let count = min(b.offsets.count, b.targets.count)
            p.varint(UInt64(count))
            for i in 0..<count { p.varint(b.offsets[i]); p.varint(b.targets[i]) }
        case .unknown(_, let payload):
            p.bytes += payload
        }
    }
}

/// Writes the JSON Lines text form, one record per line, members in a fixed order.
public final class JSONLinesWriter: DumpWriter {
    private let sink: ByteSink

    public init(sink: ByteSink) throws {
        self.sink = sink
        try sink.append("{\"type\":\"header\",\"format\":\"msd\",\"version\":\(MSDFormat.version)}\n")
    }

    public func write(_ record: Record) throws {
        try sink.append(JSONLinesWriter.line(for: record) + "\n")
    }

    public func finish() throws { try sink.finish() }

    /// The text-form line of a record, without the newline.
    public static func line(for record: Record) -> String {
        switch record {
        case .meta(let m):
            let argv = m.commandLine.map(jsonString).joined(separator: ",")
            return "{\"type\":\"meta\",\"producer\":\(jsonString(m.producer)),\"producer_version\":\(jsonString(m.producerVersion)),"
                + "\"pid\":\(m.pid),\"start_time_unix_ns\":\(m.startTimeUnixNanoseconds),\"clock_unit_ns\":\(m.clockUnitNanoseconds),"
                + "\"pointer_size\":\(m.pointerSize),\"argv\":[\(argv)]"
                + (m.parentPid.map { ",\"parent_pid\":\($0)" } ?? "") + "}"
        case .string(let id, let value):
            return "{\"type\":\"string\",\"id\":\(id),\"value\":\(jsonString(value))}"
        case .frame(let f):
            return "{\"type\":\"frame\",\"id\":\(f.id),\"ip\":\"\(hex(f.instructionPointer))\",\"function\":\(f.function),"
                + "\"file\":\(f.file),\"line\":\(f.line),\"module\":\(f.module)"
                + (f.column != 0 ? ",\"column\":\(f.column)" : "") + (f.isInlined ? ",\"inlined\":true" : "")
                + (f.moduleOffset.map { ",\"module_offset\":\"\(hex($0))\"" } ?? "")
                + (f.buildID != 0 ? ",\"build_id\":\(f.buildID)" : "") + "}"
        case .stack(let id, let parent, let frame):
            return "{\"type\":\"stack\",\"id\":\(id),\"parent\":\(parent),\"frame\":\(frame)}"
        case .alloc(let a):
            return "{\"type\":\"alloc\",\"ts\":\(a.timestamp),\"thread\":\(a.thread),\"addr\":\"\(hex(a.address))\","
                + "\"size\":\(a.size),\"allocator\":\"\(a.kind.name)\",\"stack\":\(a.stack)}"
        case .free(let f):
            return "{\"type\":\"free\",\"ts\":\(f.timestamp),\"thread\":\(f.thread),\"addr\":\"\(hex(f.address))\",\"stack\":\(f.stack)}"
        case .realloc(let r):
            return "{\"type\":\"realloc\",\"ts\":\(r.timestamp),\"thread\":\(r.thread),\"old_addr\":\"\(hex(r.oldAddress))\","
                + "\"new_addr\":\"\(hex(r.newAddress))\",\"size\":\(r.newSize),\"stack\":\(r.stack)}"
        case .threadStart(let ts, let thread, let parent):
            return "{\"type\":\"thread_start\",\"ts\":\(ts),\"thread\":\(thread),\"parent\":\(parent)}"
        case .threadName(let ts, let thread, let name):
            return "{\"type\":\"thread_name\",\"ts\":\(ts),\"thread\":\(thread),\"name\":\(name)}"
        case .threadExit(let ts, let thread):
            return "{\"type\":\"thread_exit\",\"ts\":\(ts),\"thread\":\(thread)}"
        case .processEnd(let e):
            let how = switch e.how { case .exited: "exited"; case .signalled: "signalled"; case .unknown: "unknown" }
            return "{\"type\":\"process_end\",\"ts\":\(e.timestamp),\"how\":\"\(how)\",\"code\":\(e.code)}"
        case .annotation(let a):
            return "{\"type\":\"annotation\",\"ts\":\(a.timestamp),\"thread\":\(a.thread),\"addr\":\"\(hex(a.address))\","
                + "\"name\":\(a.name),\"type_name\":\(a.typeName)}"
        case .scopeEnter(let ts, let thread, let name):
            return "{\"type\":\"scope_enter\",\"ts\":\(ts),\"thread\":\(thread),\"name\":\(name)}"
        case .scopeExit(let ts, let thread):
            return "{\"type\":\"scope_exit\",\"ts\":\(ts),\"thread\":\(thread)}"
        case .task(let ts, let thread, let task):
            return "{\"type\":\"task\",\"ts\":\(ts),\"thread\":\(thread),\"task\":\(task)}"
        case .pointerReference(let r):
            return "{\"type\":\"pointer_reference\",\"ts\":\(r.timestamp),\"source\":\"\(r.source.name)\","
                + "\"from\":\"\(hex(r.from))\",\"to\":\"\(hex(r.to))\",\"interior\":\(r.interior ? 1 : 0)}"
        case .moduleMap(let m):
            return "{\"type\":\"module_map\",\"ts\":\(m.timestamp),\"start\":\"\(hex(m.start))\",\"end\":\"\(hex(m.end))\","
                + "\"load_bias\":\"\(hex(m.loadBias))\",\"path\":\(m.path),\"build_id\":\(m.buildID)}"
        case .memoryError(let e):
            return "{\"type\":\"memory_error\",\"ts\":\(e.timestamp),\"thread\":\(e.thread),\"kind\":\"\(e.kind.name)\","
                + "\"addr\":\"\(hex(e.address))\",\"size\":\(e.size),\"side\":\"\(e.side.name)\",\"offset\":\(e.offset),"
                + "\"bytes\":\(e.bytes),\"alloc_stack\":\(e.allocationStack),\"free_stack\":\(e.freeStack),"
                + "\"found_stack\":\(e.foundStack)}"
        case .rssSample(let ts, let bytes):
            return "{\"type\":\"rss\",\"ts\":\(ts),\"resident_bytes\":\(bytes)}"
        case .exec(let ts, let commandLine):
            return "{\"type\":\"exec\",\"ts\":\(ts),\"argv\":[\(commandLine.map(jsonString).joined(separator: ","))]}"
        case .blockReferences(let b):
            let count = min(b.offsets.count, b.targets.count)
            let offsets = b.offsets.prefix(count).map { String($0) }.joined(separator: ",")
            let targets = b.targets.prefix(count).map { "\"\(hex($0))\"" }.joined(separator: ",")
            return "{\"type\":\"block_references\",\"ts\":\(b.timestamp),\"thread\":\(b.thread),\"addr\":\"\(hex(b.address))\","
                + "\"offsets\":[\(offsets)],\"targets\":[\(targets)]}"
        case .unknown(let kind, let payload):
            let digits = payload.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            return "{\"type\":\"raw\",\"kind\":\(kind),\"payload\":\"\(digits)\"}"
        }
    }

    private static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
