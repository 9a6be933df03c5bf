import CPrefetch

/// The live blocks the rules track, by address: open addressing with linear probing and
/// backward-shift deletion, 48 bytes a slot, at most 3/4 full, any number of slots.
///
/// A `[UInt64: TrackedBlock]` took 72 bytes a bucket (a 64-byte value beside its key) in
/// a power of two of buckets: 151 MB for a dump with 990,000 blocks live, the largest
/// allocation of its render. Here a slot keeps what every block has (serial, size, time,
/// nodes, thread, dependants); the owner link, which only blocks joined to a creation burst
/// or seen held in a scan have, sits in a side table keyed by address, flagged in the slot.
/// Reserved for 990,000 blocks, the table is 1.4M slots, 68 MB.
///
/// Reads and writes are by whole ``TrackedBlock`` values, as with the dictionary it
/// replaces; iteration order is unspecified (the rules never depend on it).
struct BlockTable: Sequence {
    struct Slot {
        /// The key; 0 marks an empty slot (address 0 is never a block).
        var address: UInt64 = 0
        var serial: UInt64 = 0
        var size: UInt64 = 0
        var ticks: UInt64 = 0
        var origin: Int32 = 0
        var site: Int32 = 0
        var thread: UInt32 = 0
        /// The dependants (low 31 bits), and whether `links` holds the block's link (top bit).
        var packed: UInt32 = 0
    }

    /// A block's owner candidate and what scans saw of it: none of it set for most blocks.
    struct Link: Equatable {
        var owner: UInt64 = 0
        var ownerNode: Int32 = -1
        var ownerThread: UInt32 = 0
        var ownerByReference = false
        var sharedReferrers = false
        var rootReferenced = false
    }

    static let linkFlag: UInt32 = 1 << 31
    /// Dependants a slot holds: each is a tracked block linked to this one and not yet
    /// judged, so reaching 2^31 would take 2^31 blocks in the table (96 GiB of slots).
    static let maximumDependants: UInt32 = linkFlag - 1

    private var slots: [Slot]
    private var links = WordMap<Link>()
    private var slotCount: Int
    private(set) var count = 0

    /// - Parameter capacity: blocks it holds before it first grows.
    init(capacity: Int = 1 << 10) {
        slotCount = Self.slots(for: capacity)
        slots = Array(repeating: Slot(), count: slotCount)
    }

    /// A table for the blocks a first read saw live at once, with 1/16 more room (a block
    /// or two more live mid-run must not make it double).
    init(expected: UInt64) {
        let blocks = Int(Swift.min(expected, 1 << 28))
        self.init(capacity: Swift.max(1 << 10, blocks + blocks / 16))
    }

    /// Slots that hold `blocks` at a load of at most 3/4, and at least 16.
    static func slots(for blocks: Int) -> Int {
        Swift.max(16, (Swift.max(0, blocks) * 4 + 2) / 3 + 1)
    }

    /// The slots, for the tests of its memory.
    var capacity: Int { slotCount }

    @inline(__always)
    private func home(_ address: UInt64) -> Int {
        Int(truncatingIfNeeded: (address &* 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: UInt64(slotCount)).high)
    }

    @inline(__always)
    private func next(_ i: Int) -> Int {
        let j = i + 1
        return j == slotCount ? 0 : j
    }

    @inline(__always)
    private func find(_ address: UInt64) -> Int? {
        guard address != 0 else { return nil }
        var i = home(address)
        while true {
            let key = slots[i].address
            if key == address { return i }
            if key == 0 { return nil }
            i = next(i)
        }
    }

    private func block(at i: Int) -> TrackedBlock {
        let slot = slots[i]
        var block = TrackedBlock(serial: slot.serial, size: slot.size, ticks: slot.ticks, origin: slot.origin,
                                 site: slot.site, thread: slot.thread)
        block.dependants = slot.packed & Self.maximumDependants
        if slot.packed & Self.linkFlag != 0, let link = links[slot.address] {
            block.owner = link.owner
            block.ownerNode = link.ownerNode
            block.ownerThread = link.ownerThread
            block.ownerByReference = link.ownerByReference
            block.sharedReferrers = link.sharedReferrers
            block.rootReferenced = link.rootReferenced
        }
        return block
    }

