import CGraphviz
import Foundation
import MemscopeScene

public struct GraphvizError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Graphviz's hierarchical `dot` layout through libgvc: ranks left to right, spline edges
/// routed around nodes, edge labels placed by the engine, clusters kept together.
/// Deterministic for the same request. Graphviz keeps global state, so layouts run one
/// at a time (a batch renders two reports at once).
public struct GraphvizPlacer: GraphPlacing {
    private static let lock = NSLock()

    public init() {}

    public func place(_ request: GraphPlacementRequest) throws -> GraphPlacement {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        return try placeAlone(request)
    }

    private func placeAlone(_ request: GraphPlacementRequest) throws -> GraphPlacement {
        guard let context = gvContext() else { throw GraphvizError(description: "Graphviz: cannot create a context") }
        defer { gvFreeContext(context) }
        guard let graph = ms_gv_open("ownership") else { throw GraphvizError(description: "Graphviz: cannot create a graph") }
        defer { agclose(graph) }
        for (name, value) in [("rankdir", "LR"), ("nodesep", "0.35"), ("ranksep", "0.9"), ("splines", "true"),
                              ("fontname", "DejaVu Sans"), ("fontsize", "11"), ("margin", "0"), ("pad", "0"), ("newrank", "true"), ("ordering", "out")] {
            ms_gv_set(graph, name, value)
        }
        var clusterGraphs: [String: UnsafeMutablePointer<Agraph_t>] = [:]
        let clusterNames = Array(Set(request.nodes.compactMap(\.cluster))).sorted()
        for (i, name) in clusterNames.enumerated() {
            guard let sub = ms_gv_subgraph(graph, "cluster_\(i)") else { continue }
            ms_gv_set(sub, "label", " ")
            ms_gv_set(sub, "margin", "14")
            clusterGraphs[name] = sub
        }
        var handles: [Int: UnsafeMutablePointer<Agnode_t>] = [:]
        for node in request.nodes {
            guard let n = ms_gv_node(graph, "n\(node.id)") else { continue }
            for (name, value) in [("shape", "box"), ("fixedsize", "true"), ("label", ""),
                                  ("width", inches(node.width)), ("height", inches(node.height))] {
                ms_gv_set(n, name, value)
            }
            if let cluster = node.cluster, let sub = clusterGraphs[cluster] { ms_gv_subnode(sub, n) }
            handles[node.id] = n
        }
        var edgeHandles: [UnsafeMutablePointer<Agedge_t>?] = []
        for (i, edge) in request.edges.enumerated() {
            guard let t = handles[edge.from], let h = handles[edge.to], let e = ms_gv_edge(graph, t, h, "e\(i)") else {
                edgeHandles.append(nil)
                continue
            }
            ms_gv_set(e, "label", edge.label)
            ms_gv_set(e, "fontname", "DejaVu Sans")
            ms_gv_set(e, "fontsize", String(request.labelFontSize))
            edgeHandles.append(e)
        }
        guard gvLayout(context, graph, "dot") == 0 else { throw GraphvizError(description: "Graphviz: the dot layout failed") }
        defer { gvFreeLayout(context, graph) }

        let bounds = ms_gv_bounds(graph)
        let margin = 8.0
        func point(_ p: pointf) -> Point { Point(p.x - bounds.LL.x + margin, bounds.UR.y - p.y + margin) }
        var nodes: [Int: Rect] = [:]
        for (id, n) in handles {
            let c = point(ms_gv_node_center(n))
            let w = ms_gv_node_width(n) * 72, h = ms_gv_node_height(n) * 72
            nodes[id] = Rect(x: c.x - w / 2, y: c.y - h / 2, width: w, height: h)
        }
        var edges: [GraphPlacement.Edge] = []
        for handle in edgeHandles {
            guard let e = handle, ms_gv_edge_beziers(e) > 0, let b = ms_gv_edge_bezier(e, 0) else {
                edges.append(GraphPlacement.Edge(path: [], arrowTip: nil, labelCenter: nil))
                continue
            }
            let points = (0..<Int(b.pointee.size)).map { point(b.pointee.list[$0]) }
            let tip = b.pointee.eflag != 0 ? point(b.pointee.ep) : nil
            let label = ms_gv_edge_has_label(e) != 0 ? point(ms_gv_edge_label_center(e)) : nil
            edges.append(GraphPlacement.Edge(path: points, arrowTip: tip, labelCenter: label))
        }
        var clusters: [GraphPlacement.Cluster] = []
        for name in clusterNames {
            guard let sub = clusterGraphs[name] else { continue }
            let box = ms_gv_bounds(sub)
            let topLeft = point(pointf(x: box.LL.x, y: box.UR.y))
            clusters.append(.init(name: name, frame: Rect(x: topLeft.x, y: topLeft.y, width: box.UR.x - box.LL.x,
                                                          height: box.UR.y - box.LL.y)))
        }
        return GraphPlacement(width: bounds.UR.x - bounds.LL.x + 2 * margin, height: bounds.UR.y - bounds.LL.y + 2 * margin,
                              nodes: nodes, edges: edges, clusters: clusters)
    }

    private func inches(_ pixels: Double) -> String { String(pixels / 72) }
}
