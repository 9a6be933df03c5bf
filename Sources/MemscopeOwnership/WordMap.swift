/// A map keyed by a 64-bit word (an address, a serial, a page), for the maps the rules ask at
/// every event: open addressing with linear probing and backward-shift deletion, a
/// multiplicative hash (one multiply, not SipHash), at most 3/4 full, a power of two of slots.
///
/// Values are read and changed in place (`map[key]?.field = …`, `map[key, default: …].list.append`),
/// without copying what they hold. Iteration order is unspecified: ``keys`` is for callers that
/// sort it.
struct WordMap<Value> {
    private struct Slot {
        /// 0 marks an empty slot; key 0 lives in `zero`.
        var key: UInt64
        var value: Value?
    }

    /// None until the first key (a map per holder stays small), then 8 or more.
    private var slots: ContiguousArray<Slot> = []
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
        if slots.isEmpty { return nil }
        let mask = slots.count - 1
        var i = home(key)
        while true {
            let k = slots[i].key
            if k == key { return i }
            if k == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    subscript(key: UInt64) -> Value? {
        get {
            if key == 0 { return zero }
            guard let i = find(key) else { return nil }
            return slots[i].value
        }
        set {
            if key == 0 {
                if (zero == nil) != (newValue == nil) { count += newValue == nil ? -1 : 1 }
                zero = newValue
                return
            }
            if let newValue {
                slots[insertionSlot(key)].value = newValue
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
                var value = slots[i].value.take()
                yield &value
                if let value {
                    slots[i].value = value
                } else {
                    slots[i].value = nil
                    remove(at: i)
                }
            } else {
                var value: Value? = nil
                yield &value
                if let value { slots[insertionSlot(key)].value = value }
            }
        }
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
            let i = insertionSlot(key)
            var value = slots[i].value.take() ?? defaultValue()
            yield &value
            slots[i].value = value
        }
    }

    /// The slot of `key`, made (empty-valued, counted) when it is not there.
    private mutating func insertionSlot(_ key: UInt64) -> Int {
        if slots.isEmpty { grow() }
        var mask = slots.count - 1
        var i = home(key)
        while true {
            let k = slots[i].key
            if k == key { return i }
            if k == 0 { break }
            i = (i + 1) & mask
        }
        if (count + 1) * 4 > slots.count * 3 {
            grow()
            mask = slots.count - 1
            i = home(key)
            while slots[i].key != 0 { i = (i + 1) & mask }
        }
        slots[i].key = key
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
        let value = slots[i].value.take()
        remove(at: i)
        return value
    }

    /// Empties slot `slot` (its value already taken), shifting later keys of its run back.
    private mutating func remove(at slot: Int) {
        let mask = slots.count - 1
        var i = slot
        var j = slot
        while true {
            j = (j + 1) & mask
            let key = slots[j].key
            if key == 0 { break }
            let k = home(key)
            // Move j back into i unless its home lies cyclically in (i, j].
            let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j)
            if !stays {
                slots.swapAt(i, j)
                i = j
            }
        }
        slots[i] = Slot(key: 0, value: nil)
        count -= 1
    }

    private mutating func grow() {
        let old = slots
        slots = []  // the old slots' only reference is `old` now
        slots = ContiguousArray(repeating: Slot(key: 0, value: nil), count: Swift.max(8, old.count * 2))
        shift = 64 - UInt64(slots.count.trailingZeroBitCount)
        let mask = slots.count - 1
        for slot in old where slot.key != 0 {
            var i = home(slot.key)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    mutating func removeAll() {
        slots = []
        shift = 64
        zero = nil
        count = 0
    }

    /// Every key, in no particular order.
    var keys: [UInt64] {
        var keys = slots.compactMap { $0.key == 0 ? nil : $0.key }
        if zero != nil { keys.append(0) }
        return keys
    }
}
