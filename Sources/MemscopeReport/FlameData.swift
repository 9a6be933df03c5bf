import Foundation
import MemscopeLayout
import MemscopeModel
import MemscopeScene

/// The flamegraph data the page's script draws from: a shared string table (with one
/// colour per string) and, per direction, parallel arrays in pre-order.
enum FlameData {
    static func json(_ input: ReportInput) -> String {
        var strings: [String] = [""]
        var index: [String: Int] = ["": 0]
        func id(_ text: String) -> Int {
            if let known = index[text] { return known }
            index[text] = strings.count
            strings.append(text)
            return strings.count - 1
        }
        func tree(_ graph: FlameGraph) -> String {
            let names = graph.nodes.map { id($0.name) }
            let locations = graph.nodes.map { id($0.location) }
            let modules = graph.nodes.map { id($0.module) }
            let values = FlameCost.allCases.map { cost in array(graph.nodes.map { $0.value(cost) }) }
            return "{\"parent\":\(array(graph.nodes.map(\.parent))),\"name\":\(array(names)),\"loc\":\(array(locations)),"
                + "\"module\":\(array(modules)),\"folded\":\(array(graph.nodes.map(\.folded))),"
                + (graph.nodes.contains(where: \.isInlined) ? "\"inlined\":\(array(graph.nodes.map { $0.isInlined ? 1 : 0 })),"  : "")
                + "\"values\":[\(values.joined(separator: ","))]}"
        }
        let topDown = tree(input.topDown)
        let bottomUp = tree(input.bottomUp)
        func view(_ view: FlameView) -> String {
            "{\"key\":\(jsonString(view.key)),\"label\":\(jsonString(view.label)),"
                + "\"trees\":{\"top-down\":\(tree(view.topDown)),\"bottom-up\":\(tree(view.bottomUp))}}"
        }
        let threads = "[" + input.threadFlames.map(view).joined(separator: ",") + "]"
        let windows = "[" + input.windowFlames.map(view).joined(separator: ",") + "]"
        let allFrames = input.allFramesFlame.map(view) ?? "null"
        let colours = strings.map { jsonString(Palette.flame($0).hexString) }
        let costs = FlameCost.allCases.map {
            "{\"key\":\(jsonString($0.rawValue)),\"title\":\(jsonString($0.title)),\"bytes\":\($0.isBytes)}"
        }
        let images = FlameCost.allCases.compactMap { cost -> String? in
            guard let png = input.pictures.flamePNGs[cost] else { return nil }
            // The default picture is already the <img>'s src; it is not repeated here.
            if cost == input.defaultCost { return "\(jsonString(cost.rawValue)):\"initial\"" }
            return "\(jsonString(cost.rawValue)):\(jsonString("data:image/png;base64," + Data(png).base64EncodedString()))"
        }
        let folded = Units.fixed(input.flameOptions.minimumFraction * 100, decimals: 3) + "%"
        return "{\"costs\":[\(costs.joined(separator: ","))],\"defaultCost\":\(jsonString(input.defaultCost.rawValue)),"
            + "\"width\":\(Int(input.flameLayout.width)),\"rowHeight\":\(Int(input.flameLayout.rowHeight)),"
            + "\"fontSize\":\(Int(input.flameLayout.fontSize)),\"aggregateColour\":\(jsonString(Colour.aggregate.hexString)),"
            + "\"inlinedColour\":\(jsonString(Colour.inlinedOutline.hexString)),"
            + "\"foldedBelow\":\(jsonString(folded)),"
            + "\"strings\":[\(strings.map(jsonString).joined(separator: ","))],\"colours\":[\(colours.joined(separator: ","))],"
            + "\"images\":{\(images.joined(separator: ","))},"
            + "\"trees\":{\"top-down\":\(topDown),\"bottom-up\":\(bottomUp)},"
            + "\"threads\":\(threads),\"windows\":\(windows),\"allFrames\":\(allFrames),"
            + "\"callsUnknown\":\(input.analysis.notes.unavailable.contains("allocations"))}"
    }

    private static func array<T: BinaryInteger>(_ values: [T]) -> String {
        "[" + values.map { String($0) }.joined(separator: ",") + "]"
    }
}
