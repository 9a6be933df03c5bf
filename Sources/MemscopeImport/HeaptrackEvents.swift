import CPrefetch
import MemscopeModel

/// The event state of a heaptrack replay: the allocation infos, the live blocks of each
/// info (latest first, as heaptrack frees them), the synthetic addresses and the time.
///
/// Live blocks sit in one pool of slots linked per info, not in an array per info, so a
/// `+` or `-` line costs no allocation and no uniqueness check of a nested array.
struct HeaptrackEvents {
    /// One allocation info: its size, its stack and its latest live block's slot (or -1),
    /// side by side so that an event touches one cache line of the table.
    private struct Info {
        var size: UInt64
        var stack: UInt32
        var latest: Int32
    }

    private var infos: [Info] = []
    /// Per slot: the slot of the next older live block of the same info. A slot is a
    /// synthetic address (``address(of:)``); freed slots are reused latest first, as an
    /// allocator reuses addresses.
    private var older: [Int32] = []
    private var unusedSlots: [Int32] = []
    private(set) var milliseconds: UInt64 = 0
    /// Whether the last `+`/`-` line was a `+` (heaptrack's temporary state).
    private var previousWasAllocation = false
    /// Frees of allocation info 0 right after another free: heaptrack's reader counts them
    /// as temporary (its "none" value is also a real info index); the address rule does not.
    private(set) var infoZeroQuirkFrees: UInt64 = 0

    var infoCount: Int { infos.count }
    /// The stack of allocation info 0.
    var firstInfoStack: UInt32? { infos.first?.stack }

    mutating func addInfo(size: UInt64, stack: UInt32) {
        infos.append(Info(size: size, stack: stack, latest: -1))
    }

    /// Asks for the cache line of an info a few lines before its `+` or `-` is replayed:
    /// the info table is far larger than the caches, and without the hint every line
    /// waits for its own load.
    @inline(__always)
    mutating func prefetch(_ info: Int) {  // mutating: reached in place, no copy of the tables
        infos.withUnsafeMutableBufferPointer { ms_prefetch_for_write($0.baseAddress! + info) }
    }

    /// A `+` line of a valid info.
    mutating func allocate(_ info: Int) -> HeapEvent {
        let entry = infos[info]
        let slot: Int32
        if let free = unusedSlots.popLast() {
            slot = free
            older[Int(slot)] = entry.latest
        } else {
            slot = Int32(older.count)
            older.append(entry.latest)
        }
        infos[info].latest = slot
        previousWasAllocation = true
        return HeapEvent(kind: .alloc, timestamp: milliseconds, thread: 1, address: Self.address(of: slot),
                         size: entry.size, stack: entry.stack)
    }

    /// A `-` line of a valid info; nil when the info has no live block.
    mutating func free(_ info: Int) -> HeapEvent? {
        let slot = infos[info].latest
        guard slot >= 0 else { return nil }
        infos[info].latest = older[Int(slot)]
        unusedSlots.append(slot)
        if info == 0 && !previousWasAllocation { infoZeroQuirkFrees += 1 }
        previousWasAllocation = false
        return HeapEvent(kind: .free, timestamp: milliseconds, thread: 1, address: Self.address(of: slot), stack: 0)
    }

    /// Slot 0 is 0x1000, then every 16 bytes.
    static func address(of slot: Int32) -> UInt64 { 0x1000 + UInt64(slot) * 16 }

    /// A `c` line; false when the time goes backwards (then it is ignored).
    mutating func setTime(_ value: UInt64) -> Bool {
        guard value >= milliseconds else { return false }
        milliseconds = value
        return true
    }
}
