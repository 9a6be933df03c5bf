import MemscopeAnalysis
import MemscopeScene

/// Stable colours: the same function has the same colour in every graph of every report.
public enum Palette {
    /// FNV-1a over the UTF-8 bytes.
    public static func hash(_ text: String) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            h ^= UInt32(byte)
            h = h &* 0x0100_0193
        }
        return h
    }

    /// A warm flamegraph colour for a function name.
    public static func flame(_ name: String) -> Colour {
        let h = hash(name)
        let v1 = Double(h & 0xFF) / 255
        let v2 = Double(h >> 8 & 0xFF) / 255
        let v3 = Double(h >> 16 & 0xFF) / 255
        return Colour(red: (205 + 50 * v3) / 255, green: (80 + 150 * v1) / 255, blue: (40 + 55 * v2) / 255)
    }

    /// The colour of a code origin (colour-by-module flamegraphs and their legend): the
    /// program orange, its own libraries violet, system libraries teal, runtimes grey-blue.
    public static func origin(_ origin: CodeOrigin) -> Colour {
        let (hue, saturation, lightness) = originHSL(origin)
        return hsl(hue: hue, saturation: saturation, lightness: lightness)
    }

    /// A module's colour in its origin's family: the origin's hue, shifted a little and
    /// lighter or darker by the module's name, so neighbouring modules tell apart.
    public static func module(_ name: String, origin: CodeOrigin) -> Colour {
        let (hue, saturation, lightness) = originHSL(origin)
        let h = hash(name)
        let hueShift = Double(h & 0xFF) / 255 * 24 - 12
        let lightShift = Double(h >> 8 & 0xFF) / 255 * 0.16 - 0.08
        return hsl(hue: (hue + hueShift + 360).truncatingRemainder(dividingBy: 360), saturation: saturation,
                   lightness: lightness + lightShift)
    }

    private static func originHSL(_ origin: CodeOrigin) -> (Double, Double, Double) {
        switch origin {
        case .application: (28, 0.85, 0.64)
        case .ownLibrary: (275, 0.55, 0.74)
        case .systemLibrary: (172, 0.45, 0.62)
        case .runtime: (212, 0.25, 0.72)
        case .unknown: (48, 0.2, 0.8)
        }
    }

    /// A cool colour for a series in a chart (threads, sites), from its name.
    public static func series(_ name: String) -> Colour {
        let h = hash(name)
        let hue = Double(h % 360)
        return hsl(hue: hue, saturation: 0.55, lightness: 0.5)
    }

    /// Heat-strip colour for a fraction in 0…1 (white → blue → dark blue).
    public static func heat(_ fraction: Double) -> Colour {
        let f = max(0, min(1, fraction))
        if f == 0 { return Colour(hex: 0xF6F8FA) }
        return Colour(red: 0.85 - 0.75 * f, green: 0.90 - 0.55 * f, blue: 1.0 - 0.35 * f)
    }

    static func hsl(hue: Double, saturation s: Double, lightness l: Double) -> Colour {
        let c = (1 - abs(2 * l - 1)) * s
        let hp = hue / 60
        let x = c * (1 - abs(hp.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) = switch hp {
        case ..<1: (c, x, 0)
        case ..<2: (x, c, 0)
        case ..<3: (0, c, x)
        case ..<4: (0, x, c)
        case ..<5: (x, 0, c)
        default: (c, 0, x)
        }
        let m = l - c / 2
        return Colour(red: r + m, green: g + m, blue: b + m)
    }
}
