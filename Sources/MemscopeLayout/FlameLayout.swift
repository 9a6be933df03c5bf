import MemscopeScene

/// Where each box of a flamegraph goes.
public struct FlameBox: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
}

/// Options of ``FlameLayout``.
public struct FlameLayoutOptions: Sendable, Equatable {
    /// Picture width in px. Default: 1200.
    public var width: Double
    /// Height of one row in px. Default: 18.
    public var rowHeight: Double
    /// Label font size in px. Default: 11.
    public var fontSize: Double
    /// Boxes narrower than this get no label. Default: 24 px.
    public var minimumLabelWidth: Double
    /// Boxes narrower than this are not drawn. Default: 0.3 px.
    public var minimumBoxWidth: Double
    /// Icicle (root at the top, memray's default) or flame (root at the bottom).
    public var icicle: Bool

    public init(width: Double = 1200, rowHeight: Double = 18, fontSize: Double = 11, minimumLabelWidth: Double = 24,
                minimumBoxWidth: Double = 0.3, icicle: Bool = true) {
        self.width = width
        self.rowHeight = rowHeight
        self.fontSize = fontSize
        self.minimumLabelWidth = minimumLabelWidth
        self.minimumBoxWidth = minimumBoxWidth
        self.icicle = icicle
    }

    public static let `default` = FlameLayoutOptions()
}

/// Lays out a ``FlameGraph`` for one cost: each child starts at its parent's left edge
/// plus its earlier siblings' widths; widths are proportional to the cost. The page's
/// script repeats exactly this arithmetic to hit-test the picture.
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

    /// The picture: boxes coloured by function, labels that fit.
    public static func scene(_ graph: FlameGraph, cost: FlameCost, measurer: some TextMeasuring,
                             options: FlameLayoutOptions = .default) -> Scene {
        var scene = Scene(width: options.width, height: height(graph, cost: cost, options: options))
        let boxes = boxes(graph, cost: cost, options: options)
        for (node, box) in zip(graph.nodes, boxes) where box.width >= options.minimumBoxWidth {
            let fill = node.folded > 0 || node.parent < 0 ? Colour.aggregate : Palette.flame(node.name)
            let rect = Rect(x: box.x, y: box.y, width: max(box.width - 0.5, 0.3), height: options.rowHeight - 1)
            scene.add(.rect(rect, fill: fill))
            if node.isInlined, rect.width >= 3 {
                // Inlined code: an inner outline, so the box reads as part of its caller.
                scene.add(.outline(Rect(x: rect.x + 0.75, y: rect.y + 0.75, width: rect.width - 1.5, height: rect.height - 1.5),
                                   stroke: Colour.inlinedOutline, width: 1.5))
            }
            guard box.width >= options.minimumLabelWidth else { continue }
            let fitted = node.parent < 0 || node.folded > 0
                ? measurer.fit(node.parent < 0 ? "all: \(cost.title.lowercased())" : node.name, size: options.fontSize,
                               maxWidth: box.width - 6)
                : measurer.fitName(node.name, size: options.fontSize, maxWidth: box.width - 6)
            guard let text = fitted else { continue }
            let top = box.y + (options.rowHeight - 1 - options.fontSize * 1.2) / 2
            scene.add(.text(TextShape(text, at: Point(box.x + 3, top), size: options.fontSize,
                                      colour: node.folded > 0 ? .mutedText : .text)))
        }
        return scene
    }
}
