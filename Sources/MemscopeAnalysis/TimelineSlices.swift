import MemscopeModel

/// The run cut into equal slices of time, with each site's figures in each slice: what a
/// report's range selection adds up. Every figure is additive, so for any range of whole
/// slices the sums are exact: allocations, bytes allocated and frees within the range, and
/// (summing from the first slice) each site's live bytes and blocks at the range's end.
///
/// They equal an analysis of that window (``AnalysisOptions/windowStartNanoseconds`` at
/// the first slice's start, ``AnalysisOptions/windowEndNanoseconds`` one nanosecond
/// before the last slice's end): allocations, frees and bytes allocated per site, and its
/// leaked bytes and blocks (live at the window's end, suppressed sites excepted).
public struct TimelineSlices: Sendable, Equatable {
    /// One site's figures in one slice.
    public struct Cell: Sendable, Equatable {
        /// The site's allocation stack.
        public var stack: UInt32
        public var allocations: UInt64 = 0
        public var bytesAllocated: UInt64 = 0
        /// Releases of the site's blocks (by free or by realloc).
        public var frees: UInt64 = 0
        /// The site's live bytes at the slice's end less those at its start.
        public var liveBytesChange: Int64 = 0
        /// The same for its live blocks.
        public var liveBlocksChange: Int64 = 0

        public init(stack: UInt32) { self.stack = stack }

        /// Adds `other`'s figures; false when the bytes allocated wrapped.
        mutating func add(_ other: Cell) -> Bool {
            allocations &+= other.allocations
            let (bytes, overflow) = bytesAllocated.addingReportingOverflow(other.bytesAllocated)
            bytesAllocated = bytes
            frees &+= other.frees
            liveBytesChange &+= other.liveBytesChange
            liveBlocksChange &+= other.liveBlocksChange
            return !overflow
        }
    }

    /// Width of every slice in ns (a power of two of the dump's clock ticks).
    public var sliceNanoseconds: UInt64
    /// Per slice, from the start of the dump, the sites with any change in it, by stack id.
    public var slices: [[Cell]]
    /// Whether every figure fits where it is kept: false when a byte sum wrapped (only a
    /// forged dump gets there); the figures are then not to be shown.
    public var isExact: Bool

    public init(sliceNanoseconds: UInt64, slices: [[Cell]], isExact: Bool = true) {
        self.sliceNanoseconds = sliceNanoseconds
        self.slices = slices
        self.isExact = isExact
    }

    /// The start of slice `i` in ns.
    public func start(_ i: Int) -> UInt64 { UInt64(i).multipliedSaturating(by: sliceNanoseconds) }
    /// The end of slice `i` in ns (exclusive): the next slice's start.
    public func end(_ i: Int) -> UInt64 { start(i + 1) }

    /// Live changes of these sites no longer count (their leaks are suppressed), so that
    /// the live figures at a range's end equal a window analysis' leaked figures.
    public mutating func suppress(stacks: Set<UInt32>) {
        guard !stacks.isEmpty else { return }
        for s in slices.indices {
            for c in slices[s].indices where stacks.contains(slices[s][c].stack) {
                slices[s][c].liveBytesChange = 0
                slices[s][c].liveBlocksChange = 0
            }
        }
    }

    /// The same slices, `factor` at a time merged into one (fewer, wider slices: still exact).
    public func merged(by factor: Int) -> TimelineSlices {
        guard factor > 1 else { return self }
        var merged: [[Cell]] = []
        var exact = isExact
        var i = 0
        while i < slices.count {
            var combined: [Cell] = []
            for part in slices[i..<min(i + factor, slices.count)] { combined = SliceRecorder.merge(combined, part, exact: &exact) }
            merged.append(combined)
            i += factor
        }
        return TimelineSlices(sliceNanoseconds: sliceNanoseconds.multipliedSaturating(by: UInt64(factor)), slices: merged,
                              isExact: exact)
    }
}

/// Builds ``TimelineSlices`` in the live stage, one pass, bounded: slices are a power of two
/// of ticks wide; when the run outgrows `capacity` of them, the width doubles and
/// neighbouring slices merge (their figures add up). The open slice keeps its figures in a
/// dense array by site, so an event costs an index and four additions.
struct SliceRecorder {
    let capacity: Int
    private(set) var shift: UInt64 = 0
    /// Closed slices, sparse (dense site index, sorted), before `current`.
    private var closed: [[Cell]] = []
    private var current = 0
    /// The open slice, by dense site index.
    private var open: [Cell] = []
    private var touched: [Int32] = []
    private(set) var wrapped = false

