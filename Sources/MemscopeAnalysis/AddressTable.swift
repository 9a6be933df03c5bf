/// What the analysis remembers about one address: the block living there, or the last
/// block that lived there (for double-free detection and reuse counting).
struct BlockEntry {
    /// The key; 0 marks an empty slot (address 0 is never a block).
    var address: UInt64 = 0
    var size: UInt64 = 0
    /// Allocation time while live; free time once freed (ticks).
    var timestamp: UInt64 = 0
    /// Stack of the allocation.
    var stack: UInt32 = 0
    /// Stack of the free, once freed.
    var freeStack: UInt32 = 0
    /// Thread of the allocation (its dense index, ``ThreadTable/index(of:ticks:)``).
    var thread: UInt32 = 0
    /// How many blocks have lived at this address (1 for the first).
    var generation: UInt32 = 0
    /// Reallocs so far in the logical buffer this block belongs to.
    var chainLength: UInt32 = 0
    /// Allocation stack of the first block of the realloc chain.
    var chainRoot: UInt32 = 0
    /// The dense index of the allocation stack's site (``AnalyzerCore/site(of:)``), so a
    /// free needs no second lookup.
    var site: Int32 = 0
    var isLive = false
}

/// An open-addressing hash table from address to ``BlockEntry`` (linear probing,
/// multiplicative hashing, load factor at most 3/4: at 1/2, a dump with a million blocks
/// live held a table of 2^22 slots of 56 bytes, 336 MB at its last growth with the old
/// table beside it; at 3/4, half that).
///
/// Entries are never removed: a freed block's entry stays, marked not live, so a second
/// free of the address is recognised as a double free. Memory is therefore bounded by the
/// number of distinct addresses the program used, which an allocator keeps close to the
/// peak number of live blocks by reusing addresses.
/// - Complexity: O(1) expected per lookup.
struct AddressTable {
    /// Raw storage: no uniqueness check per write.
    private(set) var slots: UncheckedStore<BlockEntry>
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size * 3 < capacity * 4 { size *= 2 }
        slots = UncheckedStore(repeating: BlockEntry(), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func home(_ address: UInt64) -> Int {
        Int(truncatingIfNeeded: (address &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot index holding `address`, or nil.
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

    /// The slot index for `address`, inserting an empty entry (generation 0) if absent.
    @inline(__always)
    mutating func findOrInsert(_ address: UInt64) -> Int {
        var i = home(address)
        while true {
            let key = slots[i].address
            if key == address { return i }
            if key == 0 {
                if (count + 1) * 4 > slots.count * 3 {
                    // Not by calling itself again: a recursive function is not inlined.
                    grow()
                    i = home(address)
                    while slots[i].address != 0 { i = (i + 1) & mask }
                }
                slots[i].address = address
                count += 1
                return i
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        let size = old.count * 2
        slots = UncheckedStore(repeating: BlockEntry(), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        for entry in old where entry.address != 0 {
            var i = home(entry.address)
            while slots[i].address != 0 { i = (i + 1) & mask }
            slots[i] = entry
        }
    }
}
