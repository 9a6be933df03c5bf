/// A small open-addressing map from `UInt64` to a value, with a multiplicative hash.
///
/// Used on hot paths (thread lookups, thread-pair counters) where `Dictionary`'s seeded
/// hashing costs more than the work itself. Keys up to `UInt64.max - 1`.
/// - Complexity: O(1) expected per lookup.
struct IntegerMap<Value> {
    /// Stored keys are `key + 1`; 0 marks an empty slot.
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    /// - Parameter minimumCapacity: entries it holds before it first grows.
    init(minimumCapacity: Int = 0) {
        var size = 16
        while size < minimumCapacity * 2 { size *= 2 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func home(_ stored: UInt64) -> Int {
        Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    subscript(key: UInt64) -> Value? {
        get {
            let stored = key &+ 1
            var i = home(stored)
            while true {
                let k = keys[i]
                if k == stored { return values[i] }
                if k == 0 { return nil }
                i = (i + 1) & mask
            }
        }
        set {
            guard let newValue else { return }  // removal is not needed here
            let stored = key &+ 1
            var i = home(stored)
            while true {
                let k = keys[i]
                if k == stored {
                    values[i] = newValue
                    return
                }
                if k == 0 {
                    if (count + 1) * 2 > keys.count {
                        grow()
                        self[key] = newValue
                        return
                    }
                    keys[i] = stored
                    values[i] = newValue
                    count += 1
                    return
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Changes the value of `key` in place (one probe), inserting `initial` first if absent.
    @inline(__always)
    mutating func update(_ key: UInt64, initial: @autoclosure () -> Value, _ body: (inout Value) -> Void) {
        let stored = key &+ 1
        var i = home(stored)
        while true {
            let k = keys[i]
            if k == stored {
                body(&values[i]!)
                return
            }
            if k == 0 { break }
            i = (i + 1) & mask
        }
        var value = initial()
        body(&value)
        self[key] = value
    }

    /// Every key and value, in no particular order.
    var entries: [(key: UInt64, value: Value)] {
        keys.indices.compactMap { i in
            guard keys[i] != 0, let value = values[i] else { return nil }
            return (keys[i] - 1, value)
        }
    }

    private mutating func grow() {
        let old = entries
        let size = keys.count * 2
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        count = 0
        for (key, value) in old { self[key] = value }
    }
}
