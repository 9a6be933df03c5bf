import CPrefetch
import MemscopeModel

#if canImport(Glibc)
import Glibc
#endif

/// The event state of a heaptrack replay: the allocation infos, the live blocks of each
/// info (latest first, as heaptrack frees them), the synthetic addresses and the time.
///
/// Live blocks sit in one pool of slots linked per info, not in an array per info, so a
/// `+` or `-` line costs no allocation. The tables are C buffers grown with `realloc`
/// (large ones are moved by the kernel, not copied beside their old copy), and a class,
/// not a struct of arrays: an event is a few loads and stores, with no uniqueness check.
final class HeaptrackEvents {
    /// One allocation info: its size, its stack and its latest live block's slot (or -1),
    /// side by side so that an event touches one cache line of the table (or two, for one
    /// entry in eight). 12 bytes: a size of 4 GiB or more is kept in ``largeSizes``.
    struct Info {
        var size: UInt32
        var stack: UInt32
        var latest: Int32
    }

    /// The sizes of 4 GiB − 1 and more, by info (their entry's size is `UInt32.max`).
    private var largeSizes: [Int: UInt64] = [:]

    private var infos: UnsafeMutablePointer<Info>?
    private(set) var infoCount = 0
    private var infoCapacity = 0
    /// Per slot: the slot of the next older live block of the same info, or for a free slot
    /// the next free slot. A slot is a synthetic address (``address(of:)``); freed slots are
    /// reused latest first, as an allocator reuses addresses.
    private var older: UnsafeMutablePointer<Int32>?
    private var slotCount = 0
    private var slotCapacity = 0
    /// The latest freed slot, or -1.
    private var freeSlot: Int32 = -1
    private(set) var milliseconds: UInt64 = 0
    /// Whether the last `+`/`-` line was a `+` (heaptrack's temporary state).
    private var previousWasAllocation = false
    /// Frees of allocation info 0 right after another free: heaptrack's reader counts them
    /// as temporary (its "none" value is also a real info index); the address rule does not.
    private(set) var infoZeroQuirkFrees: UInt64 = 0

    init() {}

    deinit {
        Glibc.free(infos)
        Glibc.free(older)
    }

    /// The stack of allocation info 0.
    var firstInfoStack: UInt32? { infoCount > 0 ? infos![0].stack : nil }

    /// Doubles a C buffer of `capacity` elements (at least `minimum`).
    private static func grow<T>(_ buffer: UnsafeMutablePointer<T>?, capacity: inout Int, minimum: Int) -> UnsafeMutablePointer<T> {
        let bigger = max(minimum, capacity * 2)
        guard let raw = realloc(buffer, bigger * MemoryLayout<T>.stride) else { fatalError("out of memory") }
        capacity = bigger
        return raw.bindMemory(to: T.self, capacity: bigger)
    }

    func addInfo(size: UInt64, stack: UInt32) {
        if infoCount == infoCapacity { infos = Self.grow(infos, capacity: &infoCapacity, minimum: 1024) }
        if size >= UInt64(UInt32.max) { largeSizes[infoCount] = size }
        infos![infoCount] = Info(size: UInt32(truncatingIfNeeded: min(size, UInt64(UInt32.max))), stack: stack, latest: -1)
        infoCount += 1
    }

    /// Asks for the cache line of an info a few lines before its `+` or `-` is replayed:
    /// the info table is far larger than the caches, and without the hint every line
    /// waits for its own load.
    @inline(__always)
    func prefetch(_ info: Int) {
        let entry = UnsafeRawPointer(infos! + info)
        ms_prefetch_for_write(entry)
        ms_prefetch_for_write(entry + (MemoryLayout<Info>.size - 1))  // the same line but for one entry in eight
    }

    /// A `+` line of a valid info.
    @inline(__always)
    func allocate(_ info: Int) -> HeapEvent {
        let entry = infos! + info
        let slot: Int32
        if freeSlot >= 0 {
            slot = freeSlot
            freeSlot = older![Int(slot)]
            older![Int(slot)] = entry.pointee.latest
        } else {
            if slotCount == slotCapacity { older = Self.grow(older, capacity: &slotCapacity, minimum: 1024) }
            slot = Int32(slotCount)
            older![slotCount] = entry.pointee.latest
            slotCount += 1
        }
        entry.pointee.latest = slot
        previousWasAllocation = true
        let size = entry.pointee.size
        return HeapEvent(kind: .alloc, timestamp: milliseconds, thread: 1, address: Self.address(of: slot),
                         size: _fastPath(size != .max) ? UInt64(size) : largeSizes[info]!, stack: entry.pointee.stack)
    }

    /// A `-` line of a valid info; nil when the info has no live block.
    @inline(__always)
    func free(_ info: Int) -> HeapEvent? {
        let entry = infos! + info
        let slot = entry.pointee.latest
        guard slot >= 0 else { return nil }
        entry.pointee.latest = older![Int(slot)]
        older![Int(slot)] = freeSlot
        freeSlot = slot
        if info == 0 && !previousWasAllocation { infoZeroQuirkFrees += 1 }
        previousWasAllocation = false
        return HeapEvent(kind: .free, timestamp: milliseconds, thread: 1, address: Self.address(of: slot), stack: 0)
    }

    /// Slot 0 is 0x1000, then every 16 bytes.
    static func address(of slot: Int32) -> UInt64 { 0x1000 + UInt64(slot) * 16 }

    /// A `c` line; false when the time goes backwards (then it is ignored).
    func setTime(_ value: UInt64) -> Bool {
        guard value >= milliseconds else { return false }
        milliseconds = value
        return true
    }
}
