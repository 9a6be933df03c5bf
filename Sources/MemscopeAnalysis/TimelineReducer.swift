/// Builds ``Timeline`` in one pass with bounded memory.
///
/// Time is cut into equal intervals; when the run outgrows `capacity` intervals, the
/// width doubles and neighbouring intervals merge (max of maxima, min of minima, sums of
/// counts), so the maximum of every interval, and with it the global peak, is never lost.
/// - Complexity: O(1) amortised per event; memory O(capacity).
struct TimelineReducer {
    struct Bucket {
        var maxLive: UInt64
        var minLive: UInt64
        var endLive: UInt64
        var allocations: UInt64 = 0
        var bytesAllocated: UInt64 = 0
        var frees: UInt64 = 0

        init(live: UInt64) {
            maxLive = live
            minLive = live
            endLive = live
        }

        mutating func absorb(_ next: Bucket) {
            maxLive = max(maxLive, next.maxLive)
            minLive = min(minLive, next.minLive)
            endLive = next.endLive
            allocations += next.allocations
            bytesAllocated += next.bytesAllocated
            frees += next.frees
        }
    }

    let capacity: Int
    /// Interval width in ticks: always `1 << widthShift`.
    private(set) var width: UInt64 = 1
    private var widthShift: UInt64 = 0
    /// Closed intervals, before `currentIndex`.
    private var closed: [Bucket] = []
    /// The interval events are landing in, kept out of the array: thousands of
    /// consecutive events share it, so the hot path touches no array at all.
    private var current = Bucket(live: 0)
    private var currentIndex: UInt64 = 0

    init(capacity: Int) { self.capacity = max(2, capacity) }

    /// Moves to the interval holding `time`, before events at that time are recorded
    /// (times never go backwards).
    @inline(__always)
    mutating func enter(time: UInt64) {
        if time >> widthShift != currentIndex { advance(to: time) }
    }

    /// The first time past the current interval: until then, ``enter(time:)`` changes nothing.
    var nextStart: UInt64 { saturatingMultiply(currentIndex &+ 1, 1 << widthShift) }

    /// Records the live heap after an event in the current interval (``enter(time:)``).
    @inline(__always)
    mutating func record(live: UInt64, allocatedBytes: UInt64, isAllocation: Bool, isFree: Bool) {
        current.maxLive = max(current.maxLive, live)
        current.minLive = min(current.minLive, live)
        current.endLive = live
        if isAllocation {
            current.allocations &+= 1
            current.bytesAllocated &+= allocatedBytes
        }
        if isFree { current.frees &+= 1 }
    }

    /// Closes the current interval and opens the one holding `time`, widening every
    /// interval while the run would need more than `capacity` of them.
    private mutating func advance(to time: UInt64) {
        while time >> widthShift >= UInt64(capacity) { halve() }
        let index = time >> widthShift
        guard index != currentIndex else { return }
        closed.append(current)
        let live = current.endLive
        while UInt64(closed.count) < index { closed.append(Bucket(live: live)) }
        current = Bucket(live: live)
        currentIndex = index
    }

    private mutating func halve() {
        var all = closed
        all.append(current)
        while UInt64(all.count) <= currentIndex { all.append(Bucket(live: current.endLive)) }
        var merged: [Bucket] = []
        merged.reserveCapacity(capacity)
        var i = 0
        while i < all.count {
            var bucket = all[i]
            if i + 1 < all.count { bucket.absorb(all[i + 1]) }
            merged.append(bucket)
            i += 2
        }
        width *= 2
        widthShift += 1
        currentIndex >>= 1
        current = merged[Int(currentIndex)]
        closed = Array(merged[..<Int(currentIndex)])
    }

    /// Every interval from the start to the last event.
    var buckets: [Bucket] { closed + [current] }

    func timeline(nanosecondsPerTick unit: UInt64) -> Timeline {
        let points = buckets.enumerated().map { index, bucket in
            Timeline.Point(timeNanoseconds: saturatingMultiply(UInt64(index) * width, unit),
                           maxLiveBytes: bucket.maxLive, minLiveBytes: bucket.minLive,
                           endLiveBytes: bucket.endLive, allocations: bucket.allocations,
                           bytesAllocated: bucket.bytesAllocated, frees: bucket.frees)
        }
        return Timeline(intervalNanoseconds: saturatingMultiply(width, unit), points: points)
    }
}

@inline(__always)
func saturatingMultiply(_ a: UInt64, _ b: UInt64) -> UInt64 { a.multipliedSaturating(by: b) }

/// `a + b`, or `UInt64.max` when the sum does not fit (byte sums of a dump: sizes are at
/// most 2^48, so 2^16 blocks can exceed 64 bits; the figure is then flagged, never wrapped).
@inline(__always)
func saturatingAdd(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? UInt64.max : sum
}
