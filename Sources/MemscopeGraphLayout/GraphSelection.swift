import MemscopeOwnership

/// The part of an ownership graph that fits in one picture: the allocation sites with the
/// most bytes that take part in some edge, the free sites and tasks linked to them, and
/// the edges between the chosen nodes.
public struct GraphSelection: Sendable, Equatable {
    public enum Clustering: String, Sendable, Equatable {
        case module, type, none
    }

    public var nodes: [OwnershipNode]
    /// The edges drawn: one per (from, to, kind), hand-offs of several thread pairs summed.
    public var edges: [OwnershipEdge]
    /// For each drawn edge, the index in the graph's edges of the first it stands for.
    public var firstGraphEdge: [Int]
    public var clustering: Clustering
    /// Nodes with edges that were left out of the picture (the table still lists their edges).
    public var omittedNodes: Int
    /// Edges between drawn nodes left out to keep the picture readable.
    public var omittedEdges: Int

    public static let defaultSiteLimit = 24
    public static let edgeLimit = 60

    public init(_ graph: OwnershipGraph, siteLimit: Int = defaultSiteLimit) {
        var linked = Set<Int>()
        for edge in graph.edges {
            linked.insert(edge.from)
            linked.insert(edge.to)
        }
        let sites = graph.nodes.filter { $0.kind == .allocationSite && linked.contains($0.id) }  // bytes order
        var chosen = Set(sites.prefix(siteLimit).map(\.id))
        // Free sites and tasks joined to a chosen site.
        let kinds = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0.kind) })
        for edge in graph.edges where chosen.contains(edge.from) || chosen.contains(edge.to) {
            for id in [edge.from, edge.to] where kinds[id] != .allocationSite {
                chosen.insert(id)
            }
        }
        // One drawn edge per (from, to, kind); the strongest first, up to the limit.
        struct Key: Hashable { var from: Int, to: Int, kind: OwnershipEdgeKind }
        var groups: [Key: (edge: OwnershipEdge, first: Int, members: Int)] = [:]
        for (index, edge) in graph.edges.enumerated() where chosen.contains(edge.from) && chosen.contains(edge.to) {
            let key = Key(from: edge.from, to: edge.to, kind: edge.kind)
            if var group = groups[key] {
                group.edge.evidence += edge.evidence
                group.edge.contradictions += edge.contradictions
                group.members += 1
                group.edge.threads = nil
                group.edge.detail = "\(group.members) thread pairs"
                groups[key] = group
            } else {
                groups[key] = (edge, index, 1)
            }
        }
        let ranked = groups.values.sorted { a, b in
            if a.edge.kind != b.edge.kind { return a.edge.kind < b.edge.kind }
            if a.edge.evidence != b.edge.evidence { return a.edge.evidence > b.edge.evidence }
            return a.first < b.first
        }
        let kept = ranked.prefix(Self.edgeLimit).sorted { $0.first < $1.first }
        omittedEdges = ranked.count - kept.count
        edges = kept.map(\.edge)
        firstGraphEdge = kept.map(\.first)
        var drawn = Set<Int>()
        for edge in edges {
            drawn.insert(edge.from)
            drawn.insert(edge.to)
        }
        nodes = graph.nodes.filter { drawn.contains($0.id) }
        omittedNodes = linked.subtracting(drawn).count
        let modules = Set(nodes.filter { $0.kind == .allocationSite }.map(\.module))
        let types = nodes.compactMap(\.type)
        clustering = modules.count > 1 ? .module : (types.count >= 2 ? .type : .none)
    }

    /// The cluster a node belongs to under the chosen clustering (nil: none).
    public func cluster(of node: OwnershipNode) -> String? {
        switch clustering {
        case .module: node.kind == .task ? nil : (node.module.isEmpty ? "unknown module" : node.module)
        case .type: node.type
        case .none: nil
        }
    }
}
