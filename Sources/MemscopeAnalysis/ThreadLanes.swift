/// Per-thread live bytes over time (of the blocks each thread allocated), at the same
/// coarse resolution as the site lanes: ``SiteLanes/points`` intervals whose width doubles
/// as the run grows.
struct ThreadLanes {
    private(set) var shift: UInt64 = 10
    private var values: [UInt64] = []
    /// Per thread: the interval its events last fell in, the highest live bytes in it, and
    /// its live bytes now (one record, so an event makes one access).
    private struct Current {
        var bucket = 0
        var maximum: UInt64 = 0
        var live: UInt64 = 0
    }
    private var current: [Current] = []

    private mutating func ensure(_ thread: Int) {
        while current.count <= thread {
            values.append(contentsOf: repeatElement(0, count: SiteLanes.points))
            current.append(Current())
        }
    }

    /// Records that `thread`'s live bytes became `newLive` at `ticks`.
    @inline(__always)
    mutating func record(thread: Int, newLive: UInt64, ticks: UInt64) {
        if thread >= current.count { ensure(thread) }
        if ticks >> shift >= UInt64(SiteLanes.points) {
            while ticks >> shift >= UInt64(SiteLanes.points) && shift < 63 { widen() }
        }
        let bucket = Int(ticks >> shift)
        if bucket != current[thread].bucket { closeInterval(thread: thread, bucket: bucket) }
        Self.change(&current[thread], to: newLive)
    }

    @inline(__always)
    private static func change(_ c: inout Current, to newLive: UInt64) {
        c.maximum = max(c.maximum, c.live, newLive)
        c.live = newLive
    }

    /// Writes a thread's closed interval and fills the quiet ones after it.
    private mutating func closeInterval(thread: Int, bucket: Int) {
        let base = thread * SiteLanes.points
        let c = current[thread]
        values[base + c.bucket] = max(values[base + c.bucket], c.maximum)
        for b in stride(from: c.bucket + 1, to: bucket, by: 1) { values[base + b] = max(values[base + b], c.live) }
        current[thread].bucket = bucket
        current[thread].maximum = c.live
    }

    private mutating func widen() {
        shift += 1
        for t in current.indices {
            let base = t * SiteLanes.points
            for i in 0..<SiteLanes.points / 2 { values[base + i] = max(values[base + 2 * i], values[base + 2 * i + 1]) }
            for i in SiteLanes.points / 2..<SiteLanes.points { values[base + i] = 0 }
            current[t].bucket /= 2
        }
    }

    /// The lane of each thread index, filled to `lastTicks`.
    func finished(threads: Int, lastTicks: UInt64) -> [[UInt64]] {
        let last = min(Int(min(lastTicks >> shift, UInt64(SiteLanes.points - 1))), SiteLanes.points - 1)
        return (0..<threads).map { t in
            guard t < current.count else { return Array(repeating: 0, count: SiteLanes.points) }
            var lane = Array(values[t * SiteLanes.points..<(t + 1) * SiteLanes.points])
            let c = current[t]
            lane[c.bucket] = max(lane[c.bucket], c.maximum)
            var b = c.bucket + 1
            while b <= last {
                lane[b] = max(lane[b], c.live)
                b += 1
            }
            return lane
        }
    }

    var intervalTicks: UInt64 { 1 << shift }
}
