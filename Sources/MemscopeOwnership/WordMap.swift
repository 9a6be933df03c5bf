/// A map keyed by a 64-bit word (an address, a serial, a page), for the maps the rules ask at
/// every event: open addressing with linear probing and backward-shift deletion, a
/// multiplicative hash (one multiply, not SipHash), at most 3/4 full, a power of two of slots.
/// Keys and values are kept apart, so a probe reads keys only (8 to a cache line).
///
/// Values are read and changed in place (`map[key]?.field = …`, `map[key, default: …].list.append`),
/// without copying what they hold. Iteration order is unspecified: ``keys`` is for callers that
/// sort it.
struct WordMap<Value> {
    /// The keys by slot; 0 marks an empty slot (key 0 lives in `zero`). None until the first
    /// key (a map per holder stays small), then 4 or more.
    private var keySlots: ContiguousArray<UInt64> = []
    /// The values by slot (nil in an empty slot).
    private var valueSlots: ContiguousArray<Value?> = []
    /// 64 minus log2 of the slots.
    private var shift: UInt64 = 64
    private var zero: Value?
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    private func find(_ key: UInt64) -> Int? {
        if keySlots.isEmpty { return nil }
        let mask = keySlots.count - 1
        var i = home(key)
        while true {
            let k = keySlots[i]
            if k == key { return i }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    subscript(key: UInt64) -> Value? {
        _read {
            // Lent, not copied: a value's arrays are not retained to be read.
            if key == 0 {
                yield zero
            } else if let i = find(key) {
                yield valueSlots[i]
            } else {
                yield nil
            }
        }
        set {
            if key == 0 {
                if (zero == nil) != (newValue == nil) { count += newValue == nil ? -1 : 1 }
                zero = newValue
                return
            }
            if let newValue {
                valueSlots[insertionSlot(key)] = newValue
            } else {
                _ = removeValue(forKey: key)
            }
        }
        _modify {
            if key == 0 {
                let had = zero != nil
                yield &zero
                if had != (zero != nil) { count += had ? -1 : 1 }
                return
            }
            if let i = find(key) {
                // Moved out while it is changed: the caller holds the only reference.
                var value = valueSlots[i].take()
                yield &value
                if let value {
                    valueSlots[i] = value
                } else {
                    remove(at: i)
                }
            } else {
                var value: Value? = nil
                yield &value
                if let value { valueSlots[insertionSlot(key)] = value }
            }
        }
    }

    /// The value at `inner` of the map at `key`, read in place: binding the map at `key` would
    /// copy it (a retain of both its arrays, at every reference of a scan).
    func value<Inner>(_ key: UInt64, _ inner: UInt64) -> Inner? where Value == WordMap<Inner> {
        if key == 0 { return zero?[inner] }
        guard let i = find(key) else { return nil }
        return valueSlots.withUnsafeBufferPointer { $0.baseAddress.unsafelyUnwrapped[i]?[inner] }
    }

    subscript(key: UInt64, default defaultValue: @autoclosure () -> Value) -> Value {
        get { self[key] ?? defaultValue() }
        _modify {
            if key == 0 {
                let had = zero != nil
                var value = zero.take() ?? defaultValue()
                yield &value
                zero = value
                if !had { count += 1 }
                return
            }
            // Changed where it lies: moved out and back, a value holding arrays (a map in a
            // map) was retained on its way back at every call.
            let i = insertionSlot(key)
            if valueSlots[i] == nil { valueSlots[i] = defaultValue() }
            yield &valueSlots[i]!
        }
    }

    /// The slot of `key`, made (empty-valued, counted) when it is not there.
    private mutating func insertionSlot(_ key: UInt64) -> Int {
        if keySlots.isEmpty { grow() }
        var mask = keySlots.count - 1
        var i = home(key)
        while true {
            let k = keySlots[i]
            if k == key { return i }
            if k == 0 { break }
            i = (i + 1) & mask
        }
        if (count + 1) * 4 > keySlots.count * 3 {
            grow()
            mask = keySlots.count - 1
            i = home(key)
            while keySlots[i] != 0 { i = (i + 1) & mask }
        }
        keySlots[i] = key
        count += 1
        return i
    }

    @discardableResult
    mutating func removeValue(forKey key: UInt64) -> Value? {
        if key == 0 {
            guard let value = zero else { return nil }
            zero = nil
            count -= 1
            return value
        }
        guard let i = find(key) else { return nil }
        let value = valueSlots[i].take()
        remove(at: i)
        return value
    }

    /// Empties slot `slot` (its value already taken), shifting later keys of its run back.
    private mutating func remove(at slot: Int) {
        let mask = keySlots.count - 1
        var i = slot
        var j = slot
        while true {
            j = (j + 1) & mask
            let key = keySlots[j]
            if key == 0 { break }
            let k = home(key)
            // Move j back into i unless its home lies cyclically in (i, j].
            let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j)
            if !stays {
                keySlots[i] = key
                valueSlots.swapAt(i, j)
                i = j
            }
        }
        keySlots[i] = 0
        count -= 1
    }

    private mutating func grow() {
        let oldKeys = keySlots
        var oldValues = valueSlots
        keySlots = []  // the old slots' only references are the copies now
        valueSlots = []
        let slotCount = Swift.max(4, oldKeys.count * 2)
        keySlots = ContiguousArray(repeating: 0, count: slotCount)
        valueSlots = ContiguousArray(repeating: nil, count: slotCount)
        shift = 64 - UInt64(slotCount.trailingZeroBitCount)
        let mask = slotCount - 1
        for j in oldKeys.indices where oldKeys[j] != 0 {
            var i = home(oldKeys[j])
            while keySlots[i] != 0 { i = (i + 1) & mask }
            keySlots[i] = oldKeys[j]
            valueSlots[i] = oldValues[j].take()
        }
    }

    mutating func removeAll() {
        keySlots = []
        valueSlots = []
        shift = 64
        zero = nil
        count = 0
    }

    /// Every key, in no particular order.
    var keys: [UInt64] {
        var keys = keySlots.filter { $0 != 0 }
        if zero != nil { keys.append(0) }
        return keys
    }
}
