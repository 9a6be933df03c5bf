/// Power-of-two buckets for allocation sizes: ≤8 B, ≤16 B, … ≤64 KiB, ≤1 MiB, >1 MiB.
public enum SizeBuckets {
    public static let count = 16
    /// Upper bounds (inclusive) in bytes of buckets 0…14; bucket 15 is everything larger.
    public static let upperBounds: [UInt64] = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
                                               16_384, 65_536, 262_144, 1_048_576]
    public static let labels = ["≤8 B", "≤16 B", "≤32 B", "≤64 B", "≤128 B", "≤256 B", "≤512 B", "≤1 KiB", "≤2 KiB",
                                "≤4 KiB", "≤8 KiB", "≤16 KiB", "≤64 KiB", "≤256 KiB", "≤1 MiB", ">1 MiB"]
    /// Buckets up to 32 bytes count as tiny allocations.
    public static let tinyBuckets = 3

    @inline(__always)
    public static func bucket(forSize size: UInt64) -> Int {
        if size <= 8 { return 0 }
        if size <= 16_384 {
            // ceil(log2(size)) - 3, for 9…16384 → 1…11
            return (64 - (size - 1).leadingZeroBitCount) - 3
        }
        var i = 12
        while i < upperBounds.count && size > upperBounds[i] { i += 1 }
        return i
    }
}

/// How many allocations of each size bucket a site (or the run) made, and their bytes.
/// Bytes per bucket are kept for the whole run only (a site's would cost a cache miss per
/// allocation); a site's histogram has counts and empty `bytes`.
public struct SizeHistogram: Sendable, Equatable {
    public var counts: [UInt64] = Array(repeating: 0, count: SizeBuckets.count)
    public var bytes: [UInt64] = Array(repeating: 0, count: SizeBuckets.count)

    public init() {}

    /// Counts only (bytes not tracked).
    public init(counts: [UInt64]) {
        self.counts = counts
        self.bytes = []
    }

    /// Allocations of at most 32 bytes.
    public var tiny: UInt64 { counts.prefix(SizeBuckets.tinyBuckets).reduce(0, +) }
}
