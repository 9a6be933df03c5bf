import MemscopeLayout
import MemscopeModel
import MemscopeOwnership
import MemscopeScene

/// The ownership graph as a picture: boxes for sites, solid edges for what was observed,
/// dashed for what was inferred, each labelled with its evidence; clusters by module or
/// type. Returns the scene and the regions a page needs for hover details.
public enum OwnershipLayout {
    public struct Region: Sendable, Equatable {
        public enum Target: Sendable, Equatable {
            case node(Int)
            /// Index into the selection's edges.
            case edge(Int)
        }

        public var target: Target
        public var frame: Rect
    }

    public struct Picture: Sendable, Equatable {
        public var scene: Scene
        public var regions: [Region]
    }

    static let nameSize = 11.5
    static let detailSize = 10.0
    static let labelSize = 10.0
    static let lineHeight = 15.0
    static let padding = 8.0
    static let maxBoxWidth = 270.0

    public static func picture(_ selection: GraphSelection, measurer: some TextMeasuring,
                               placer: some GraphPlacing) throws -> Picture {
        var boxes: [Int: [TextShape]] = [:]
        var requestNodes: [GraphPlacementRequest.Node] = []
        for node in selection.nodes {
            let lines = textLines(node, function: displayedFunction(node, in: selection))
            let widest = lines.map { measurer.width(of: $0.text, size: $0.size, bold: $0.bold) }.max() ?? 40
            let width = min(maxBoxWidth, max(90, widest + 2 * padding))
            let height = Double(lines.count) * lineHeight + 2 * padding - 3
            boxes[node.id] = lines.map { line in
                var shape = line
                // A site's name keeps its end (`… ← sqlite3StrAccumEnlarge`, `…::_M_run`).
                shape.text = (line.bold
                    ? measurer.fitMiddle(line.text, size: line.size, maxWidth: width - 2 * padding, bold: true)
                    : measurer.fit(line.text, size: line.size, maxWidth: width - 2 * padding, bold: line.bold)) ?? ""
                return shape
            }
            requestNodes.append(.init(id: node.id, width: width, height: height, cluster: selection.cluster(of: node)))
        }
        let labels = selection.edges.map(label)
        let request = GraphPlacementRequest(nodes: requestNodes,
                                            edges: zip(selection.edges, labels).map { .init(from: $0.from, to: $0.to, label: $1) },
                                            labelFontSize: labelSize)
        let placement = try placer.place(request)
        var scene = Scene(width: placement.width.rounded(.up), height: placement.height.rounded(.up))
        var regions: [Region] = []

        for cluster in placement.clusters {
            scene.add(.rect(cluster.frame, fill: Colour(hex: 0xF6F8FA)))
            scene.add(.outline(cluster.frame, stroke: Colour.grid, width: 1))
            let title = selection.clustering == .module ? baseName(cluster.name) : cluster.name
            if let text = measurer.fit(title, size: detailSize, maxWidth: cluster.frame.width - 8) {
                scene.add(.text(TextShape(text, at: Point(cluster.frame.x + 5, cluster.frame.y + 2), size: detailSize,
                                          colour: .mutedText)))
            }
        }
        for (index, edge) in selection.edges.enumerated() where index < placement.edges.count {
            let placed = placement.edges[index]
            guard placed.path.count >= 4 else { continue }
            let colour = colour(edge.kind)
            scene.add(.bezier(placed.path, stroke: colour, width: edge.provenance == .observed ? 1.4 : 1.6,
                              dashed: edge.provenance == .inferred))
            if let tip = placed.arrowTip, let last = placed.path.last { scene.add(.polygon(arrowHead(from: last, to: tip), fill: colour)) }
            if let center = placed.labelCenter {
                let text = labels[index]
                let width = measurer.width(of: text, size: labelSize, bold: false)
                let frame = Rect(x: center.x - width / 2 - 2, y: center.y - 7, width: width + 4, height: 14)
                scene.add(.rect(frame, fill: Colour(hex: 0xFFFFFF, alpha: 0.85)))
                scene.add(.text(TextShape(text, at: Point(center.x, center.y - 6), size: labelSize, colour: colour, anchor: .middle)))
                regions.append(Region(target: .edge(index), frame: frame))
            }
        }
        for node in selection.nodes {
            guard let frame = placement.nodes[node.id], let lines = boxes[node.id] else { continue }
            let style = style(node)
            scene.add(.rect(frame, fill: style.fill))
            scene.add(.outline(frame, stroke: style.stroke, width: style.width))
            for (i, line) in lines.enumerated() {
                var shape = line
                shape.position = Point(frame.x + padding, frame.y + padding - 2 + Double(i) * lineHeight)
                scene.add(.text(shape))
            }
            regions.append(Region(target: .node(node.id), frame: frame))
        }
        return Picture(scene: scene, regions: regions)
    }

