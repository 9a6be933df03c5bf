/// A picture as plain geometry: what the layout stage produces and the paint stage draws.
///
/// Coordinates are pixels with the origin at the top left. A scene knows nothing about
/// flamegraphs or Cairo; that keeps layouts testable as text (``SceneDump``) and the
/// painter a thin interpreter.
public struct Scene: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public var background: Colour
    public var shapes: [Shape]

    public init(width: Double, height: Double, background: Colour = .white, shapes: [Shape] = []) {
        self.width = width
        self.height = height
        self.background = background
        self.shapes = shapes
    }

    public mutating func add(_ shape: Shape) { shapes.append(shape) }
}

public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

public enum TextAnchor: String, Sendable, Equatable {
    case start, middle, end
}

/// Text drawn from the top of its line box; `position.x` is interpreted by `anchor`.
public struct TextShape: Sendable, Equatable {
    public var text: String
    public var position: Point
    /// Font size in pixels (DejaVu Sans).
    public var size: Double
    public var colour: Colour
    public var anchor: TextAnchor
    public var bold: Bool

    public init(_ text: String, at position: Point, size: Double, colour: Colour = .text,
                anchor: TextAnchor = .start, bold: Bool = false) {
        self.text = text
        self.position = position
        self.size = size
        self.colour = colour
        self.anchor = anchor
        self.bold = bold
    }
}

public enum Shape: Sendable, Equatable {
    case rect(Rect, fill: Colour)
    case outline(Rect, stroke: Colour, width: Double)
    case text(TextShape)
    case line(from: Point, to: Point, stroke: Colour, width: Double, dashed: Bool)
    case polyline([Point], stroke: Colour, width: Double)
    /// A closed, filled polygon (area charts).
    case polygon([Point], fill: Colour)
    /// A path of cubic Bézier segments: a start point, then (control, control, end) triples
    /// (graph edges, as the layout engine routed them).
    case bezier([Point], stroke: Colour, width: Double, dashed: Bool)
}
