/// An sRGB colour with alpha, components in 0…1.
public struct Colour: Sendable, Equatable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// From `0xRRGGBB`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double(hex >> 16 & 0xFF) / 255, green: Double(hex >> 8 & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    /// `#rrggbb` (alpha ignored).
    public var hexString: String {
        func byte(_ v: Double) -> String {
            let b = Int((max(0, min(1, v)) * 255).rounded())
            return (b < 16 ? "0" : "") + String(b, radix: 16)
        }
        return "#" + byte(red) + byte(green) + byte(blue)
    }

    public func withAlpha(_ alpha: Double) -> Colour {
        Colour(red: red, green: green, blue: blue, alpha: alpha)
    }

    public static let white = Colour(hex: 0xFFFFFF)
    public static let text = Colour(hex: 0x1F2328)
    public static let mutedText = Colour(hex: 0x59636E)
    public static let grid = Colour(hex: 0xD8DEE4)
    public static let axis = Colour(hex: 0x8C959F)
    /// Live heap (charts).
    public static let heap = Colour(hex: 0x2F6FEB)
    /// The peak marker.
    public static let peak = Colour(hex: 0xCF222E)
    /// Allocation rate bars.
    public static let rate = Colour(hex: 0x8250DF)
    /// The process's resident set size, drawn beside the live heap.
    public static let rss = Colour(hex: 0x1A7F37)
    /// Aggregated ("small frames") boxes.
    public static let aggregate = Colour(hex: 0xC9CED4)
    /// The inner outline of a flamegraph box whose function was inlined into its caller.
    public static let inlinedOutline = Colour(hex: 0x57606A)
}
