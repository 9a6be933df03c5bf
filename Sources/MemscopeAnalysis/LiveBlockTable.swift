/// The blocks live now, by address: open addressing with linear probing and backward-shift
/// deletion, so its memory is bounded by the most blocks live at once (not by the distinct
/// addresses ever used, as ``AddressTable``'s is). 24 bytes a slot, load factor at most 3/4.
///
/// Any number of slots, not only powers of two: an address's home slot is the high word of
/// its mixed hash times the slot count. A table reserved for the blocks a first read saw
/// live is made 4/3 of that (plus 1/16 of headroom) instead of the next power of two
/// (990,000 blocks: 1.4M slots, 34 MB, instead of 2^21, 50 MB, and 75 MB while it grew to
/// them from 2^20).
struct LiveBlockTable {
    struct Block {
        /// The key; 0 marks an empty slot (address 0 is never a block).
        var address: UInt64 = 0
        var size: UInt64 = 0
        /// Dense site index of the allocation stack.
        var site: Int32 = 0
        /// The thread view the block belongs to, or -1.
        var view: Int32 = -1
    }

    private(set) var slots: UncheckedStore<Block>
    /// `slots.count`, kept here: read on every probe step.
    private var size: Int
    private(set) var count = 0

    /// - Parameter capacity: blocks it holds before it first grows.
    init(capacity: Int = 1 << 12) {
        let size = Self.slots(for: capacity)
        slots = UncheckedStore(repeating: Block(), count: size)
        self.size = size
    }

    /// Slots that hold `blocks` at a load of at most 3/4, and at least 16.
    static func slots(for blocks: Int) -> Int {
        let wanted = max(0, blocks)
        return max(16, (wanted * 4 + 2) / 3 + 1)
    }

    /// A table for the blocks a first read saw live at once (`expected`), with 1/16 more
    /// room: a block or two more live mid-run must not make it double.
    init(expected: UInt64) {
        let blocks = Int(min(expected, 1 << 28))
        self.init(capacity: max(1 << 12, blocks + blocks / 16))
    }

    @inline(__always)
    private func home(_ address: UInt64) -> Int {
        Int(truncatingIfNeeded: (address &* 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: UInt64(size)).high)
    }

    @inline(__always)
    private func next(_ i: Int) -> Int {
        let j = i + 1
        return j == size ? 0 : j
    }

    /// Asks for the cache line of `address`'s home slot, a few events before it is probed.
    @inline(__always)
    func prefetch(_ address: UInt64) { slots.prefetchForWrite(home(address)) }

    /// The slot holding `address`, or nil.
    @inline(__always)
    func find(_ address: UInt64) -> Int? {
        var i = home(address)
        while true {
            let key = slots[i].address
            if key == address { return i }
            if key == 0 { return nil }
            i = next(i)
        }
    }

    /// Stores `block` at its address, which must not be in the table.
    @inline(__always)
    mutating func insert(_ block: Block) {
        if (count + 1) * 4 > size * 3 { grow() }
        var i = home(block.address)
        while slots[i].address != 0 { i = next(i) }
        slots[i] = block
        count += 1
    }

    /// Removes the block in slot `i`, shifting later blocks of its probe run back.
    @inline(__always)
    mutating func remove(at slot: Int) {
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
        slots[i] = Block()
        count -= 1
    }

    private mutating func grow() {
        let old = slots
        size = old.count * 2
        slots = UncheckedStore(repeating: Block(), count: size)
        for block in old where block.address != 0 {
            var i = home(block.address)
            while slots[i].address != 0 { i = next(i) }
            slots[i] = block
        }
    }
}
