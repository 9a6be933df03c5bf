/// The dump's stack nodes by (parent node, frame): open addressing with linear probing and
/// a multiplicative hash of the two ids packed in one word, at most half full. The
/// converter asks it once per frame of every new stack; as a `[StackNodeKey: UInt32]` the
/// lookups spent about as long hashing (SipHash) as probing (a recording of 143,000
/// distinct recursive stacks).
struct StackNodeTable {
    private struct Slot {
        /// `parent << 32 | frame`.
        var key: UInt64 = 0
        /// The node's id; 0 marks an empty slot (node ids start at 1).
        var id: UInt32 = 0
    }

    private var slots: [Slot]
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    init(minimumCapacity: Int = 0) {
        var size = 64
        while size < minimumCapacity * 2 { size *= 2 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    private static func key(_ parent: UInt32, _ frame: UInt32) -> UInt64 { UInt64(parent) << 32 | UInt64(frame) }

    private func home(_ stored: UInt64) -> Int { Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The node of `frame` under `parent`, if there is one.
    func node(parent: UInt32, frame: UInt32) -> UInt32? {
        let stored = Self.key(parent, frame)
        var i = home(stored)
        while slots[i].id != 0 {
            if slots[i].key == stored { return slots[i].id }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Records `id` (not 0) as the node of `frame` under `parent` (not there yet).
    mutating func insert(parent: UInt32, frame: UInt32, id: UInt32) {
        precondition(id != 0, "stack node ids start at 1")
        if (count + 1) * 2 > slots.count { grow() }
        let stored = Self.key(parent, frame)
        var i = home(stored)
        while slots[i].id != 0 { i = (i + 1) & mask }
        slots[i] = Slot(key: stored, id: id)
        count += 1
    }

    private mutating func grow() {
        let old = slots
        var bigger = StackNodeTable(minimumCapacity: old.count)
        for slot in old where slot.id != 0 {
            let parent = UInt32(truncatingIfNeeded: slot.key >> 32), frame = UInt32(truncatingIfNeeded: slot.key)
            bigger.insert(parent: parent, frame: frame, id: slot.id)
        }
        self = bigger
    }
}
