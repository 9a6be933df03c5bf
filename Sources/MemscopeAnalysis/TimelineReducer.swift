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
    private(set) var buckets: [Bucket] = []

    init(capacity: Int) { self.capacity = max(2, capacity) }

    /// Records the live heap after an event at `time`.
    @inline(__always)
    mutating func record(time: UInt64, live: UInt64, allocatedBytes: UInt64, isAllocation: Bool, isFree: Bool) {
        var index = time >> widthShift
        if index >= UInt64(buckets.count) {
            while index >= UInt64(capacity) {
                halve()
                index = time >> widthShift
            }
            let previous = buckets.last?.endLive ?? 0
            while UInt64(buckets.count) <= index { buckets.append(Bucket(live: previous)) }
        }
        let i = Int(index)
        buckets[i].maxLive = max(buckets[i].maxLive, live)
        buckets[i].minLive = min(buckets[i].minLive, live)
        buckets[i].endLive = live
        if isAllocation {
            buckets[i].allocations += 1
            buckets[i].bytesAllocated += allocatedBytes
        }
        if isFree { buckets[i].frees += 1 }
    }

    private mutating func halve() {
        var merged: [Bucket] = []
        merged.reserveCapacity(capacity)
        var i = 0
        while i < buckets.count {
            var bucket = buckets[i]
            if i + 1 < buckets.count { bucket.absorb(buckets[i + 1]) }
            merged.append(bucket)
            i += 2
        }
        buckets = merged
        width *= 2
        widthShift += 1
    }

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
func saturatingMultiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? UInt64.max : product
}
