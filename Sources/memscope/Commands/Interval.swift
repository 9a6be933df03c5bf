import ArgumentParser

/// A time interval given on the command line: a number and a unit, ns, us, ms, s or min
/// ("100ms", "1.5s").
struct Interval: ExpressibleByArgument, Equatable {
    var nanoseconds: UInt64

    init?(argument: String) {
        guard let (number, unit) = numberAndUnit(argument), number > 0 else { return nil }
        let scale: Double
        switch unit {
        case "ns": scale = 1
        case "us", "µs": scale = 1_000
        case "ms": scale = 1_000_000
        case "s": scale = 1_000_000_000
        case "min": scale = 60_000_000_000
        default: return nil
        }
        let value = (number * scale).rounded()
        guard value >= 1, value < 1.8e19 else { return nil }
        nanoseconds = UInt64(value)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
