/// Per-thread live bytes over time (of the blocks each thread allocated), at the same
/// coarse resolution as the site lanes: ``SiteLanes/points`` intervals whose width doubles
/// as the run grows.
///
/// The interval a thread's events last fell in and its highest live bytes there are kept
/// in the thread's own record (``ThreadLive``), beside its live bytes, so an event updates
/// one record; closed intervals are written here. A thread gets lane storage only when
/// its first interval closes, so the many short threads of a thread-per-task program cost
/// four bytes each here, not a lane.
struct ThreadLanes {
    /// Lanes are returned for this many threads (the highest peaks; the report draws ten).
    static let keptLanes = 256

    private(set) var shift: UInt64 = 0
    private var values: [UInt64] = []
    /// Per thread index: the start of its lane in `values`, or -1 before its first closed interval.
    private var offsets: [Int32] = []

    /// Makes room for one more thread's lane.
    mutating func addThread() {
        offsets.append(-1)
    }

    private mutating func storage(of t: Int) -> Int {
        if offsets[t] < 0 {
            offsets[t] = Int32(values.count)
            values.append(contentsOf: repeatElement(0, count: SiteLanes.points))
        }
        return Int(offsets[t])
    }

    /// Whether `ticks` lies past the last interval (``widen(until:threads:)`` first).
    @inline(__always)
    func needsWidening(_ ticks: UInt64) -> Bool { ticks >> shift >= UInt64(SiteLanes.points) }

    /// The first time that needs widening.
    var widthEnd: UInt64 { saturatingMultiply(UInt64(SiteLanes.points), 1 << shift) }

    /// Adds `bytes` to thread `t`'s live bytes at `ticks`, or takes them away, keeping its
    /// peak and lane (after ``needsWidening(_:)`` is false).
    @inline(__always)
    mutating func change(_ c: inout ThreadLive, index t: Int, by bytes: UInt64, adding: Bool, ticks: UInt64) {
        let bucket = Int(ticks >> shift)
        if bucket != c.laneBucket { closeInterval(&c, index: t, bucket: bucket) }
        let newLive = adding ? c.liveBytes &+ bytes : c.liveBytes &- bytes
        c.laneMax = max(c.laneMax, c.liveBytes, newLive)
        c.liveBytes = newLive
        if adding { c.peakBytes = max(c.peakBytes, newLive) }
    }

    /// Writes a thread's closed interval and fills the quiet ones after it.
    private mutating func closeInterval(_ c: inout ThreadLive, index t: Int, bucket: Int) {
        guard c.laneMax > 0 || c.liveBytes > 0 || offsets[t] >= 0 else {
            c.laneBucket = bucket // nothing live yet: the lane stays all zeros, and unstored
            return
        }
        let base = storage(of: t)
        values[base + c.laneBucket] = max(values[base + c.laneBucket], c.laneMax)
        for b in stride(from: c.laneBucket + 1, to: bucket, by: 1) { values[base + b] = max(values[base + b], c.liveBytes) }
        c.laneBucket = bucket
        c.laneMax = c.liveBytes
    }

    /// Doubles the interval width until `ticks` fits, merging neighbouring intervals.
    mutating func widen(until ticks: UInt64, threads: UncheckedStore<ThreadLive>) {
        while needsWidening(ticks) && shift < 63 {
            shift += 1
            SiteLanes.mergeNeighbours(&values)
            for t in threads.indices { threads[t].laneBucket /= 2 }
        }
    }

    /// The lane of each thread index below `count`, filled to `lastTicks`, for the thread
    /// indices in `kept`; empty for the others.
    func finished(threads: UncheckedStore<ThreadLive>, count: Int, lastTicks: UInt64, kept: Set<Int>) -> [[UInt64]] {
        let last = min(Int(min(lastTicks >> shift, UInt64(SiteLanes.points - 1))), SiteLanes.points - 1)
        return (0..<count).map { t in
            guard kept.contains(t) else { return [] }
            guard t < threads.count else { return Array(repeating: 0, count: SiteLanes.points) }
            var lane = offsets[t] < 0 ? Array(repeating: 0, count: SiteLanes.points)
                : Array(values[Int(offsets[t])..<Int(offsets[t]) + SiteLanes.points])
            let c = threads[t]
            lane[c.laneBucket] = max(lane[c.laneBucket], c.laneMax)
            var b = c.laneBucket + 1
            while b <= last {
                lane[b] = max(lane[b], c.liveBytes)
                b += 1
            }
            return lane
        }
    }

    var intervalTicks: UInt64 { 1 << shift }
}
