import MemscopeFormat

#if canImport(Glibc)
import Glibc
#endif

/// Per-stage wall times, printed to stderr as `timing STAGE SECONDS` lines when the
/// environment sets MEMSCOPE_TIMINGS=1 (the benchmark reads them).
public struct StageClock: Sendable {
    private var last = StageClock.now()
    public private(set) var laps: [(stage: String, seconds: Double)] = []
    /// Stages that ran on another thread meanwhile (the extra-view read): printed as
    /// `concurrent STAGE SECONDS`, apart from the laps, which add up to the wall time.
    public private(set) var concurrentLaps: [(stage: String, seconds: Double)] = []

    public init() {}

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    public mutating func lap(_ stage: String) {
        let t = Self.now()
        laps.append((stage, t - last))
        last = t
    }

    mutating func add(concurrent laps: [(stage: String, seconds: Double)]) {
        concurrentLaps += laps
    }

    /// The laps as `timing` lines on stderr, when MEMSCOPE_TIMINGS=1.
    public func report() {
        guard getenv("MEMSCOPE_TIMINGS").map({ String(cString: $0) == "1" }) == true else { return }
        var text = ""
        for (stage, seconds) in laps { text += "timing \(stage) \(seconds)\n" }
        for (stage, seconds) in concurrentLaps { text += "concurrent \(stage) \(seconds)\n" }
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
