import Foundation
import MemscopeAnalysis
import MemscopeLayout
import MemscopeModel
import MemscopeScene

/// The flamegraph data the page's script draws from: a shared string table (with one
/// colour per string), per direction parallel arrays in pre-order, every layout parameter
/// (``FlameLayoutOptions``, so the page lays out exactly the Swift side's boxes), and the
/// code origin of each module for colouring by module.
enum FlameData {
    /// Most bytes of the non-default costs' pictures in the page (base64).
    static let otherPicturesBudget = 600_000

    static func json(_ input: ReportInput) -> String {
        var strings: [String] = [""]
        var index: [String: Int] = ["": 0]
        func id(_ text: String) -> Int {
            if let known = index[text] { return known }
            index[text] = strings.count
            strings.append(text)
            return strings.count - 1
        }
        // Colouring by module: each module's origin, and the frames whose origin is not their
        // module's (runtime code compiled into the program), as (name, module, origin).
        var moduleOrigins: [Int: CodeOrigin] = [:]
        var moduleOrder: [Int] = []
        var exceptions: [[Int]] = []
        var exceptionKeys = Set<[Int]>()
        func tree(_ graph: FlameGraph) -> String {
            // The nodes read in place (a node is three strings and an array: each copy of one
            // retained and released them all). The strings are numbered names first, then
            // locations, then modules, as they always were.
            let count = graph.nodes.count
            var names: [Int] = [], locations: [Int] = [], modules: [Int] = [], parents: [Int] = [], folded: [Int] = []
            var inlined: [Int] = []
            var values = [[UInt64]](repeating: [], count: FlameCost.allCases.count)
            names.reserveCapacity(count)
            locations.reserveCapacity(count)
            modules.reserveCapacity(count)
            parents.reserveCapacity(count)
            folded.reserveCapacity(count)
            inlined.reserveCapacity(count)
            for c in values.indices { values[c].reserveCapacity(count) }
            var anyInlined = false
            graph.nodes.withUnsafeBufferPointer { nodes in
                for node in nodes.indices { names.append(id(nodes[node].name)) }
                for node in nodes.indices { locations.append(id(nodes[node].location)) }
                for node in nodes.indices { modules.append(id(nodes[node].module)) }
                for node in nodes.indices {
                    let name = names[node], module = modules[node]
                    parents.append(nodes[node].parent)
                    folded.append(nodes[node].folded)
                    inlined.append(nodes[node].isInlined ? 1 : 0)
                    anyInlined = anyInlined || nodes[node].isInlined
                    for c in values.indices { values[c].append(nodes[node].values[c]) }
                    guard module != 0 && nodes[node].folded == 0 else { continue }
                    if moduleOrigins[module] == nil {
                        moduleOrigins[module] = nodes[node].moduleOrigin
                        moduleOrder.append(module)
                    }
                    let origin = nodes[node].origin
                    if origin != moduleOrigins[module], exceptionKeys.insert([name, module]).inserted {
                        exceptions.append([name, module, CodeOrigin.allCases.firstIndex(of: origin)!])
                    }
                }
            }
            return "{\"parent\":\(array(parents)),\"name\":\(array(names)),\"loc\":\(array(locations)),"
                + "\"module\":\(array(modules)),\"folded\":\(array(folded)),"
                + (anyInlined ? "\"inlined\":\(array(inlined)),"  : "")
                + (graph.cutNodes > 0 ? "\"cut\":\(graph.cutNodes),\"maxDepth\":\(graph.maxDepth)," : "")
                + "\"values\":[\(values.map { array($0) }.joined(separator: ","))]}"
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
        // The other costs' pictures, in the costs' order while they fit in their budget: a
        // cost without one is drawn by the page from the same layout (a deep program's five
        // pictures weighed 1.6 MB and pushed its page past 5 MB).
        var picturesLeft = otherPicturesBudget
        let images = FlameCost.allCases.compactMap { cost -> String? in
            guard let png = input.pictures.flamePNGs[cost] else { return nil }
            // The default picture is already the <img>'s src; it is not repeated here.
            if cost == input.defaultCost { return "\(jsonString(cost.rawValue)):\"initial\"" }
            let source = "data:image/png;base64," + Data(png).base64EncodedString()
            guard source.utf8.count <= picturesLeft else { return nil }
            picturesLeft -= source.utf8.count
            return "\(jsonString(cost.rawValue)):\(jsonString(source))"
        }
        let folded = Units.fixed(input.flameOptions.minimumFraction * 100, decimals: 3) + "%"
        let l = input.flameLayout
        // Every number of the layout and its drawing: the page has none of its own.
        let layout = "{\"width\":\(number(l.width)),\"rowHeight\":\(number(l.rowHeight)),\"fontSize\":\(number(l.fontSize)),"
            + "\"minimumLabelWidth\":\(number(l.minimumLabelWidth)),\"minimumBoxWidth\":\(number(l.minimumBoxWidth)),"
            + "\"boxGap\":\(number(l.boxGap)),\"rowGap\":\(number(l.rowGap)),\"labelInset\":\(number(l.labelInset)),"
            + "\"outlineWidth\":\(number(l.outlineWidth)),"
            + "\"aggregateColour\":\(jsonString(Colour.aggregate.hexString)),\"inlinedColour\":\(jsonString(Colour.inlinedOutline.hexString)),"
            + "\"textColour\":\(jsonString(Colour.text.hexString)),\"mutedTextColour\":\(jsonString(Colour.mutedText.hexString))}"
        let origins = CodeOrigin.allCases.map {
            "{\"key\":\(jsonString($0.rawValue)),\"title\":\(jsonString($0.title)),\"colour\":\(jsonString(Palette.origin($0).hexString))}"
        }
        let moduleEntries = moduleOrder.map { module in
            let origin = moduleOrigins[module]!
            return "[\(module),\(CodeOrigin.allCases.firstIndex(of: origin)!),\(jsonString(Palette.module(strings[module], origin: origin).hexString))]"
        }
        let moduleJSON = "{\"origins\":[\(origins.joined(separator: ","))],\"modules\":[\(moduleEntries.joined(separator: ","))],"
            + "\"frames\":[\(exceptions.map { array($0) }.joined(separator: ","))]}"
        return "{\"costs\":[\(costs.joined(separator: ","))],\"defaultCost\":\(jsonString(input.defaultCost.rawValue)),"
            + "\"layout\":\(layout),\"foldedBelow\":\(jsonString(folded)),"
            + "\"strings\":[\(strings.map(jsonString).joined(separator: ","))],\"colours\":[\(colours.joined(separator: ","))],"
            + "\"origins\":\(moduleJSON),"
            + "\"images\":{\(images.joined(separator: ","))},"
            + "\"trees\":{\"top-down\":\(topDown),\"bottom-up\":\(bottomUp)},"
            + "\"threads\":\(threads),\"windows\":\(windows),\"allFrames\":\(allFrames),"
            + "\"callsUnknown\":\(input.analysis.notes.unavailable.contains("allocations"))}"
    }

    /// A number as JSON: integers without a fraction, others as Swift prints them (shortest
    /// exact form), so the page reads the same double.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// `[1,-2,3]`, as `"[" + values.map(String.init).joined(separator: ",") + "]"`, written
    /// digit by digit (no string per number).
    static func array<T: BinaryInteger>(_ values: [T]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2 + values.count * 6)
        bytes.append(UInt8(ascii: "["))
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            var magnitude = UInt64(value.magnitude)
            withUnsafeMutableBytes(of: &digits) { buffer in
                var n = 0
                repeat {
                    buffer[n] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                    n += 1
                } while magnitude > 0
                while n > 0 {
                    n -= 1
                    bytes.append(buffer[n])
                }
            }
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
