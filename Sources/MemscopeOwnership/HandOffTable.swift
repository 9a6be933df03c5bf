/// The hand-off tallies (blocks and bytes per site pair and thread pair), counted at every free
/// by another thread than the allocating one: open addressing with a multiplicative hash of
/// the key's two words instead of SipHash (the dictionary's lookup was 4% of the stage on the
/// 1M benchmark). Each slot holds its key and tally together, so a count reads one place: an
/// index into an array of tallies took two cache misses per count (4% of a 1M-event render's
/// samples, nearly all of them waiting on those two loads). Tallies are listed in the order
/// their keys were first counted.
struct HandOffTable {
    private struct Slot {
        var key: HandOffKey
        /// When the key was first counted (its place in ``entries``); -1: an empty slot.
        var order: Int32
        var blocks: UInt64
        var bytes: UInt64
    }

    /// A power of two of slots at most 3/4 full (none before the first count).
    private var slots: [Slot] = []
    private var used = 0

    /// The tallies, in the order their keys were first counted.
    var entries: [(key: HandOffKey, tally: (blocks: UInt64, bytes: UInt64))] {
        guard used > 0 else { return [] }
        let empty = HandOffKey(pair: NodePair(from: 0, to: 0), fromThread: 0, toThread: 0)
        var list = [(key: HandOffKey, tally: (blocks: UInt64, bytes: UInt64))](repeating: (empty, (0, 0)), count: used)
        for slot in slots where slot.order >= 0 { list[Int(slot.order)] = (slot.key, (slot.blocks, slot.bytes)) }
        return list
    }

    @inline(__always)
    private static func home(_ key: HandOffKey, _ mask: Int) -> Int {
        let pair = UInt64(UInt32(bitPattern: key.pair.from)) << 32 | UInt64(UInt32(bitPattern: key.pair.to))
        let threads = UInt64(key.fromThread) << 32 | UInt64(key.toThread)
        let mixed = (pair &* 0x9E37_79B9_7F4A_7C15 ^ threads) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    /// Counts one hand-off of a block of `bytes` under `key`.
    mutating func count(_ key: HandOffKey, bytes: UInt64) {
        if (used + 1) * 4 > slots.count * 3 { grow() }
        let mask = slots.count - 1
        var i = Self.home(key, mask)
        let order = Int32(used)
        let added = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            while true {
                if slots[i].order < 0 {
                    slots[i] = Slot(key: key, order: order, blocks: 1, bytes: bytes)
                    return true
                }
                if slots[i].key == key {
                    slots[i].blocks += 1
                    slots[i].bytes &+= bytes
                    return false
                }
                i = (i + 1) & mask
            }
        }
        if added { used += 1 }
    }

    private mutating func grow() {
        let empty = Slot(key: HandOffKey(pair: NodePair(from: 0, to: 0), fromThread: 0, toThread: 0), order: -1, blocks: 0, bytes: 0)
        let old = slots
        slots = [Slot](repeating: empty, count: Swift.max(16, old.count * 2))
        let mask = slots.count - 1
        for slot in old where slot.order >= 0 {
            var i = Self.home(slot.key, mask)
            while slots[i].order >= 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}
