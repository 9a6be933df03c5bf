import MemscopeScene

/// Writes a ``Scene`` as SVG elements directly, with its labels as `<text>`: a page's
/// charts can then be searched with Ctrl-F and their labels selected and copied, and they
/// weigh a fraction of Cairo's SVG (whose text is outlined glyphs). Each label keeps the
/// width Pango measured (`textLength`), so it fits where the layout placed it whatever
/// font the reader's browser substitutes for DejaVu Sans. The PNG and SVG files written for
/// tickets (`--images`) stay Cairo's pictures.
public enum TextSVGPainter {
    public static func svg(_ scene: Scene, idPrefix: String, measurer: CairoTextMeasurer) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(scene.width))px\" height=\"\(n(scene.height))px\" "
            + "viewBox=\"0 0 \(n(scene.width)) \(n(scene.height))\" id=\"\(idPrefix)-surface\" class=\"chart-svg\">\n"
        out += "<rect width=\"\(n(scene.width))\" height=\"\(n(scene.height))\" fill=\"\(colour(scene.background))\"/>\n"
        for shape in scene.shapes { out += element(shape, measurer) }
        return out + "</svg>"
    }

    private static func element(_ shape: Shape, _ measurer: CairoTextMeasurer) -> String {
        switch shape {
        case .rect(let r, let fill):
            return "<rect x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(max(0, r.width)))\" height=\"\(n(max(0, r.height)))\" fill=\"\(colour(fill))\"/>\n"
        case .outline(let r, let stroke, let width):
            return "<rect x=\"\(n(r.x + width / 2))\" y=\"\(n(r.y + width / 2))\" width=\"\(n(max(0, r.width - width)))\" "
                + "height=\"\(n(max(0, r.height - width)))\" fill=\"none\" stroke=\"\(colour(stroke))\" stroke-width=\"\(n(width))\"/>\n"
        case .text(let t):
            let width = measurer.width(of: t.text, size: t.size, bold: t.bold)
            guard width > 0 else { return "" }
            let x = switch t.anchor {
            case .start: t.position.x
            case .middle: t.position.x - width / 2
            case .end: t.position.x - width
            }
            let y = t.position.y + measurer.baseline(size: t.size, bold: t.bold)
            return "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(t.size))\"\(t.bold ? " font-weight=\"bold\"" : "") "
                + "fill=\"\(colour(t.colour))\" textLength=\"\(n(width))\" lengthAdjust=\"spacingAndGlyphs\">\(escape(t.text))</text>\n"
        case .line(let from, let to, let stroke, let width, let dashed):
            // Half-pixel offsets keep 1 px lines crisp, as Cairo's painter does.
            let offset = width.truncatingRemainder(dividingBy: 2) == 1 ? 0.5 : 0
            return "<line x1=\"\(n(from.x.rounded() + offset))\" y1=\"\(n(from.y.rounded() + offset))\" "
                + "x2=\"\(n(to.x.rounded() + offset))\" y2=\"\(n(to.y.rounded() + offset))\" stroke=\"\(colour(stroke))\" "
                + "stroke-width=\"\(n(width))\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>\n"
        case .polyline(let points, let stroke, let width):
            guard !points.isEmpty else { return "" }
            return "<polyline points=\"\(list(points))\" fill=\"none\" stroke=\"\(colour(stroke))\" stroke-width=\"\(n(width))\" "
                + "stroke-linejoin=\"round\"/>\n"
        case .polygon(let points, let fill):
            guard !points.isEmpty else { return "" }
            return "<polygon points=\"\(list(points))\" fill=\"\(colour(fill))\"/>\n"
        case .bezier(let points, let stroke, let width, let dashed):
            guard let first = points.first else { return "" }
            var d = "M\(n(first.x)) \(n(first.y))"
            var i = 1
            while i + 2 < points.count {
                d += " C\(n(points[i].x)) \(n(points[i].y)) \(n(points[i + 1].x)) \(n(points[i + 1].y)) \(n(points[i + 2].x)) \(n(points[i + 2].y))"
                i += 3
            }
            return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour(stroke))\" stroke-width=\"\(n(width))\""
                + "\(dashed ? " stroke-dasharray=\"5 3\"" : "")/>\n"
        }
    }

    /// A coordinate with at most two decimals, no trailing zeros (deterministic, compact).
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let scaled = (value * 100).rounded()
        let integer = Int64(clamping: Int64(exactly: scaled) ?? (scaled > 0 ? Int64.max : Int64.min))
        let sign = integer < 0 ? "-" : ""
        let magnitude = integer.magnitude
        let whole = magnitude / 100, fraction = magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" + String(fraction) : String(fraction))
        return sign + String(whole) + "." + digits
    }

    private static func list(_ points: [Point]) -> String {
        points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
    }

    private static func colour(_ c: Colour) -> String {
        guard c.alpha < 1 else { return c.hexString }
        func byte(_ v: Double) -> Int { Int((max(0, min(1, v)) * 255).rounded()) }
        return "rgba(\(byte(c.red)),\(byte(c.green)),\(byte(c.blue)),\(n(max(0, c.alpha))))"
    }

    /// Text content: the XML specials escaped, characters XML cannot hold dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t": out += " "
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
