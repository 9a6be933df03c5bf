import CPrefetch

/// A growable store of plain values in raw memory behind a reference, for per-event state:
/// writing an element is a store, without the uniqueness check an array makes before every
/// write (several per event in each stage; a runtime call each).
///
/// Its one owner (a table of the analysis) never copies it to change the copies apart, so
/// the reference semantics do not show. Indices are checked by the callers' own invariants
/// (a probe stays within the table, a thread index was added before it is used).
final class UncheckedStore<Element: BitwiseCopyable>: RandomAccessCollection {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count: Int

    init(repeating value: Element, count: Int) {
        self.count = count
        capacity = Swift.max(count, 4)
        base = .allocate(capacity: capacity)
        base.initialize(repeating: value, count: count)
    }

    deinit { base.deallocate() }  // plain values: nothing to deinitialise

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Element {
        @inline(__always) unsafeAddress { UnsafePointer(base + i) }
        @inline(__always) unsafeMutableAddress { base + i }
    }

    /// Asks for element `i`'s cache line ahead of a write (a hint: `i` is not checked).
    @inline(__always)
    func prefetchForWrite(_ i: Int) { ms_prefetch_for_write(base + i) }

    func append(_ value: Element) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: value)
        count += 1
    }
}
