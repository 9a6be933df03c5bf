import Synchronization

/// Results filled in by concurrent workers (`DispatchQueue.concurrentPerform`), one slot
/// per index, each written once; read after the workers are done.
final class ResultSlots<Value: Sendable>: Sendable {
    private let slots: Mutex<[Value?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ value: Value) {
        slots.withLock { $0[index] = value }
    }

    /// Slot `index`'s value (nil: not filled).
    func value(_ index: Int) -> Value? {
        slots.withLock { $0[index] }
    }

    /// Every filled slot, in index order.
    var values: [Value] {
        slots.withLock { $0.compactMap { $0 } }
    }
}
