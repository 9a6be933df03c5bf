/// Human-readable units, fixed formatting (no locale), for deterministic output.
public enum Units {
    /// `1.5 MiB`, `512 B`: binary units, one decimal above bytes.
    public static func bytes(_ value: UInt64) -> String {
        if value < 1024 { return "\(value) B" }
        let units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var scaled = Double(value) / 1024
        var unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return "\(fixed(scaled, decimals: 1)) \(units[unit])"
    }

    /// `1.23 s`, `15.0 ms`, `820 ns`.
    /// A time on the input's clock: a duration, or a count of `unit` (see
    /// `InputNotes.timeUnit`), e.g. `33.0 M instructions`.
    public static func time(_ value: UInt64, unit: String) -> String {
        guard !unit.isEmpty else { return duration(nanoseconds: value) }
        return "\(compactCount(Double(value))) \(unit)"
    }

    /// `950`, `12.3 k`, `33.0 M`, `1.20 G`.
    public static func compactCount(_ value: Double) -> String {
        switch value {
        case ..<1_000: return fixed(value, decimals: 0)
        case ..<1_000_000: return "\(fixed(value / 1e3, decimals: 1)) k"
        case ..<1_000_000_000: return "\(fixed(value / 1e6, decimals: 1)) M"
        default: return "\(fixed(value / 1e9, decimals: 2)) G"
        }
    }

    public static func duration(nanoseconds value: UInt64) -> String {
        switch value {
        case ..<1_000: return "\(value) ns"
        case ..<1_000_000: return "\(fixed(Double(value) / 1e3, decimals: 1)) µs"
        case ..<1_000_000_000: return "\(fixed(Double(value) / 1e6, decimals: 1)) ms"
        default: return "\(fixed(Double(value) / 1e9, decimals: 2)) s"
        }
    }

    /// `12,345,678`.
    public static func count(_ value: UInt64) -> String {
        let digits = String(value)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// `1 block`, `12,345 blocks`: a count and its noun, plural but for one.
    public static func count(_ value: UInt64, _ noun: String) -> String {
        "\(count(value)) \(noun)" + (value == 1 ? "" : "s")
    }

    /// A decimal with a fixed number of digits after the point, rounded half up.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, abs(scaled) < 9e18 else { return "\(value)" }
        let integer = Int64(scaled)
        let sign = integer < 0 ? "-" : ""
        let magnitude = integer.magnitude
        let whole = magnitude / UInt64(scale)
        let fraction = magnitude % UInt64(scale)
        if decimals == 0 { return "\(sign)\(whole)" }
        let fractionText = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: decimals - fractionText.count))\(fractionText)"
    }

    /// `0x7f00a0`.
    public static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}

extension UInt64 {
    /// `value`, or the nearest end of UInt64's range (0 for NaN): a conversion that never
    /// traps, for figures computed in floating point from untrusted inputs.
    public init(clamping value: Double) {
        if !(value > 0) { self = 0 } else if value >= 18_446_744_073_709_551_615.0 { self = .max } else { self = UInt64(value) }
    }

    /// `self × other`, or `UInt64.max` when the product does not fit.
    public func multipliedSaturating(by other: UInt64) -> UInt64 {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }

    /// `self / divisor`, rounded up, without the overflow of `(self + divisor - 1) / divisor`.
    public func dividedRoundingUp(by divisor: UInt64) -> UInt64 {
        self / divisor + (self % divisor == 0 ? 0 : 1)
    }

    /// `self × numerator / denominator` in 128 bits, exact, without overflow for
    /// `numerator ≤ denominator` (a share of a duration or a size).
    public func scaled(by numerator: UInt64, over denominator: UInt64) -> UInt64 {
        precondition(denominator > 0 && numerator <= denominator)
        return denominator.dividingFullWidth(multipliedFullWidth(by: numerator)).quotient
    }
}

extension Units {
    /// `text` if it has at most `maxCharacters` characters, else its start and end around
    /// a note of how long it was: a name from a hostile dump costs a page a bounded size.
    public static func shortened(_ text: String, to maxCharacters: Int) -> String {
        guard text.utf8.count > maxCharacters else { return text } // fast path: bytes bound characters
        let count = text.count
        guard count > maxCharacters else { return text }
        let head = max(1, maxCharacters * 3 / 4), tail = max(1, maxCharacters / 4)
        return String(text.prefix(head)) + " …[\(Units.count(UInt64(count))) characters, shortened]… " + String(text.suffix(tail))
    }
}
