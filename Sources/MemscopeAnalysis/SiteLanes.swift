/// Per-site live bytes over time, at a coarse, shared resolution: ``points`` intervals
/// whose width doubles (merging neighbours by maximum) as the run grows.
///
/// - Complexity: memory is ``points`` counters per allocating site; widening is
///   O(sites × points) and happens at most 64 times.
struct SiteLanes {
    static let points = 64
    /// Interval width in ticks is `1 << shift`. Starts at 1024 ticks.
    private(set) var shift: UInt64 = 10
    /// Closed intervals: `values[site * points + interval]`.
    private(set) var values: [UInt64] = []

    mutating func addSite() {
        values.append(contentsOf: repeatElement(0, count: Self.points))
    }

    @inline(__always)
    func bucket(_ ticks: UInt64) -> Int {
        let b = ticks >> shift
        return b >= UInt64(Self.points) ? Self.points : Int(b)
    }

    /// Writes a site's closed interval and fills the intervals up to (not including)
    /// `through` with `live`, the bytes it held unchanged since.
    mutating func close(site: Int, bucket: Int, maximum: UInt64, through: Int, live: UInt64) {
        let base = site * Self.points
        values[base + bucket] = max(values[base + bucket], maximum)
        var b = bucket + 1
        while b < through && b < Self.points {
            values[base + b] = max(values[base + b], live)
            b += 1
        }
    }

    /// Doubles the interval width until `ticks` fits, merging neighbouring intervals.
    mutating func widen(until ticks: UInt64, sites: inout [SiteAccumulator]) {
        while ticks >> shift >= UInt64(Self.points) && shift < 63 {
            shift += 1
            for s in 0..<values.count / Self.points {
                let base = s * Self.points
                for i in 0..<Self.points / 2 {
                    values[base + i] = max(values[base + 2 * i], values[base + 2 * i + 1])
                }
                for i in Self.points / 2..<Self.points { values[base + i] = 0 }
                sites[s].laneBucket /= 2
            }
        }
    }

    /// The lanes of every site, with each site's still-open interval and the intervals
    /// after it (to `lastTicks`) filled in.
    func finished(sites: [SiteAccumulator], lastTicks: UInt64) -> [[UInt64]] {
        let last = min(bucket(lastTicks), Self.points - 1)
        return sites.indices.map { s in
            var lane = Array(values[s * Self.points..<(s + 1) * Self.points])
            let site = sites[s]
            let current = Int(site.laneBucket)
            lane[current] = max(lane[current], site.laneMax)
            var b = current + 1
            while b <= last {
                lane[b] = max(lane[b], site.liveBytes)
                b += 1
            }
            return lane
        }
    }

    var intervalTicks: UInt64 { 1 << shift }
}