    /// `owns ×398, 1 against, 94% inferred` for inferred edges, `owns ×9, 92%` for observed owns
    /// and shares (judged: their confidence is below 1, docs/OWNERSHIP.md), `references ×400`
    /// for observed facts.
    public static func label(_ edge: OwnershipEdge) -> String {
        var text = "\(edge.kind.label) ×\(Units.count(edge.evidence))"
        if let threads = edge.threads { text += ", thread \(threads.from) → \(threads.to)" }
        if edge.kind == .handsOff && edge.threads == nil && edge.detail.hasSuffix("thread pairs") { text += ", \(edge.detail)" }
        if edge.from == edge.to { text += " (own site)" }  // drawn as a loop
        if edge.provenance == .inferred || edge.contradictions > 0 || edge.confidence < 1 {
            if edge.contradictions > 0 { text += ", \(Units.count(edge.contradictions)) against" }
            text += ", \(Int((edge.confidence * 100).rounded(.down)))%"
        }
        if edge.provenance == .inferred { text += " inferred" }
        return text
    }

    /// Inside a module's box an unnamed frame of that module is written `+0xa7504`, not
    /// `libsqlite3.so.0+0xa7504`: the box's title names the module, and the long prefix would
    /// push the named caller (`… ← sqlite3ParserAlloc`) out of a box of bounded width. The
    /// hover text keeps the full name.
    public static func displayedFunction(_ node: OwnershipNode, in selection: GraphSelection) -> String {
        guard selection.clustering == .module, node.kind == .allocationSite, !node.module.isEmpty else { return node.function }
        return node.function.replacingOccurrences(of: baseName(node.module) + "+0x", with: "+0x")
    }

    static func textLines(_ node: OwnershipNode, function: String? = nil) -> [TextShape] {
        func line(_ text: String, bold: Bool = false, size: Double = detailSize, colour: Colour = .mutedText) -> TextShape {
            TextShape(text, at: Point(0, 0), size: size, colour: colour, bold: bold)
        }
        var lines = [line(function ?? node.function, bold: true, size: nameSize, colour: .text)]
        if !node.file.isEmpty {
            let column = node.sharesLine && node.column > 0 ? ":\(node.column)" : ""  // two calls on one line
            lines.append(line("\(baseName(node.file))\(node.line > 0 ? ":\(node.line)" : "")\(column)"))
        }
        if let type = node.type {
            lines.append(line("\(type)\(node.typeProvenance == .inferred ? " (inferred type)" : "")", colour: Colour(hex: 0x6639BA)))
        }
        if !node.variables.isEmpty { lines.append(line("as " + node.variables.prefix(3).joined(separator: ", "))) }
        switch node.kind {
        case .allocationSite:
            lines.append(line("\(Units.count(node.blocks)) block\(node.blocks == 1 ? "" : "s") · \(Units.bytes(node.bytes))"))
            if node.leakedBytes > 0 {
                var leak = "leaked \(Units.bytes(node.leakedBytes))"
                if let kinds = node.leakKinds, kinds.definitelyLost.bytes > 0 { leak += " · \(Units.bytes(kinds.definitelyLost.bytes)) definitely lost" }
                lines.append(line(leak, colour: Colour.peak))
            }
        case .freeSite:
            lines.append(line("frees blocks from other threads"))
        case .task:
            lines.append(line("ran on threads \(node.threads.map(String.init).joined(separator: ", "))"))
        }
        return lines
    }

    static func style(_ node: OwnershipNode) -> (fill: Colour, stroke: Colour, width: Double) {
        switch node.kind {
        case .allocationSite:
            // Red marks lost memory, as the legend says: definitely or indirectly lost bytes when
            // a scan classified the site's blocks, else any leaked bytes. Still reachable memory
            // keeps the plain style (orange is the realloc edges' colour).
            return marksLoss(node) ? (Colour(hex: 0xFFEBE9), Colour.peak, 2) : (Colour(hex: 0xEEF4FF), Colour.heap, 1)
        case .freeSite: return (Colour(hex: 0xF6F8FA), Colour.axis, 1)
        case .task: return (Colour(hex: 0xFFF8C5), Colour(hex: 0x9A6700), 1)
        }
    }

    /// Whether a site is drawn red: lost bytes (definitely or indirectly, when a scan
    /// classified its blocks; any leaked bytes otherwise).
    public static func marksLoss(_ node: OwnershipNode) -> Bool {
        guard node.kind == .allocationSite else { return false }
        if let kinds = node.leakKinds { return kinds.lostBytes > 0 }
        return node.leakedBytes > 0
    }

    public static func colour(_ kind: OwnershipEdgeKind) -> Colour {
        switch kind {
        case .references: Colour(hex: 0x6E7781)
        case .owns: Colour(hex: 0x0550AE)
        case .shares: Colour(hex: 0x8250DF)
        case .reallocates: Colour(hex: 0xBC4C00)
        case .handsOff: Colour(hex: 0x1A7F37)
        case .task: Colour(hex: 0x9A6700)
        }
    }

    static func arrowHead(from: Point, to tip: Point) -> [Point] {
        let dx = tip.x - from.x, dy = tip.y - from.y
        let length = max(0.001, (dx * dx + dy * dy).squareRoot())
        let ux = dx / length, uy = dy / length
        let size = 8.0, half = 3.5
        let base = Point(tip.x - ux * size, tip.y - uy * size)
        return [tip, Point(base.x - uy * half, base.y + ux * half), Point(base.x + uy * half, base.y - ux * half)]
    }
}
