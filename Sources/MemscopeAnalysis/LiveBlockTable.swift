/// The blocks live now, by address: open addressing with linear probing and backward-shift
/// deletion, so its memory is bounded by the most blocks live at once (not by the distinct
/// addresses ever used, as ``AddressTable``'s is). 24 bytes a slot, load factor at most 3/4.
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
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size * 3 < capacity * 4 { size *= 2 }
        slots = UncheckedStore(repeating: Block(), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func home(_ address: UInt64) -> Int {
        Int(truncatingIfNeeded: (address &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot holding `address`, or nil.
    @inline(__always)
    func find(_ address: UInt64) -> Int? {
        var i = home(address)
        while true {
            let key = slots[i].address
            if key == address { return i }
            if key == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Stores `block` at its address, which must not be in the table.
    @inline(__always)
    mutating func insert(_ block: Block) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var i = home(block.address)
        while slots[i].address != 0 { i = (i + 1) & mask }
        slots[i] = block
        count += 1
    }

    /// Removes the block in slot `i`, shifting later blocks of its probe run back.
    @inline(__always)
    mutating func remove(at slot: Int) {
        var i = slot
        var j = slot
        while true {
            j = (j + 1) & mask
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
        let size = old.count * 2
        slots = UncheckedStore(repeating: Block(), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        for block in old where block.address != 0 {
            var i = home(block.address)
            while slots[i].address != 0 { i = (i + 1) & mask }
            slots[i] = block
        }
    }
}
