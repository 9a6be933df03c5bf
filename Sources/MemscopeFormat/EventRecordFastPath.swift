import MemscopeModel

/// The fast path of ``MSDBinaryReader`` for the records that make up nearly all of a dump:
/// alloc, free and realloc, decoded straight into a batch's ``HeapEvent``s.
///
/// Why: the general decoder checks bounds and may throw at every field, and built a record
/// in about 560 instructions. Here a record is taken only when it and ``slack`` bytes after it
/// are in the buffer, so its fields are read with unchecked loads and every check (payload
/// not cut short, valid LEB128, ranges, defined stack, known allocator) is tested once per
/// record. A record that fails any of them is not taken: the run stops there and the general
/// decoder reads that record again and reports the exact error or warning. This path never
/// reports anything itself, so what the reader yields and reports is the same with or
/// without it.
enum EventRecordFastPath {
    /// Bytes readable after a record's payload that the unchecked reads may touch: each of at
    /// most 6 fields reads at most 10 bytes, so fields that run past a payload cut short are
    /// still read inside the buffer, and found out afterwards.
    static let slack = 64
    /// Bytes a run needs before its next record: kind byte and a length of up to 10 bytes,
    /// then the slack.
    static let minimumWindow = 11 + slack

    /// Decodes the alloc, free and realloc records at the front of `bytes` into `events`,
    /// until it wrote `maxCount` events, the buffer ends (within ``minimumWindow``), or a
    /// record is not one it takes; returns the bytes those records took and the events
    /// written.
    /// - Parameter definedStacks: how many stacks are defined (events do not define any).
    static func decode(_ bytes: UnsafeRawBufferPointer, definedStacks: UInt32,
                       into events: UnsafeMutablePointer<HeapEvent>, maxCount: Int) -> (bytes: Int, events: Int) {
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return (0, 0) }
        let end = start + bytes.count
        let stacks = UInt64(definedStacks)
        var next = start
        var written = 0
        records: while written < maxCount && end - next >= minimumWindow {
            var p = next + 1
            var malformed = false
            let length = UncheckedVarint.read(&p, malformed: &malformed)
            // `end - p >= slack` here, as the length takes at most 10 bytes.
            guard !malformed, length <= MSDFormat.maxPayloadLength, length <= UInt64(end - p - slack) else { break }
            let payloadEnd = p + Int(length)
            let event: HeapEvent
            switch next.pointee {
            case RecordKind.alloc.rawValue:
                let timestamp = UncheckedVarint.readWide(&p, malformed: &malformed)
                let thread = UncheckedVarint.read(&p, malformed: &malformed)
                let address = UncheckedVarint.readWide(&p, malformed: &malformed)
                let size = UncheckedVarint.read(&p, malformed: &malformed)
                let allocator = UncheckedVarint.read(&p, malformed: &malformed)
                let stack = UncheckedVarint.read(&p, malformed: &malformed)
                guard !malformed, p <= payloadEnd, thread <= UInt64(UInt32.max), size <= MSDFormat.maxBlockSize,
                      stack <= stacks, let kind = allocatorKind(allocator)
                else { break records }
                event = HeapEvent(kind: .alloc, timestamp: timestamp, thread: UInt32(truncatingIfNeeded: thread),
                                  address: address, size: size, stack: UInt32(truncatingIfNeeded: stack),
                                  allocator: kind)
            case RecordKind.free.rawValue:
                let timestamp = UncheckedVarint.readWide(&p, malformed: &malformed)
                let thread = UncheckedVarint.read(&p, malformed: &malformed)
                let address = UncheckedVarint.readWide(&p, malformed: &malformed)
                let stack = UncheckedVarint.read(&p, malformed: &malformed)
                guard !malformed, p <= payloadEnd, thread <= UInt64(UInt32.max), stack <= stacks else { break records }
                event = HeapEvent(kind: .free, timestamp: timestamp, thread: UInt32(truncatingIfNeeded: thread),
                                  address: address, stack: UInt32(truncatingIfNeeded: stack))
            case RecordKind.realloc.rawValue:
                let timestamp = UncheckedVarint.readWide(&p, malformed: &malformed)
                let thread = UncheckedVarint.read(&p, malformed: &malformed)
                let oldAddress = UncheckedVarint.readWide(&p, malformed: &malformed)
                let newAddress = UncheckedVarint.readWide(&p, malformed: &malformed)
                let newSize = UncheckedVarint.read(&p, malformed: &malformed)
                let stack = UncheckedVarint.read(&p, malformed: &malformed)
                guard !malformed, p <= payloadEnd, thread <= UInt64(UInt32.max), newSize <= MSDFormat.maxBlockSize,
                      stack <= stacks else { break records }
                event = HeapEvent(kind: .realloc, timestamp: timestamp, thread: UInt32(truncatingIfNeeded: thread),
                                  address: newAddress, size: newSize, oldAddress: oldAddress,
                                  stack: UInt32(truncatingIfNeeded: stack))
            default:
                break records
            }
            (events + written).initialize(to: event)
            written += 1
            // Bytes after the last known field are skipped (docs/FORMAT.md §3).
            next = payloadEnd
        }
        return (next - start, written)
    }

    /// `AllocatorKind(rawValue:)`, spelled out so that it is inlined: the initializer is a
    /// call into another module, and this runs for every alloc record.
    @inline(__always)
    private static func allocatorKind(_ value: UInt64) -> AllocatorKind? {
        switch value {
        case 0: .malloc
        case 1: .calloc
        case 2: .realloc
        case 3: .posixMemalign
        case 4: .alignedAlloc
        case 5: .memalign
        case 6: .valloc
        case 7: .pvalloc
        case 8: .operatorNew
        case 9: .operatorNewArray
        case 10: .mmap
        case 11: .other
        default: nil
        }
    }
}
