import MemscopeOwnership

/// The part of an ownership graph that fits in one picture: the allocation sites with the
/// most bytes that take part in some edge, the free sites and tasks linked to them, and
/// the edges between the chosen nodes.
public struct GraphSelection: Sendable, Equatable {
    public enum Clustering: String, Sendable, Equatable {
        case module, type, none
    }

    public var nodes: [OwnershipNode]
    public var edges: [OwnershipEdge]
    public var clustering: Clustering
    /// Nodes with edges that were left out of the picture (the table still lists their edges).
    public var omittedNodes: Int

    public static let defaultSiteLimit = 24

    public init(_ graph: OwnershipGraph, siteLimit: Int = defaultSiteLimit) {
        var linked = Set<Int>()
        for edge in graph.edges {
            linked.insert(edge.from)
            linked.insert(edge.to)
        }
        let sites = graph.nodes.filter { $0.kind == .allocationSite && linked.contains($0.id) }  // bytes order
        var chosen = Set(sites.prefix(siteLimit).map(\.id))
        // Free sites and tasks joined to a chosen site.
        for edge in graph.edges where chosen.contains(edge.from) || chosen.contains(edge.to) {
            for id in [edge.from, edge.to] where graph.nodes.first(where: { $0.id == id })?.kind != .allocationSite {
                chosen.insert(id)
            }
        }
        nodes = graph.nodes.filter { chosen.contains($0.id) }
        edges = graph.edges.filter { chosen.contains($0.from) && chosen.contains($0.to) }
        omittedNodes = linked.subtracting(chosen).count
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
