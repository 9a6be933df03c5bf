/// Decodes the preload library's event encoding: a tag byte, then LEB128 fields
/// and length-prefixed strings (Sources/MemscopePreload/recorder.h, `enum ms_event`).
struct EventDecoder {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    private var failed = false

    init(bytes: UnsafeRawBufferPointer, offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    /// The next event when it is an allocation, a free or a realloc (nearly all of a
    /// spool), decoded into a plain value; nil, with the offset unmoved, for any other
    /// kind, or at the end.
    @inline(__always)
    mutating func decodeHeapEvent() -> SpoolHeapEvent? {
        guard offset < bytes.count else { return nil }
        let tag = bytes[offset]
        guard tag >= 1 && tag <= 3 else { return nil }
        let start = offset
        offset += 1
        var event = SpoolHeapEvent(tag: tag)
        event.timestamp = u()
        switch tag {
        case 1:
            event.address = u(); event.size = u(); event.kind = UInt8(truncatingIfNeeded: u()); event.stack = u32()
        case 2:
            event.address = u(); event.stack = u32()
        default:
            event.oldAddress = u(); event.address = u(); event.size = u(); event.stack = u32()
        }
        if failed {
            offset = start
            failed = false
            return nil
        }
        return event
    }

    /// Moves past an allocation, a free or a realloc without decoding it (the index
    /// cursor's work); false, with the offset unmoved, for any other kind.
    @inline(__always)
    mutating func skipHeapEvent() -> Bool {
        guard offset < bytes.count else { return false }
        let tag = bytes[offset]
        let fields: Int
        switch tag {
        case 1, 3: fields = 5
        case 2: fields = 3
        default: return false
        }
        var position = offset + 1
        var remaining = fields
        // Fast path: the field ends (bytes below 0x80) among the next 16 bytes, 8 at a time.
        if position + 16 <= bytes.count {
            for half in 0..<2 {
                let word = bytes.loadUnaligned(fromByteOffset: position + 8 * half, as: UInt64.self)
                var stops = ~word & 0x8080_8080_8080_8080
                let found = stops.nonzeroBitCount
                if found >= remaining {
                    for _ in 1..<remaining { stops &= stops &- 1 }
                    offset = position + 8 * half + stops.trailingZeroBitCount / 8 + 1
                    return true
                }
                remaining -= found
            }
            remaining = fields
        }
        while remaining > 0 {
            guard position < bytes.count else { return false }
            if bytes[position] < 0x80 { remaining -= 1 }
            position += 1
        }
        offset = position
        return true
    }

    mutating func decode() -> SpoolEvent? {
        guard offset < bytes.count else { return nil }
        let tag = bytes[offset]
        offset += 1
        let event: SpoolEvent?
        switch tag {
        case 1: event = .alloc(timestamp: u(), address: u(), size: u(), kind: UInt8(truncatingIfNeeded: u()), stack: u32())
        case 2: event = .free(timestamp: u(), address: u(), stack: u32())
        case 3: event = .realloc(timestamp: u(), old: u(), new: u(), size: u(), stack: u32())
        case 4:
            let id = u32(), generation = u32(), depth = Int(min(u(), 4096))
            var addresses: [UInt64] = []
            addresses.reserveCapacity(depth)
            for _ in 0..<depth { addresses.append(u()) }
            event = .stack(id: id, generation: generation, addresses: addresses)
        case 5: event = .threadStart(timestamp: u(), parent: u32())
        case 6: event = .threadName(timestamp: u(), thread: u32(), name: string())
        case 7: event = .threadExit(timestamp: u())
        case 8:
            event = .module(SpoolModule(timestamp: u(), generation: u32(), start: u(), end: u(), bias: u(),
                                        path: string(), buildID: rawBytes()))
        case 9: event = .fork(timestamp: u(), child: u32())
        case 10:
            let ts = u(), generation = u32(), executable = string()
            let argv = rawBytes(), truncated = u() != 0
            event = .image(timestamp: ts, generation: generation, executable: executable,
                           commandLine: SpoolStream.arguments(argv, truncated: truncated))
        case 11: event = .annotate(timestamp: u(), address: u(), name: string(), type: string())
        case 12: event = .scopeEnter(timestamp: u(), name: string())
        case 13: event = .scopeExit(timestamp: u())
        case 14: event = .taskEnter(timestamp: u(), task: u())
        case 15: event = .taskExit(timestamp: u())
        case 16:
            let from = u(), to = u(), interior = u() != 0
            _ = u() // offset into the block
            event = .reference(from: from, to: to, interior: interior)
        case 17:
            let to = u(), offset = u()
            event = .root(to: to, interior: offset != 0, region: UInt8(truncatingIfNeeded: u()))
        case 18: event = .end(timestamp: u(), how: UInt8(truncatingIfNeeded: u()), code: u32())
        case 19: event = .scan(timestamp: u(), liveBlocks: u())
        case 20:
            event = .memoryError(SpoolMemoryError(
                timestamp: u(), kind: UInt8(truncatingIfNeeded: u()), address: u(), size: u(),
                side: UInt8(truncatingIfNeeded: u()), offset: u(), bytes: u(), allocationStack: u32(),
                freeStack: u32(), foundStack: u32()))
        case 21:
            let ts = u(), address = u(), count = Int(min(u(), 4096))
            var indices: [UInt64] = [], values: [UInt64] = []
            indices.reserveCapacity(count)
            values.reserveCapacity(count)
            for _ in 0..<count {
                indices.append(u())
                values.append(u())
            }
            event = .words(timestamp: ts, address: address, indices: indices, values: values)
        default: event = nil
        }
        return failed ? nil : event
    }

    @inline(__always)
    private mutating func u() -> UInt64 {
        // Fast path: a field of up to 8 bytes (every value below 2^56) from one load.
        if offset + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let stops = ~word & 0x8080_8080_8080_8080
            if stops != 0 {
                let length = stops.trailingZeroBitCount / 8 + 1
                var value = word & 0x7F
                value |= (word >> 1) & 0x3F80
                value |= (word >> 2) & 0x1F_C000
                value |= (word >> 3) & 0xFE0_0000
                value |= (word >> 4) & 0x7_F000_0000
                value |= (word >> 5) & 0x3F8_0000_0000
                value |= (word >> 6) & 0x1_FC00_0000_0000
                value |= (word >> 7) & 0xFE_0000_0000_0000
                offset += length
                return value & ((1 << UInt64(7 * length)) &- 1)
            }
        }
        return slowU()
    }