    /// Writes `block` into slot `i` (whose address is set), and its link beside.
    private mutating func store(_ block: TrackedBlock, at i: Int) {
        precondition(block.dependants <= Self.maximumDependants, "more dependants than a slot holds")
        let address = slots[i].address
        let link = Link(owner: block.owner, ownerNode: block.ownerNode, ownerThread: block.ownerThread,
                        ownerByReference: block.ownerByReference, sharedReferrers: block.sharedReferrers,
                        rootReferenced: block.rootReferenced)
        let linked = link != Link()
        if linked {
            links[address] = link
        } else if slots[i].packed & Self.linkFlag != 0 {
            links[address] = nil
        }
        slots[i] = Slot(address: address, serial: block.serial, size: block.size, ticks: block.ticks, origin: block.origin,
                        site: block.site, thread: block.thread, packed: block.dependants | (linked ? Self.linkFlag : 0))
    }

    /// The block at `address`; nil removes it.
    subscript(address: UInt64) -> TrackedBlock? {
        get { find(address).map { block(at: $0) } }
        set {
            guard let newValue else {
                _ = removeValue(forKey: address)
                return
            }
            precondition(address != 0, "address 0 is never a block")
            // One probe run: the block's slot, or the empty slot that ends the run.
            var i = home(address)
            while true {
                let key = slots[i].address
                if key == address {
                    store(newValue, at: i)
                    return
                }
                if key == 0 { break }
                i = next(i)
            }
            if (count + 1) * 4 > slotCount * 3 {
                grow()
                i = home(address)
                while slots[i].address != 0 { i = next(i) }
            }
            slots[i].address = address
            slots[i].packed = 0
            count += 1
            store(newValue, at: i)
        }
    }

    /// What a slot holds of a block without its owner link: the fields a scan's referrer is
    /// judged by (assembling a whole ``TrackedBlock`` looks its link up in a second table).
    struct Resident {
        var serial: UInt64
        var ticks: UInt64
        var origin: Int32
        var thread: UInt32
    }

    /// The serial, birth, site and thread of the block at `address`, from its slot alone.
    @inline(__always)
    func resident(at address: UInt64) -> Resident? {
        guard let i = find(address) else { return nil }
        return Resident(serial: slots[i].serial, ticks: slots[i].ticks, origin: slots[i].origin, thread: slots[i].thread)
    }

    /// The serial of the block at `address`, from its slot alone.
    @inline(__always)
    func serial(at address: UInt64) -> UInt64? { find(address).map { slots[$0].serial } }

    /// Calls `body` with every block's address, serial and site, in slot order (no block assembled).
    func forEachResident(_ body: (_ address: UInt64, _ serial: UInt64, _ origin: Int32) -> Void) {
        for i in 0..<slotCount where slots[i].address != 0 { body(slots[i].address, slots[i].serial, slots[i].origin) }
    }

    /// Whether a block lives at `address` (no block is assembled).
    @inline(__always)
    func contains(_ address: UInt64) -> Bool { find(address) != nil }

    /// Asks for the cache line of `address`'s home slot, a few events before it is probed
    /// (a hint: it changes nothing).
    @inline(__always)
    func prefetch(_ address: UInt64) {
        let i = home(address)
        slots.withUnsafeBufferPointer { ms_prefetch_for_write($0.baseAddress! + i) }
    }

    /// Removes the block at `address`, and returns it.
    @discardableResult
    mutating func removeValue(forKey address: UInt64) -> TrackedBlock? {
        guard let slot = find(address) else { return nil }
        let removed = block(at: slot)
        if slots[slot].packed & Self.linkFlag != 0 { links[address] = nil }
        // Shift later blocks of the probe run back into the hole.
        var i = slot
        var j = slot
        while true {
            j = next(j)
            let key = slots[j].address
            if key == 0 { break }
            let k = home(key)
            // Move j back into i unless its home lies cyclically in (i, j].
            let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j)
            if !stays {
                slots[i] = slots[j]
                i = j
            }
        }
        slots[i] = Slot()
        count -= 1
        return removed
    }

    private mutating func grow() {
        let old = slots
        slotCount *= 2
        slots = []  // the old slots' only reference is `old` now: freed after the copy
        slots = Array(repeating: Slot(), count: slotCount)
        for slot in old where slot.address != 0 {
            var i = home(slot.address)
            while slots[i].address != 0 { i = next(i) }
            slots[i] = slot
        }
    }

    // MARK: Iteration

    struct Iterator: IteratorProtocol {
        fileprivate let table: BlockTable
        fileprivate var index = 0

        mutating func next() -> (key: UInt64, value: TrackedBlock)? {
            while index < table.slotCount {
                let i = index
                index += 1
                if table.slots[i].address != 0 { return (table.slots[i].address, table.block(at: i)) }
            }
            return nil
        }
    }

    /// Every block and its address, in no particular order.
    func makeIterator() -> Iterator { Iterator(table: self) }

    /// Every block, in no particular order.
    var values: LazyMapSequence<BlockTable, TrackedBlock> { lazy.map(\.value) }

    var underestimatedCount: Int { count }
}
