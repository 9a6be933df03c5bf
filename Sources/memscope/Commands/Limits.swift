import ArgumentParser
import MemscopeModel

/// A command-line quantity split into its number (at least 0) and its lowercased unit ("1.5 MiB").
func numberAndUnit(_ argument: String) -> (number: Double, unit: String)? {
    let text = argument.trimmingSpaces
    let digits = text.prefix { $0.isNumber || $0 == "." }
    guard let number = Double(digits), number >= 0 else { return nil }
    return (number, text.dropFirst(digits.count).trimmingSpaces.lowercased())
}

/// A byte count given with a unit: `512`, `64KiB`, `1.5 MiB`, `200MB`, `2G` (K, M, G, T
/// alone are binary, like KiB; KB, MB… are decimal).
struct ByteSize: ExpressibleByArgument, Equatable {
    var bytes: UInt64

    init(bytes: UInt64) { self.bytes = bytes }

    init?(argument: String) {
        guard let (number, unit) = numberAndUnit(argument) else { return nil }
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "k", "kib": scale = 1024
        case "kb": scale = 1000
        case "m", "mib": scale = 1_048_576
        case "mb": scale = 1_000_000
        case "g", "gib": scale = 1_073_741_824
        case "gb": scale = 1_000_000_000
        case "t", "tib": scale = 1_099_511_627_776
        case "tb": scale = 1_000_000_000_000
        default: return nil
        }
        let value = (number * scale).rounded()
        guard value < 1.8e19 else { return nil }
        bytes = UInt64(value)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A percentage: `10%` or `10`.
struct Percentage: ExpressibleByArgument, Equatable {
    var value: Double

    init?(argument: String) {
        var text = argument.trimmingSpaces
        if text.hasSuffix("%") { text.removeLast() }
        guard let number = Double(text), number >= 0, number.isFinite else { return nil }
        value = number
    }
}

extension String {
    var trimmingSpaces: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}

extension Substring {
    var trimmingSpaces: Substring { drop { $0 == " " } }
}

/// One limit and whether the dump keeps it.
struct LimitResult {
    var metric: String
    var value: UInt64
    var limit: String
    var passed: Bool
    var detail: String
    var isBytes: Bool

    var line: String {
        let shown = isBytes ? "\(Units.bytes(value)) (\(Units.count(value)) bytes)" : Units.count(value)
        return "\(passed ? "ok  " : "FAIL") \(metric): \(shown); limit \(limit)\(detail.isEmpty ? "" : "; \(detail)")"
    }

    var json: String {
        "{\"detail\":\(jsonString(detail)),\"limit\":\(jsonString(limit)),\"metric\":\(jsonString(metric)),"
            + "\"passed\":\(passed),\"value\":\(value)}"
    }
}
