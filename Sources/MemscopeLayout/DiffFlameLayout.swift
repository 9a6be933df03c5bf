import MemscopeAnalysis
import MemscopeScene

/// A differential flamegraph: every frame of either run, as wide as its larger value, red
/// where the cost grew and blue where it shrank, deeper colour for bigger changes.
public enum DiffFlameLayout {
    public static func scene(_ diff: AnalysisDiff, cost: FlameCost, measurer: some TextMeasuring,
                             options: FlameLayoutOptions = .default) -> Scene {
        let nodes = diff.tree
        // Widths: a node's larger self value plus its children's widths, so children always fit.
        var weight = [Double](repeating: 0, count: nodes.count)
        for i in stride(from: nodes.count - 1, through: 0, by: -1) {
            let childSumBase = nodes[i].children.reduce(UInt64(0)) { $0 &+ cost.value(nodes[$1].base) }
            let childSumNew = nodes[i].children.reduce(UInt64(0)) { $0 &+ cost.value(nodes[$1].new) }
            let selfBase = cost.value(nodes[i].base) &- min(childSumBase, cost.value(nodes[i].base))
            let selfNew = cost.value(nodes[i].new) &- min(childSumNew, cost.value(nodes[i].new))
            weight[i] = Double(max(selfBase, selfNew)) + nodes[i].children.reduce(0) { $0 + weight[$1] }
        }
        let largestChange = nodes.dropFirst().map { abs(Double(cost.value($0.new)) - Double(cost.value($0.base))) }.max() ?? 0
        var scene = Scene(width: options.width, height: options.rowHeight)
        guard weight[0] > 0 else { return scene }
        let scale = options.width / weight[0]
        var x = [Double](repeating: 0, count: nodes.count)
        var deepest = 0
        var order = [0]
        var shapes: [Shape] = []
        while let i = order.popLast() {
            let w = weight[i] * scale
            guard w >= options.minimumBoxWidth else { continue }
            deepest = max(deepest, nodes[i].depth)
            var cursor = x[i]
            for child in nodes[i].children {
                x[child] = cursor
                cursor += weight[child] * scale
            }
            order.append(contentsOf: nodes[i].children.reversed())
            let y = Double(nodes[i].depth) * options.rowHeight
            let change = Double(cost.value(nodes[i].new)) - Double(cost.value(nodes[i].base))
            let rect = FlameLayout.drawnRect(FlameBox(x: x[i], y: y, width: w), options: options)
            shapes.append(.rect(rect, fill: colour(change: change, largest: largestChange)))
            let room = w - 2 * options.labelInset
            guard w >= options.minimumLabelWidth,
                  let text = i == 0 ? measurer.fit("all: \(cost.title.lowercased())", size: options.fontSize, maxWidth: room)
                      : measurer.fitName(nodes[i].name, size: options.fontSize, maxWidth: room)
            else { continue }
            shapes.append(.text(TextShape(text, at: Point(x[i] + options.labelInset, y + (rect.height - options.fontSize * 1.2) / 2),
                                          size: options.fontSize)))
        }
        scene.height = Double(deepest + 1) * options.rowHeight
        scene.shapes = shapes
        return scene
    }

    /// Grey when unchanged; red (growth) or blue (shrink), deeper for bigger changes.
    public static func colour(change: Double, largest: Double) -> Colour {
        guard change != 0, largest > 0 else { return Colour(hex: 0xE1E4E8) }
        let f = 0.2 + 0.8 * min(1, abs(change) / largest)
        if change > 0 { return Colour(red: 1, green: 0.93 - 0.6 * f, blue: 0.93 - 0.65 * f) }
        return Colour(red: 0.93 - 0.65 * f, green: 0.95 - 0.45 * f, blue: 1)
    }
}
