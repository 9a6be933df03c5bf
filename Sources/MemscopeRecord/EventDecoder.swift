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
        case 10: event = .image(timestamp: u(), generation: u32(), executable: string())
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
        default: event = nil
        }
        return failed ? nil : event
    }

    private mutating func u() -> UInt64 {
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

    private mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: u()) }

    private mutating func rawBytes() -> [UInt8] {
        let count = Int(min(u(), UInt64(bytes.count)))
        guard offset + count <= bytes.count else { failed = true; return [] }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    private mutating func string() -> String { String(decoding: rawBytes(), as: UTF8.self) }
}
