import CPrefetch

/// The live stage's per-site figures, three 64-byte cache lines per site, aligned: the
/// figures every event of the site touches (``SiteAccumulator``), those only frees touch
/// (``SiteLifetimes``) and those only allocations touch (``SiteSizeCounts``). An event
/// thus brings two whole lines into the cache, where records packed in Swift arrays
/// would straddle three or four.
///
/// A reference type over raw memory: copies of a ``LiveTracker`` share it, and only one of
/// them (the live stage's) is ever changed.
final class SiteTable {
    static let lineSize = 64
    static let recordSize = 3 * lineSize
    private(set) var count = 0
    private var capacity: Int
    private var storage: UnsafeMutableRawPointer

    init(capacity: Int = 64) {
        precondition(MemoryLayout<SiteAccumulator>.size <= Self.lineSize
                     && MemoryLayout<SiteLifetimes>.size <= Self.lineSize
                     && MemoryLayout<SiteSizeCounts>.size <= Self.lineSize)
        self.capacity = max(capacity, 16)
        storage = .allocate(byteCount: self.capacity * Self.recordSize, alignment: Self.lineSize)
    }

    deinit { storage.deallocate() }

    /// Adds a site with every figure zero; its index is the old `count`.
    func append() {
        if count == capacity { grow() }
        let record = storage + count * Self.recordSize
        record.initializeMemory(as: SiteAccumulator.self, repeating: SiteAccumulator(), count: 1)
        (record + Self.lineSize).initializeMemory(as: SiteLifetimes.self, repeating: SiteLifetimes(), count: 1)
        (record + 2 * Self.lineSize).initializeMemory(as: SiteSizeCounts.self, repeating: SiteSizeCounts(repeating: 0), count: 1)
        count += 1
    }

    private func grow() {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2 * Self.recordSize, alignment: Self.lineSize)
        bigger.copyMemory(from: storage, byteCount: count * Self.recordSize)  // trivial types
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }

    /// Asks for the two lines an event of site `s` will touch.
    @inline(__always)
    func prefetch(_ s: Int, release: Bool) {
        let record = storage + s &* Self.recordSize
        ms_prefetch_for_write(record)
        ms_prefetch_for_write(record + (release ? Self.lineSize : 2 * Self.lineSize))
    }

    /// The figures every event of site `s` touches.
    @inline(__always)
    func figures(_ s: Int) -> UnsafeMutablePointer<SiteAccumulator> {
        precondition(s >= 0 && s < count)
        return (storage + s &* Self.recordSize).assumingMemoryBound(to: SiteAccumulator.self)
    }

    /// The lifetimes of site `s`'s freed blocks.
    @inline(__always)
    func lifetimes(_ s: Int) -> UnsafeMutablePointer<SiteLifetimes> {
        precondition(s >= 0 && s < count)
        return (storage + s &* Self.recordSize + Self.lineSize).assumingMemoryBound(to: SiteLifetimes.self)
    }

    /// Site `s`'s allocations per size bucket.
    @inline(__always)
    func sizes(_ s: Int) -> UnsafeMutablePointer<SiteSizeCounts> {
        precondition(s >= 0 && s < count)
        return (storage + s &* Self.recordSize + 2 * Self.lineSize).assumingMemoryBound(to: SiteSizeCounts.self)
    }
}
