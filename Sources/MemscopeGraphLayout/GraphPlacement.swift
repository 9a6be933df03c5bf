import MemscopeScene

/// Where a layout engine put a graph's parts, in picture pixels (origin top left).
public struct GraphPlacement: Sendable, Equatable {
    public struct Edge: Sendable, Equatable {
        /// Cubic Bézier path: a start, then (control, control, end) triples.
        public var path: [Point]
        /// The arrow's tip, when the path stops short of the head node to leave room for it.
        public var arrowTip: Point?
        public var labelCenter: Point?
    }

    public struct Cluster: Sendable, Equatable {
        public var name: String
        public var frame: Rect
    }

    public var width: Double
    public var height: Double
    /// By node id.
    public var nodes: [Int: Rect]
    /// In the order of the selection's edges.
    public var edges: [Edge]
    public var clusters: [Cluster]
}

/// What a layout engine needs to know: node sizes, edges with their label sizes, clusters.
public struct GraphPlacementRequest: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        public var id: Int
        public var width: Double
        public var height: Double
        public var cluster: String?
    }

    public struct Edge: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var label: String
    }

    public var nodes: [Node]
    public var edges: [Edge]
    public var labelFontSize: Double
}

/// Places a graph (Graphviz's `dot` is the real one; tests may use a simpler one).
public protocol GraphPlacing {
    func place(_ request: GraphPlacementRequest) throws -> GraphPlacement
}
