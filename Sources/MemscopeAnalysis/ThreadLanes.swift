/// Per-thread live bytes over time (of the blocks each thread allocated), at the same
/// coarse resolution as the site lanes: ``SiteLanes/points`` intervals whose width doubles
/// as the run grows.
struct ThreadLanes {
    private(set) var shift: UInt64 = 10
    private var values: [UInt64] = []
    private var currentBucket: [Int] = []
    private var currentMax: [UInt64] = []
    private var live: [UInt64] = []

    private mutating func ensure(_ thread: Int) {
        while currentBucket.count <= thread {
            values.append(contentsOf: repeatElement(0, count: SiteLanes.points))
            currentBucket.append(0)
            currentMax.append(0)
            live.append(0)
        }
    }

    /// Records that `thread`'s live bytes became `newLive` at `ticks`.
    @inline(__always)
    mutating func record(thread: Int, newLive: UInt64, ticks: UInt64) {
        if thread >= currentBucket.count { ensure(thread) }
        if ticks >> shift >= UInt64(SiteLanes.points) {
            while ticks >> shift >= UInt64(SiteLanes.points) && shift < 63 { widen() }
        }
        let bucket = Int(ticks >> shift)
        if bucket != currentBucket[thread] { closeInterval(thread: thread, bucket: bucket) }
        currentMax[thread] = max(currentMax[thread], live[thread], newLive)
        live[thread] = newLive
    }

    /// Writes a thread's closed interval and fills the quiet ones after it.
    private mutating func closeInterval(thread: Int, bucket: Int) {
        let base = thread * SiteLanes.points
        values[base + currentBucket[thread]] = max(values[base + currentBucket[thread]], currentMax[thread])
        for b in stride(from: currentBucket[thread] + 1, to: bucket, by: 1) { values[base + b] = max(values[base + b], live[thread]) }
        currentBucket[thread] = bucket
        currentMax[thread] = live[thread]
    }

    private mutating func widen() {
        shift += 1
        for t in currentBucket.indices {
            let base = t * SiteLanes.points
            for i in 0..<SiteLanes.points / 2 { values[base + i] = max(values[base + 2 * i], values[base + 2 * i + 1]) }
            for i in SiteLanes.points / 2..<SiteLanes.points { values[base + i] = 0 }
            currentBucket[t] /= 2
        }
    }

    /// The lane of each thread index, filled to `lastTicks`.
    func finished(threads: Int, lastTicks: UInt64) -> [[UInt64]] {
        let last = min(Int(min(lastTicks >> shift, UInt64(SiteLanes.points - 1))), SiteLanes.points - 1)
        return (0..<threads).map { t in
            guard t < currentBucket.count else { return Array(repeating: 0, count: SiteLanes.points) }
            var lane = Array(values[t * SiteLanes.points..<(t + 1) * SiteLanes.points])
            lane[currentBucket[t]] = max(lane[currentBucket[t]], currentMax[t])
            var b = currentBucket[t] + 1
            while b <= last {
                lane[b] = max(lane[b], live[t])
                b += 1
            }
            return lane
        }
    }

    var intervalTicks: UInt64 { 1 << shift }
}
