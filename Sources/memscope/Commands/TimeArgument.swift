import ArgumentParser
import MemscopeModel

/// A point in a dump's run: `12.5s`, `850ms`, `40us`, `1200ns`, or `25%` of the run.
struct TimeArgument: ExpressibleByArgument, Equatable {
    enum Value: Equatable {
        case nanoseconds(UInt64)
        case percent(Double)
    }

    var value: Value

    init?(argument: String) {
        let text = argument.trimmingSpaces.lowercased()
        if text.hasSuffix("%") {
            guard let p = Double(text.dropLast()), p >= 0, p <= 100 else { return nil }
            value = .percent(p)
            return
        }
        let digits = text.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 0 else { return nil }
        let scale: Double
        switch text.dropFirst(digits.count) {
        case "s": scale = 1e9
        case "ms": scale = 1e6
        case "us", "µs": scale = 1e3
        case "ns": scale = 1
        default: return nil
        }
        guard number * scale < 1.8e19 else { return nil }
        value = .nanoseconds(UInt64((number * scale).rounded()))
    }

    /// Nanoseconds since the start; `duration` resolves percentages.
    func nanoseconds(duration: () throws -> UInt64) rethrows -> UInt64 {
        switch value {
        case .nanoseconds(let ns): ns
        case .percent(let p): UInt64(clamping: (Double(try duration()) * p / 100).rounded())
        }
    }
}
