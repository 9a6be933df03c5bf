import MemscopeAnalysis
import MemscopeModel

/// The cost a flamegraph measures.
public enum FlameCost: String, Sendable, CaseIterable {
    case bytesAllocated = "allocated"
    case allocations
    case peak
    case leaked
    case temporary

    public var title: String {
        switch self {
        case .bytesAllocated: "Bytes allocated"
        case .allocations: "Allocation calls"
        case .peak: "Live at peak"
        case .leaked: "Leaked"
        case .temporary: "Temporary allocations"
        }
    }

    /// Whether values are bytes (else counts).
    public var isBytes: Bool {
        switch self {
        case .bytesAllocated, .peak, .leaked: true
        case .allocations, .temporary: false
        }
    }

    public func value(_ costs: Costs) -> UInt64 {
        switch self {
        case .bytesAllocated: costs.bytesAllocated
        case .allocations: costs.allocations
        case .peak: costs.peakBytes
        case .leaked: costs.leakedBytes
        case .temporary: costs.temporaryAllocations
        }
    }
}

/// One box of a flamegraph: a call-tree node, or the aggregate of a parent's small children.
public struct FlameNode: Sendable, Equatable {
    /// Index of the parent in ``FlameGraph/nodes`` (-1 for the root).
    public var parent: Int
    public var depth: Int
    /// The function (or "all", or "N small frames").
    public var name: String
    /// `file:line`, or empty.
    public var location: String
    /// The module's file name, or empty.
    public var module: String
    /// Every cost at this node, children included, in ``FlameCost/allCases`` order.
    public var values: [UInt64]
    /// Folded children: how many nodes this box stands for (0 for a real node).
    public var folded: Int
    /// The function's code was inlined into its caller's (a frame from DWARF inline
    /// information, not a call of its own).
    public var isInlined = false
    /// Whose module the frame's code is in, by the module's path (``CodeOrigin/ofModule(_:program:)``);
    /// ``CodeOrigin/unknown`` for the root and folded boxes.
    public var moduleOrigin = CodeOrigin.unknown
    /// An allocator, wrapper or runtime function by its name, wherever its code is (C++
    /// `std::` templates compiled into the program).
    public var isRuntimeCode = false

    /// Whose code the frame is (every rule of ``CodeOrigin``).
    public var origin: CodeOrigin { isRuntimeCode && moduleOrigin != .unknown ? .runtime : moduleOrigin }

    public func value(_ cost: FlameCost) -> UInt64 { values[cost.index] }
}

extension FlameCost {
    /// Position in ``FlameNode/values``.
    public var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// A pruned call tree in one direction, carrying every cost, nodes in pre-order (parents
/// first, each subtree contiguous, siblings in call-tree order). A node is kept when it
/// is big enough in any cost; the rest fold into one aggregate per parent.
public struct FlameGraph: Sendable, Equatable {
    public var direction: CallTree.Direction
    public var nodes: [FlameNode]
    /// Deepest row kept; deeper frames are cut (their cost stays in their ancestors).
    public var maxDepth: Int
    /// Nodes deeper than ``maxDepth`` that were cut.
    public var cutNodes: Int

    public func total(_ cost: FlameCost) -> UInt64 { nodes.first?.value(cost) ?? 0 }
}

/// Options of ``FlameGraphBuilder``.
public struct FlameGraphOptions: Sendable, Equatable {
    /// Children below this fraction of the total (in every cost) fold into one aggregate
    /// per parent. Default: 1/20 000, finer than a pixel, so zooming in the page still
    /// shows detail.
    public var minimumFraction: Double
    /// Most nodes kept; the fraction is raised until the graph fits. Default: 8 000.
    public var maxNodes: Int
    /// Deepest row kept. Default: 120.
    public var maxDepth: Int

    public init(minimumFraction: Double = 1.0 / 20_000, maxNodes: Int = 8_000, maxDepth: Int = 120) {
        self.minimumFraction = minimumFraction
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
    }