    private mutating func slowU() -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if shift < 64 { value |= UInt64(byte & 0x7F) << shift }
            if byte < 0x80 { return value }
            shift += 7
        }
        failed = true
        return 0
    }

    @inline(__always)
    private mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: u()) }

    private mutating func rawBytes() -> [UInt8] {
        let count = Int(min(u(), UInt64(bytes.count)))
        guard offset + count <= bytes.count else { failed = true; return [] }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    private mutating func string() -> String { String(decoding: rawBytes(), as: UTF8.self) }
}

/// An allocation, free or realloc as the spool holds it, in a plain value: the events
/// a spool is made of, read without building a ``SpoolEvent``.
struct SpoolHeapEvent {
    /// 1 alloc, 2 free, 3 realloc (the spool's tags).
    var tag: UInt8
    var timestamp: UInt64 = 0
    /// The block (alloc, free) or the realloc's new address.
    var address: UInt64 = 0
    var oldAddress: UInt64 = 0
    var size: UInt64 = 0
    var kind: UInt8 = 0
    var stack: UInt32 = 0

    init(tag: UInt8) { self.tag = tag }

    /// The same event as a ``SpoolEvent``.
    var event: SpoolEvent {
        switch tag {
        case 1: .alloc(timestamp: timestamp, address: address, size: size, kind: kind, stack: stack)
        case 2: .free(timestamp: timestamp, address: address, stack: stack)
        default: .realloc(timestamp: timestamp, old: oldAddress, new: address, size: size, stack: stack)
        }
    }
}
