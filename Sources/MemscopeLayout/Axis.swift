import MemscopeModel

/// Tick positions and labels for chart axes ("nice" 1-2-5 steps).
public enum Axis {
    /// Ticks from 0 to at least `maximum` for a byte axis, labelled in binary units.
    public static func byteTicks(maximum: UInt64, count: Int = 5) -> [(value: Double, label: String)] {
        guard maximum > 0 else { return [(0, "0 B")] }
        var unit: Double = 1
        var name = "B"
        for (next, nextName) in [(1024.0, "KiB"), (1_048_576.0, "MiB"), (1_073_741_824.0, "GiB"), (1_099_511_627_776.0, "TiB")]
        where Double(maximum) >= next {
            unit = next
            name = nextName
        }
        let step = niceStep(Double(maximum) / unit / Double(count)) * unit
        return ticks(maximum: Double(maximum), step: step) { value in
            value == 0 ? "0" : "\(trim(value / unit)) \(name)"
        }
    }

    /// Ticks for a time axis in ns, labelled in the largest fitting unit.
    public static func timeTicks(maximum: UInt64, count: Int = 8) -> [(value: Double, label: String)] {
        guard maximum > 0 else { return [(0, "0")] }
        let step = niceStep(Double(maximum) / Double(count))
        let (unit, name): (Double, String) = switch step {
        case ..<1_000: (1, "ns")
        case ..<1_000_000: (1_000, "µs")
        case ..<1_000_000_000: (1_000_000, "ms")
        default: (1_000_000_000, "s")
        }
        return ticks(maximum: Double(maximum), step: step) { value in
            value == 0 ? "0" : "\(trim(value / unit)) \(name)"
        }
    }

    /// Ticks for a plain count axis.
    public static func countTicks(maximum: Double, count: Int = 4) -> [(value: Double, label: String)] {
        guard maximum > 0 else { return [(0, "0")] }
        let step = niceStep(maximum / Double(count))
        return ticks(maximum: maximum, step: step) { trim($0) }
    }

    static func ticks(maximum: Double, step: Double, label: (Double) -> String) -> [(value: Double, label: String)] {
        var result: [(Double, String)] = []
        var value = 0.0
        while value <= maximum * 1.0000001 && result.count < 50 {
            result.append((value, label(value)))
            value += step
        }
        return result
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        for factor in [1.0, 2, 2.5, 5, 10] where magnitude * factor >= raw { return magnitude * factor }
        return magnitude * 10
    }

    /// `3`, `2.5`, `0.25` (up to two decimals, no trailing zeros).
    static func trim(_ value: Double) -> String {
        let text = Units.fixed(value, decimals: 2)
        var result = Substring(text)
        if result.contains(".") {
            while result.hasSuffix("0") { result = result.dropLast() }
            if result.hasSuffix(".") { result = result.dropLast() }
        }
        return String(result)
    }
}