    public static let `default` = FlameGraphOptions()
}

/// What ``FlameGraphBuilder`` reads of a call tree: a tree of the analysis, or a view's
/// tree on the nodes of a shared one (``ViewCallTree``).
protocol FlameTreeSource {
    var direction: CallTree.Direction { get }
    var nodeCount: Int { get }
    func children(of i: Int) -> CallTree.Children
    func file(_ i: Int) -> UInt32
    func module(_ i: Int) -> UInt32
    func depth(_ i: Int) -> Int
    func parent(_ i: Int) -> Int
    func totalCosts(_ i: Int) -> Costs
    func line(_ i: Int) -> UInt32
    func frame(_ i: Int) -> UInt32
    /// No node is deeper than this (`Int.max`: not known).
    var depthBound: Int { get }
    /// Calls `body` with every node but the root that may have costs, in any order.
    func forEachShareCandidate(_ body: (Int) -> Void)
}

extension CallTree: FlameTreeSource {
    /// Not known: each node's depth is read, in order.
    var depthBound: Int { .max }
    func forEachShareCandidate(_ body: (Int) -> Void) { for i in 1..<max(1, nodeCount) { body(i) } }
}

extension ViewCallTree: FlameTreeSource {
    var direction: CallTree.Direction { shared.direction }
    var nodeCount: Int { shared.nodeCount }
    @inline(__always) func children(of i: Int) -> CallTree.Children { shared.children(of: i) }
    @inline(__always) func file(_ i: Int) -> UInt32 { shared.file(i) }
    @inline(__always) func module(_ i: Int) -> UInt32 { shared.module(i) }
    @inline(__always) func depth(_ i: Int) -> Int { shared.depth(i) }
    @inline(__always) func parent(_ i: Int) -> Int { shared.parent(i) }
    var depthBound: Int { deepest }
    /// Only the nodes the view reaches can have a share.
    func forEachShareCandidate(_ body: (Int) -> Void) { for node in reached { body(Int(node)) } }
}

/// Builds a ``FlameGraph`` from an analysis' call tree.
public enum FlameGraphBuilder {
    public static func build(_ analysis: Analysis, direction: CallTree.Direction,
                             options: FlameGraphOptions = .default) -> FlameGraph {
        buildWithNodeMap(analysis, direction: direction, options: options).graph
    }

    /// The graph of a view's tree (``SharedViewTrees``), `analysis` being the view's (its
    /// symbols and allocator frames): the graph its own call tree would give.
    public static func build(_ tree: ViewCallTree, analysis: Analysis, options: FlameGraphOptions = .default) -> FlameGraph {
        build(source: tree, analysis: analysis, options: options, boxes: false).graph
    }

    /// The graph, and for every node of the analysis' call tree the box that holds its cost:
    /// its own, its folded box, or (cut below the deepest row) its nearest shown ancestor.
    public static func buildWithNodeMap(_ analysis: Analysis, direction: CallTree.Direction,
                                        options: FlameGraphOptions = .default) -> (graph: FlameGraph, boxOfTreeNode: [Int32]) {
        build(source: direction == .topDown ? analysis.topDown : analysis.bottomUp, analysis: analysis, options: options, boxes: true)
    }

    /// - Parameter boxes: whether to map every tree node to its box (a view's graph needs no
    ///   map: without it, a prune touches only the nodes it shows and their children).
    private static func build<Tree: FlameTreeSource>(source tree: Tree, analysis: Analysis, options: FlameGraphOptions,
                                                     boxes: Bool) -> (graph: FlameGraph, boxOfTreeNode: [Int32]) {
        var fraction = max(options.minimumFraction, budgetFraction(tree, options: options))
        while true {
            let (graph, map) = prune(tree, analysis: analysis, fraction: fraction, options: options, boxes: boxes)
            if graph.nodes.count <= options.maxNodes || fraction >= 0.05 { return (graph, map) }
            fraction *= 2
        }
    }

