/// The hand-off tallies (blocks and bytes per site pair and thread pair), counted at every free
/// by another thread than the allocating one: open addressing over an array of tallies, with a
/// multiplicative hash of the key's two words instead of SipHash (the dictionary's lookup was
/// 4% of the stage on the 1M benchmark). Tallies are kept in the order their keys were first
/// counted.
struct HandOffTable {
    private(set) var entries: [(key: HandOffKey, tally: (blocks: UInt64, bytes: UInt64))] = []
    /// Indexes into `entries` (-1: empty), a power of two of slots at most 3/4 full.
    private var index: [Int32] = []

    @inline(__always)
    private static func home(_ key: HandOffKey, _ mask: Int) -> Int {
        let pair = UInt64(UInt32(bitPattern: key.pair.from)) << 32 | UInt64(UInt32(bitPattern: key.pair.to))
        let threads = UInt64(key.fromThread) << 32 | UInt64(key.toThread)
        let mixed = (pair &* 0x9E37_79B9_7F4A_7C15 ^ threads) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> 32) & mask
    }

    /// Counts one hand-off of a block of `bytes` under `key`.
    mutating func count(_ key: HandOffKey, bytes: UInt64) {
        if (entries.count + 1) * 4 > index.count * 3 { grow() }
        let mask = index.count - 1
        var i = Self.home(key, mask)
        while true {
            let e = Int(index[i])
            if e < 0 {
                index[i] = Int32(entries.count)
                entries.append((key, (1, bytes)))
                return
            }
            if entries[e].key == key {
                entries[e].tally.blocks += 1
                entries[e].tally.bytes &+= bytes
                return
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        index = [Int32](repeating: -1, count: Swift.max(16, index.count * 2))
        let mask = index.count - 1
        for (e, entry) in entries.enumerated() {
            var i = Self.home(entry.key, mask)
            while index[i] >= 0 { i = (i + 1) & mask }
            index[i] = Int32(e)
        }
    }
}
