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