    private static func values(_ costs: Costs) -> [UInt64] { FlameCost.allCases.map { $0.value(costs) } }

    /// The smallest fraction that keeps about half the node budget (the rest is room for
    /// one aggregate per kept parent). A node's share is its largest fraction of any
    /// cost's total; shares never grow from a parent to its children, so the kept nodes
    /// are exactly those whose share reaches the fraction.
    private static func budgetFraction<Tree: FlameTreeSource>(_ tree: Tree, options: FlameGraphOptions) -> Double {
        let totals = values(tree.totalCosts(0)).map { $0 == 0 ? 0 : 1 / Double($0) }
        var shares: [Double] = []
        shares.reserveCapacity(tree.nodeCount)
        // A node's depth is read only when some node may be deeper than the graph's rows.
        let readDepths = tree.depthBound > options.maxDepth
        // The shares as a multiset: the order of the nodes does not matter.
        tree.forEachShareCandidate { i in
            let c = tree.totalCosts(i)
            guard !c.isZero, !readDepths || tree.depth(i) <= options.maxDepth else { return }
            let share = max(Double(c.bytesAllocated) * totals[0], Double(c.allocations) * totals[1],
                            Double(c.peakBytes) * totals[2], Double(c.leakedBytes) * totals[3],
                            Double(c.temporaryAllocations) * totals[4])
            if share > 0 { shares.append(share) }
        }
        let keep = max(1, options.maxNodes / 2)
        guard shares.count > keep else { return 0 }
        // The keep-th largest share, selected (a sort of every share took longer than the rest of the graph).
        return largest(keep - 1, of: &shares).nextUp
    }