    /// While recording, ``TimelineSlices/Cell/stack`` holds the dense site index.
    typealias Cell = TimelineSlices.Cell

    init(capacity: Int) { self.capacity = max(2, capacity) }

    mutating func apply(_ changes: LiveChangeBuffer) {
        let base = changes.base
        for i in 0..<changes.count { apply(base[i]) }
    }

    @inline(__always)
    mutating func apply(_ change: LiveChange) {
        if change.ticks >> shift != UInt64(current) { moveOn(to: change.ticks) }
        let s = Int(change.site)
        if s >= open.count {
            // Doubling: `reserveCapacity(s + 1)` reserved exactly that, so each new site
            // copied the whole array (143,000 sites: a third of a render's time).
            open.append(contentsOf: repeatElement(Cell(stack: UInt32.max), count: max(s + 1, 2 * open.count) - open.count))
        }
        if open[s].stack == UInt32.max {
            open[s].stack = UInt32(s)
            touched.append(Int32(s))
        }
        let size = Int64(bitPattern: change.size)
        if _slowPath(size < 0) { wrapped = true }
        if change.isRelease {
            if change.counted { open[s].frees &+= 1 }
            open[s].liveBytesChange &-= size
            open[s].liveBlocksChange &-= 1
        } else {
            if change.counted {
                open[s].allocations &+= 1
                let (sum, overflow) = open[s].bytesAllocated.addingReportingOverflow(change.size)
                open[s].bytesAllocated = sum
                if overflow { wrapped = true }
            }
            open[s].liveBytesChange &+= size
            open[s].liveBlocksChange &+= 1
        }
    }

    /// Closes the open slice.
    private mutating func close() {
        touched.sort()
        closed.append(touched.map { open[Int($0)] })
        for s in touched { open[Int(s)] = Cell(stack: UInt32.max) }
        touched.removeAll(keepingCapacity: true)
    }

    /// Closes the open slice, widens while `ticks` lies past the last slice, and opens the
    /// slice holding `ticks` (after a widening it may be the last closed one, reopened).
    private mutating func moveOn(to ticks: UInt64) {
        close()
        var exact = true
        defer { if !exact { wrapped = true } }
        while ticks >> shift >= UInt64(capacity) && shift < 63 {
            shift += 1
            var merged: [[Cell]] = []
            merged.reserveCapacity((closed.count + 1) / 2)
            var i = 0
            while i < closed.count {
                merged.append(i + 1 < closed.count ? Self.merge(closed[i], closed[i + 1], exact: &exact) : closed[i])
                i += 2
            }
            closed = merged
        }
        let index = Int(ticks >> shift)
        if index < closed.count {
            for cell in closed.removeLast() {
                open[Int(cell.stack)] = cell
                touched.append(Int32(cell.stack))
            }
        }
        while closed.count < index { closed.append([]) }
        current = index
    }

    /// Two sparse slices (sorted by site) as one.
    static func merge(_ a: [Cell], _ b: [Cell], exact: inout Bool) -> [Cell] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [Cell] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].stack < b[j].stack) {
                out.append(a[i]); i += 1
            } else if i == a.count || b[j].stack < a[i].stack {
                out.append(b[j]); j += 1
            } else {
                var cell = a[i]
                if !cell.add(b[j]) { exact = false }
                out.append(cell)
                i += 1; j += 1
            }
        }
        return out
    }

    /// The slices up to `lastTicks` (the run's last event, heap or not), cells named by stack
    /// (`siteStacks` maps dense site indices to stacks) and sorted by it.
    func finished(siteStacks: [UInt32], lastTicks: UInt64, nanosecondsPerTick unit: UInt64) -> TimelineSlices {
        var copy = self
        if lastTicks >> copy.shift > UInt64(copy.current) { copy.moveOn(to: lastTicks) }
        copy.close()
        var slices = copy.closed
        if slices.allSatisfy(\.isEmpty) { slices = [] }
        for i in slices.indices {
            slices[i] = slices[i].map { cell in
                var named = cell
                named.stack = siteStacks[Int(cell.stack)]
                return named
            }.sorted { $0.stack < $1.stack }
        }
        return TimelineSlices(sliceNanoseconds: (UInt64(1) << copy.shift).multipliedSaturating(by: unit), slices: slices,
                              isExact: !copy.wrapped)
    }
}
