/// Decade buckets for block lifetimes: <1µs, <10µs, … <100s, ≥100s.
public enum LifetimeBuckets {
    public static let count = 10
    /// Upper bounds (exclusive) in nanoseconds of buckets 0…8; bucket 9 is open-ended.
    public static let upperBounds: [UInt64] = [
        1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
        1_000_000_000, 10_000_000_000, 100_000_000_000,
    ]
    public static let labels = ["<1µs", "<10µs", "<100µs", "<1ms", "<10ms", "<100ms", "<1s", "<10s", "<100s", "≥100s"]

    @inline(__always)
    public static func bucket(forNanoseconds ns: UInt64) -> Int {
        var i = 0
        while i < upperBounds.count && ns >= upperBounds[i] { i += 1 }
        return i
    }
}
