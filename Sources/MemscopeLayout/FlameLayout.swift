import MemscopeScene

/// Where each box of a flamegraph goes.
public struct FlameBox: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double

    public init(x: Double, y: Double, width: Double) {
        self.x = x
        self.y = y
        self.width = width
    }
}

/// Options of ``FlameLayout``: every number the layout and its drawing use. The report
/// passes them all to the page's script as data, so the page draws and hit-tests the same
/// boxes the Swift side lays out, with no constant of its own.
public struct FlameLayoutOptions: Sendable, Equatable {
    /// Picture width in px. Default: 1200.
    public var width: Double
    /// Height of one row in px, gap included. Default: 18.
    public var rowHeight: Double
    /// Label font size in px. Default: 11.
    public var fontSize: Double
    /// Boxes narrower than this get no label. Default: 24 px.
    public var minimumLabelWidth: Double
    /// Boxes narrower than this are not drawn, and a drawn box is at least this wide. Default: 0.3 px.
    public var minimumBoxWidth: Double
    /// Blank space after each box, between neighbours. Default: 0.5 px.
    public var boxGap: Double
    /// Blank space under each row, between rows. Default: 1 px.
    public var rowGap: Double
    /// A label starts this far inside its box, and keeps as much room at the box's end. Default: 3 px.
    public var labelInset: Double
    /// Width of the inner outline of inlined frames (and of the page's hover outline);
    /// drawn on boxes at least twice as wide. Default: 1.5 px.
    public var outlineWidth: Double
    /// Icicle (root at the top, memray's default) or flame (root at the bottom).
    public var icicle: Bool

    public init(width: Double = 1200, rowHeight: Double = 18, fontSize: Double = 11, minimumLabelWidth: Double = 24,
                minimumBoxWidth: Double = 0.3, boxGap: Double = 0.5, rowGap: Double = 1, labelInset: Double = 3,
                outlineWidth: Double = 1.5, icicle: Bool = true) {
        self.width = width
        self.rowHeight = rowHeight
        self.fontSize = fontSize
        self.minimumLabelWidth = minimumLabelWidth
        self.minimumBoxWidth = minimumBoxWidth
        self.boxGap = boxGap
        self.rowGap = rowGap
        self.labelInset = labelInset
        self.outlineWidth = outlineWidth
        self.icicle = icicle
    }

    public static let `default` = FlameLayoutOptions()
}

/// Lays out a ``FlameGraph`` for one cost: each child starts at its parent's left edge
/// plus its earlier siblings' widths; widths are proportional to the cost. The page's
/// script repeats exactly this arithmetic, with these options passed as data, to redraw
/// and hit-test the picture (a browser test checks the boxes are equal).
public enum FlameLayout {
    public static func boxes(_ graph: FlameGraph, cost: FlameCost, options: FlameLayoutOptions = .default) -> [FlameBox] {
        guard let root = graph.nodes.first, root.value(cost) > 0 else { return [] }
        let scale = options.width / Double(root.value(cost))
        let rows = Double(visibleRows(graph, cost: cost, options: options))
        var boxes = [FlameBox](repeating: FlameBox(x: 0, y: 0, width: 0), count: graph.nodes.count)
        var nextX = [Double](repeating: 0, count: graph.nodes.count)
        for (i, node) in graph.nodes.enumerated() {
            let x = node.parent < 0 ? 0 : nextX[node.parent]
            let width = Double(node.value(cost)) * scale
            if node.parent >= 0 { nextX[node.parent] += width }
            nextX[i] = x
            let row = options.icicle ? Double(node.depth) : rows - 1 - Double(node.depth)
            boxes[i] = FlameBox(x: x, y: row * options.rowHeight, width: width)
        }
        return boxes
    }

    /// Rows down to the deepest box at least ``FlameLayoutOptions/minimumBoxWidth`` wide:
    /// deeper rows would be blank. The page's script computes the same.
    public static func visibleRows(_ graph: FlameGraph, cost: FlameCost, options: FlameLayoutOptions = .default) -> Int {
        guard let root = graph.nodes.first, root.value(cost) > 0 else { return 1 }
        let scale = options.width / Double(root.value(cost))
        var deepest = 0
        for node in graph.nodes where Double(node.value(cost)) * scale >= options.minimumBoxWidth {
            deepest = max(deepest, node.depth)
        }
        return deepest + 1
    }

    public static func height(_ graph: FlameGraph, cost: FlameCost, options: FlameLayoutOptions = .default) -> Double {
        Double(visibleRows(graph, cost: cost, options: options)) * options.rowHeight
    }

    /// The rectangle drawn for a box: the box less its gaps, never thinner than
    /// ``FlameLayoutOptions/minimumBoxWidth``.
    public static func drawnRect(_ box: FlameBox, options: FlameLayoutOptions = .default) -> Rect {
        Rect(x: box.x, y: box.y, width: max(box.width - options.boxGap, options.minimumBoxWidth),
             height: options.rowHeight - options.rowGap)
    }

    /// The inner outline of an inlined frame's rectangle, or nil when the rectangle is
    /// too narrow for one.
    public static func outlineRect(_ rect: Rect, options: FlameLayoutOptions = .default) -> Rect? {
        let w = options.outlineWidth
        guard rect.width >= 2 * w else { return nil }
        return Rect(x: rect.x + w / 2, y: rect.y + w / 2, width: rect.width - w, height: rect.height - w)
    }

    /// The picture: boxes coloured by function, labels that fit.
    public static func scene(_ graph: FlameGraph, cost: FlameCost, measurer: some TextMeasuring,
                             options: FlameLayoutOptions = .default) -> Scene {
        var scene = Scene(width: options.width, height: height(graph, cost: cost, options: options))
        let boxes = boxes(graph, cost: cost, options: options)
        for (node, box) in zip(graph.nodes, boxes) where box.width >= options.minimumBoxWidth {
            let fill = node.folded > 0 || node.parent < 0 ? Colour.aggregate : Palette.flame(node.name)
            let rect = drawnRect(box, options: options)
            scene.add(.rect(rect, fill: fill))
            if node.isInlined, let outline = outlineRect(rect, options: options) {
                // Inlined code: an inner outline, so the box reads as part of its caller.
                scene.add(.outline(outline, stroke: Colour.inlinedOutline, width: options.outlineWidth))
            }
            guard box.width >= options.minimumLabelWidth else { continue }
            let room = box.width - 2 * options.labelInset
            let fitted = node.parent < 0 || node.folded > 0
                ? measurer.fit(node.parent < 0 ? "all: \(cost.title.lowercased())" : node.name, size: options.fontSize,
                               maxWidth: room)
                : measurer.fitName(node.name, size: options.fontSize, maxWidth: room)
            guard let text = fitted else { continue }
            let top = box.y + (rect.height - options.fontSize * 1.2) / 2
            scene.add(.text(TextShape(text, at: Point(box.x + options.labelInset, top), size: options.fontSize,
                                      colour: node.folded > 0 ? .mutedText : .text)))
        }
        return scene
    }
}
