import MemscopeAnalysis

/// Measures text for layouts, so they can fit labels without knowing about fonts.
///
/// Production uses the Cairo/Pango measurer; tests use ``FixedAdvanceMeasurer``.
public protocol TextMeasuring {
    /// The width in pixels of `text` at `size` pixels.
    func width(of text: String, size: Double, bold: Bool) -> Double
}

/// Every character is `advance × size` wide (0.6 em approximates DejaVu Sans).
public struct FixedAdvanceMeasurer: TextMeasuring, Sendable {
    public var advance: Double
    public init(advance: Double = 0.6) { self.advance = advance }
    public func width(of text: String, size: Double, bold: Bool) -> Double {
        Double(text.count) * size * advance * (bold ? 1.08 : 1)
    }
}

extension TextMeasuring {
    /// `text`, shortened with a trailing "…" to fit `maxWidth`, or nil when not even
    /// three characters fit.
    public func fit(_ text: String, size: Double, maxWidth: Double, bold: Bool = false) -> String? {
        if width(of: text, size: size, bold: bold) <= maxWidth { return text }
        let characters = Array(text)
        guard characters.count > 3 else { return nil }
        // Binary search the longest prefix that fits with an ellipsis.
        var low = 0
        var high = characters.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if width(of: String(characters[..<mid]) + "…", size: size, bold: bold) <= maxWidth {
                low = mid
            } else {
                high = mid - 1
            }
        }
        return low >= 3 ? String(characters[..<low]) + "…" : nil
    }
}

extension TextMeasuring {
    /// A function name fitted to `maxWidth` the way people read names
    /// (``ReadableName``): the first of its ever shorter forms that fits, else the
    /// shortest form cut in the middle, keeping its tail; nil when not even three
    /// characters fit.
    public func fitName(_ name: String, size: Double, maxWidth: Double, bold: Bool = false) -> String? {
        let forms = ReadableName.forms(name)
        if let fitting = forms.first(where: { width(of: $0, size: size, bold: bold) <= maxWidth }) { return fitting }
        let shortest = forms.last!
        return fitMiddle(shortest, size: size, maxWidth: maxWidth, bold: bold)
            ?? fit(shortest, size: size, maxWidth: maxWidth, bold: bold)
    }
}

extension TextMeasuring {
    /// `text` cut in its middle to fit `maxWidth` (its end, which tells labels apart,
    /// stays); nil when not even four characters fit.
    public func fitMiddle(_ text: String, size: Double, maxWidth: Double, bold: Bool = false) -> String? {
        if width(of: text, size: size, bold: bold) <= maxWidth { return text }
        var low = 0
        var high = text.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if width(of: ReadableName.middleCut(text, limit: mid), size: size, bold: bold) <= maxWidth {
                low = mid
            } else {
                high = mid - 1
            }
        }
        return low >= 4 ? ReadableName.middleCut(text, limit: low) : nil
    }
}
