import MemscopeModel

/// The process's resident set size over time, from the dump's `rss` records,
/// bounded like the timeline: beyond ``RSSSeries/capacity`` samples, neighbouring pairs
/// merge (earlier time, larger RSS), so the series keeps its shape and its peak.
public struct RSSSeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// ns since the start of the dump.
        public var timeNanoseconds: UInt64
        /// Resident bytes (the largest of the samples merged into this point).
        public var residentBytes: UInt64

        public init(timeNanoseconds: UInt64, residentBytes: UInt64) {
            self.timeNanoseconds = timeNanoseconds
            self.residentBytes = residentBytes
        }
    }

    public static let capacity = 2048
    public private(set) var points: [Point] = []
    /// The largest sample, exactly.
    public private(set) var peakBytes: UInt64 = 0
    /// Samples read, before merging.
    public private(set) var samples = 0

    public init() {}

    public var isEmpty: Bool { points.isEmpty }

    public mutating func add(timeNanoseconds: UInt64, residentBytes: UInt64) {
        samples += 1
        peakBytes = max(peakBytes, residentBytes)
        if let last = points.last, timeNanoseconds < last.timeNanoseconds {
            // Out of order (samples of another program image): keep the series monotonic.
            points[points.count - 1].residentBytes = max(last.residentBytes, residentBytes)
            return
        }
        points.append(Point(timeNanoseconds: timeNanoseconds, residentBytes: residentBytes))
        if points.count > Self.capacity {
            points = stride(from: 0, to: points.count, by: 2).map { i in
                i + 1 < points.count
                    ? Point(timeNanoseconds: points[i].timeNanoseconds,
                            residentBytes: max(points[i].residentBytes, points[i + 1].residentBytes))
                    : points[i]
            }
        }
    }
}
