/// Per-site live bytes over time, at a coarse, shared resolution: ``points`` intervals
/// whose width doubles (merging neighbours by maximum) as the run grows.
///
/// Every site's events fall in the same open interval, ``current``; each site keeps the
/// highest live bytes it reached in it (``SiteAccumulator/laneMax``). When events move on
/// to a later interval, every site's open interval is closed in one sweep, so an event
/// only updates its site's record.
///
/// - Complexity: memory is ``points`` counters per allocating site; a sweep is
///   O(sites), and there are at most about 32 per doubling of the width (64 doublings at
///   most); widening is O(sites × points).
struct SiteLanes {
    static let points = 64
    /// Interval width in ticks is `1 << shift`. Starts at one tick (a millisecond for
    /// heaptrack, whose runs are often shorter than 1,024 of them).
    private(set) var shift: UInt64 = 0
    /// Closed intervals: `values[site * points + interval]`.
    private(set) var values: [UInt64] = []
    /// The interval events fall in now.
    private(set) var current = 0

    mutating func addSite() {
        values.append(contentsOf: repeatElement(0, count: Self.points))
    }

    /// Moves the open interval to the one holding `ticks` (times never go backwards).
    @inline(__always)
    mutating func advance(to ticks: UInt64, sites: SiteTable) {
        if ticks >> shift != UInt64(current) { moveOn(to: ticks, sites: sites) }
    }

    /// The first time past the open interval: until then, ``advance(to:sites:)`` changes
    /// nothing.
    var nextStart: UInt64 { saturatingMultiply(UInt64(current) + 1, 1 << shift) }

    /// Widens while `ticks` lies past the last interval, then closes every site's open
    /// interval with its maximum and fills the quiet intervals up to the new one with
    /// its live bytes, which stayed unchanged through them.
    private mutating func moveOn(to ticks: UInt64, sites: SiteTable) {
        while ticks >> shift >= UInt64(Self.points) && shift < 63 { widen() }
        let target = Int(ticks >> shift)
        guard target != current else { return }
        for s in 0..<sites.count {
            let base = s * Self.points
            let site = sites.figures(s)
            values[base + current] = max(values[base + current], site.pointee.laneMax)
            let live = site.pointee.liveBytes
            var b = current + 1
            while b < target {
                values[base + b] = max(values[base + b], live)
                b += 1
            }
            site.pointee.laneMax = live
        }
        current = target
    }

    /// Doubles the interval width, merging neighbouring intervals.
    private mutating func widen() {
        shift += 1
        Self.mergeNeighbours(&values)
        current /= 2
    }

    /// Halves the resolution of every lane in `values` (``points`` counters a lane): each
    /// pair of neighbouring intervals becomes one holding their maximum, and the second
    /// half of the lane is emptied. Thread lanes share it.
    static func mergeNeighbours(_ values: inout [UInt64]) {
        for lane in 0..<values.count / points {
            let base = lane * points
            for i in 0..<points / 2 { values[base + i] = max(values[base + 2 * i], values[base + 2 * i + 1]) }
            for i in points / 2..<points { values[base + i] = 0 }
        }
    }

    /// The lanes of every site, with the open interval and the intervals after it (to
    /// `lastTicks`) filled in: site `s`'s lane is `values[s * points..<(s + 1) * points]`,
    /// one array for every site instead of an array each (196,745 allocations, 107 MB, on a
    /// dump of that many sites). This keeps none. The buffer is uniquely held here when
    /// the tracker was moved, not copied, into the analyzer (a staged analysis's live stage
    /// kept a copy until the finish: the first write here copied the buffer).
    mutating func takeFinished(sites: SiteTable, lastTicks: UInt64) -> [UInt64] {
        let last = min(Int(min(lastTicks >> shift, UInt64(Self.points))), Self.points - 1)
        var values = self.values
        self.values = []
        for s in 0..<sites.count {
            let base = s * Self.points
            let site = sites.figures(s).pointee
            values[base + current] = max(values[base + current], site.laneMax)
            var b = current + 1
            while b <= last {
                values[base + b] = max(values[base + b], site.liveBytes)
                b += 1
            }
        }
        return values
    }

    var intervalTicks: UInt64 { 1 << shift }
}