    /// The `k`-th largest of `values` (0: the largest), as `values.sorted(by: >)[k]`; the
    /// values are reordered. Quickselect, median-of-three pivots.
    static func largest(_ k: Int, of values: inout [Double]) -> Double {
        values.withUnsafeMutableBufferPointer { v in
            var lo = 0, hi = v.count - 1
            while lo < hi {
                let a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi]
                let pivot = max(min(a, b), min(max(a, b), c))
                var i = lo, j = hi
                while i <= j {
                    while v[i] > pivot { i += 1 }
                    while v[j] < pivot { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                // Now v[lo...j] >= pivot, v[j+1..<i] == pivot, v[i...hi] <= pivot.
                if k <= j { hi = j } else if k >= i { lo = i } else { return v[k] }
            }
            return v[k]
        }
    }

    private static func prune<Tree: FlameTreeSource>(_ tree: Tree, analysis: Analysis, fraction: Double,
                                                     options: FlameGraphOptions, boxes: Bool) -> (FlameGraph, [Int32]) {
        var box = [Int32](repeating: -1, count: boxes ? tree.nodeCount : 0)
        if !box.isEmpty { box[0] = 0 }
        let rootValues = values(tree.totalCosts(0))
        let program = analysis.programModule
        let thresholds = rootValues.map { Double($0) * fraction }
        let costs = FlameCost.allCases
        // Read from the costs: a child's array of values is made only when it gets a box.
        func bigEnough(_ c: Costs) -> Bool {
            for (i, cost) in costs.enumerated() {
                let value = cost.value(c)
                if value > 0 && Double(value) >= thresholds[i] { return true }
            }
            return false
        }
        func anyPositive(_ c: Costs) -> Bool { costs.contains { $0.value(c) > 0 } }
        // Per module string id, its file name (found once per module).
        var nameOfModule: [UInt32: String] = [:]
        func moduleName(_ module: UInt32) -> String {
            if let known = nameOfModule[module] { return known }
            let found = baseName(analysis.symbols.string(module))
            nameOfModule[module] = found
            return found
        }
        var nodes = [FlameNode(parent: -1, depth: 0, name: "all", location: "", module: "", values: rootValues, folded: 0)]
        // Per module string id, its origin (a function of the module's path; found once per module).
        var originOfModule: [UInt32: CodeOrigin] = [:]
        func origin(_ module: UInt32) -> CodeOrigin {
            if let known = originOfModule[module] { return known }
            let found = CodeOrigin.ofModule(analysis.symbols.string(module), program: program)
            originOfModule[module] = found
            return found
        }
        var cut = 0
        var stack: [(treeIndex: Int, graphIndex: Int)] = [(0, 0)]
        while let (treeIndex, graphIndex) = stack.popLast() {
            let depth = nodes[graphIndex].depth
            var kept: [(Int, Int)] = []
            var foldedValues = [UInt64](repeating: 0, count: FlameCost.allCases.count)
            var foldedCount = 0
            var foldedChildren: [Int] = []
            for child in tree.children(of: treeIndex) {
                let childCosts = tree.totalCosts(child)
                if childCosts.isZero { continue }
                guard anyPositive(childCosts) else { continue }
                if depth + 1 > options.maxDepth {
                    cut += 1
                    continue
                }
                guard bigEnough(childCosts) else {
                    for (i, cost) in costs.enumerated() { foldedValues[i] &+= cost.value(childCosts) }
                    foldedCount += 1
                    foldedChildren.append(child)
                    continue
                }
                let v = values(childCosts)
                let frame = tree.frame(child), line = tree.line(child), module = tree.module(child)
                let file = analysis.symbols.string(tree.file(child))
                nodes.append(FlameNode(
                    parent: graphIndex, depth: depth + 1,
                    name: analysis.symbols.displayName(ofFrame: frame),
                    location: file.isEmpty ? "" : (line > 0 ? "\(file):\(line)" : file),
                    module: moduleName(module),
                    values: v, folded: 0, isInlined: analysis.symbols.frame(frame).isInlined,
                    moduleOrigin: origin(module),
                    isRuntimeCode: analysis.isAllocatorFrame(frame)))
                kept.append((child, nodes.count - 1))
                if boxes { box[child] = Int32(nodes.count - 1) }
            }
            if foldedCount > 0 {
                nodes.append(FlameNode(parent: graphIndex, depth: depth + 1,
                                       name: foldedCount == 1 ? "1 small frame" : "\(foldedCount) small frames",
                                       location: "", module: "", values: foldedValues, folded: foldedCount))
                if boxes { for child in foldedChildren { box[child] = Int32(nodes.count - 1) } }
            }
            for entry in kept.reversed() { stack.append(entry) }
        }
        let (ordered, newIndex) = reorderPreOrder(nodes)
        for i in box.indices where box[i] >= 0 { box[i] = Int32(newIndex[Int(box[i])]) }
        // Below a folded box or the deepest row, a node's cost is in its parent's box.
        // (Parents come before their children in a call tree.)
        for i in box.indices.dropFirst() where box[i] < 0 { box[i] = box[tree.parent(i)] }
        return (FlameGraph(direction: tree.direction, nodes: ordered, maxDepth: options.maxDepth, cutNodes: cut), box)
    }

    /// Children were appended per parent; rebuild a strict pre-order so every node's
    /// subtree is contiguous (the page's zoom relies on it).
    private static func reorderPreOrder(_ nodes: [FlameNode]) -> ([FlameNode], [Int]) {
        var children = [[Int]](repeating: [], count: nodes.count)
        for i in 1..<max(1, nodes.count) { children[nodes[i].parent].append(i) }
        var order: [Int] = []
        order.reserveCapacity(nodes.count)
        var stack = [0]
        while let i = stack.popLast() {
            order.append(i)
            stack.append(contentsOf: children[i].reversed())
        }
        var newIndex = [Int](repeating: 0, count: nodes.count)
        for (position, old) in order.enumerated() { newIndex[old] = position }
        return (order.map { old in
            var node = nodes[old]
            if node.parent >= 0 { node.parent = newIndex[node.parent] }
            return node
        }, newIndex)
    }
}
