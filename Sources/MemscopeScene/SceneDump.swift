/// A stable text form of a ``Scene`` for golden tests: one shape per line, numbers rounded
/// to two decimals.
public enum SceneDump {
    public static func render(_ scene: Scene) -> String {
        var lines = ["scene \(n(scene.width))x\(n(scene.height)) background \(scene.background.hexString)"]
        for shape in scene.shapes {
            switch shape {
            case .rect(let r, let fill):
                lines.append("rect \(rect(r)) fill \(colour(fill))")
            case .outline(let r, let stroke, let width):
                lines.append("outline \(rect(r)) stroke \(colour(stroke)) width \(n(width))")
            case .text(let t):
                lines.append("text \(n(t.position.x)),\(n(t.position.y)) size \(n(t.size)) \(t.anchor.rawValue)\(t.bold ? " bold" : "") \(colour(t.colour)) \"\(t.text)\"")
            case .line(let from, let to, let stroke, let width, let dashed):
                lines.append("line \(n(from.x)),\(n(from.y)) -> \(n(to.x)),\(n(to.y)) stroke \(colour(stroke)) width \(n(width))\(dashed ? " dashed" : "")")
            case .polyline(let points, let stroke, let width):
                lines.append("polyline \(points.count) points \(points.prefix(3).map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " "))… stroke \(colour(stroke)) width \(n(width))")
            case .polygon(let points, let fill):
                lines.append("polygon \(points.count) points \(points.prefix(3).map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " "))… fill \(colour(fill))")
            case .bezier(let points, let stroke, let width, let dashed):
                lines.append("bezier \(points.count) points \(points.first.map { "\(n($0.x)),\(n($0.y))" } ?? "") -> \(points.last.map { "\(n($0.x)),\(n($0.y))" } ?? "") stroke \(colour(stroke)) width \(n(width))\(dashed ? " dashed" : "")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func rect(_ r: Rect) -> String { "\(n(r.x)),\(n(r.y)) \(n(r.width))x\(n(r.height))" }

    static func colour(_ c: Colour) -> String {
        c.alpha >= 1 ? c.hexString : "\(c.hexString)@\(n(c.alpha))"
    }

    /// Two decimals, trailing zeros dropped: `12`, `12.5`, `12.25`.
    static func n(_ value: Double) -> String {
        let scaled = (value * 100).rounded()
        guard scaled.isFinite, abs(scaled) < 1e15 else { return "\(value)" }
        let integer = Int64(scaled)
        let sign = integer < 0 ? "-" : ""
        let magnitude = integer.magnitude
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
