import MemscopeModel

/// A value per small dense id (a frame, stack or node id), found once: an array, not a
/// dictionary, so a lookup hashes nothing (the per-stack checks are asked at every free).
struct DenseCache<Value> {
    private var values: [Value?] = []

    subscript(id: UInt32) -> Value? {
        @inline(__always) get { Int(id) < values.count ? values[Int(id)] : nil }
        set {
            let index = Int(id)
            if index >= values.count {
                values += [Value?](repeating: nil, count: Swift.max(index + 1 - values.count, values.count / 2))
            }
            values[index] = newValue
        }
    }
}

extension SymbolTable {
    /// Whether frame `id` and the strings that name it are defined, so that a name found
    /// now is the name it keeps (what a per-frame cache may remember).
    func isSettled(frame id: UInt32) -> Bool {
        guard Int(id) < frames.count else { return false }
        let frame = frames[Int(id)]
        return Int(frame.function) < strings.count && Int(frame.module) < strings.count && Int(frame.file) < strings.count
    }
}

/// Per stack id, the frame of its innermost container type or none (``OwnershipState``'s
/// `innermostContainer`): 4 bytes an id, where a ``DenseCache`` of `Int64` took an optional's
/// 16. A compiler's dump has two million stack-trie nodes: 31 MB of the inference's peak
/// became 8. A frame id too large to encode (only a forged dump has one) is not kept: it is
/// found again when asked.
struct ContainerFrameCache {
    /// 0: not found yet; 1: no container frame; otherwise the frame id plus 2.
    private var values: [UInt32] = []

    /// The frame (-1: none), or nil when not found yet.
    subscript(id: UInt32) -> Int64? {
        @inline(__always) get {
            guard Int(id) < values.count else { return nil }
            let value = values[Int(id)]
            return value == 0 ? nil : Int64(value) - 2
        }
        set {
            guard let newValue, newValue >= -1, newValue < Int64(UInt32.max) - 1 else { return }
            let index = Int(id)
            if index >= values.count {
                values += repeatElement(0, count: Swift.max(index + 1 - values.count, values.count / 2))
            }
            values[index] = UInt32(newValue + 2)
        }
    }
}

/// Per stack id, a string or none, found once (``OwnershipState/uniqueRelease(_:)``'s
/// releasing function): 4 bytes an id and each distinct string once, where a ``DenseCache``
/// of `String?` took 24 bytes an id.
struct StringOfStackCache {
    /// 0: not found yet; 1: none; otherwise the string's index in `strings` plus 2.
    private var values: [UInt32] = []
    private var strings: [String] = []
    private var indexOfString: [String: UInt32] = [:]

    subscript(id: UInt32) -> String?? {
        @inline(__always) get {
            guard Int(id) < values.count else { return nil }
            let value = values[Int(id)]
            if value == 0 { return nil }
            return .some(value == 1 ? nil : strings[Int(value - 2)])
        }
        set {
            guard let newValue else { return }
            let index = Int(id)
            if index >= values.count {
                values += repeatElement(0, count: Swift.max(index + 1 - values.count, values.count / 2))
            }
            guard let string = newValue else {
                values[index] = 1
                return
            }
            if let known = indexOfString[string] {
                values[index] = known + 2
            } else {
                let next = UInt32(strings.count)
                strings.append(string)
                indexOfString[string] = next
                values[index] = next + 2
            }
        }
    }
}
