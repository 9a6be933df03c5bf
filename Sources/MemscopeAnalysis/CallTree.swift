import MemscopeModel

/// A calling-context tree with per-node costs: the data behind every flamegraph.
///
/// Node 0 is the root ("all"). Frames are merged by function, file and module (not by
/// instruction address), so one function called from one context is one node.
/// Children are sorted by name, then file, then module, for deterministic output.
public struct CallTree: Sendable, Equatable {
    public enum Direction: String, Sendable {
        /// Callers above callees: the root's children are the outermost frames (main).
        case topDown = "top-down"
        /// Callees above callers: the root's children are the allocating functions.
        case bottomUp = "bottom-up"
    }

    public struct Node: Sendable, Equatable {
        public var parent: Int
        /// String ids (in ``Analysis/symbols``) of the function, file and module; 0 = unknown.
        public var function: UInt32
        public var file: UInt32
        public var module: UInt32
        /// The smallest source line seen for the frame, 0 when unknown.
        public var line: UInt32
        /// A frame id of this node, for names of unsymbolized frames.
        public var frame: UInt32
        public var depth: Int
        /// Costs of allocations whose stack ends exactly here.
        public var selfCosts: Costs
        /// Costs of this node and everything below it.
        public var totalCosts: Costs
        public var children: [Int]
    }

    public var direction: Direction
    public var nodes: [Node]
}

/// Builds both trees from per-site costs.
struct CallTreeBuilder {
    let symbols: SymbolTable
    /// Maps every string id to the first id with the same text, so equal names merge.
    private var canonical: [UInt32]

    init(symbols: SymbolTable) {
        self.symbols = symbols
        var first: [String: UInt32] = [:]
        canonical = symbols.strings.enumerated().map { id, text in
            if let existing = first[text] { return existing }
            first[text] = UInt32(id)
            return UInt32(id)
        }
    }

    private struct Key: Hashable {
        var parent: Int
        var function: UInt32
        var file: UInt32
        var module: UInt32
        /// Unsymbolized frames keep their address apart.
        var address: UInt64
    }

    private func key(parent: Int, frameID: UInt32) -> Key {
        let frame = symbols.frame(frameID)
        let function = canonical[Int(frame.function)]
        return Key(parent: parent, function: function, file: canonical[Int(frame.file)],
                   module: canonical[Int(frame.module)], address: function == 0 ? frame.instructionPointer : 0)
    }

    /// Builds the tree; `costs` maps stack id → costs for every stack with costs.
    func build(_ direction: CallTree.Direction, costs: [(stack: UInt32, costs: Costs)]) -> CallTree {
        var nodes = [CallTree.Node(parent: -1, function: 0, file: 0, module: 0, line: 0, frame: 0, depth: 0,
                                   selfCosts: Costs(), totalCosts: Costs(), children: [])]
        var index: [Key: Int] = [:]

        func child(of parent: Int, frameID: UInt32) -> Int {
            let k = key(parent: parent, frameID: frameID)
            let line = symbols.frame(frameID).line
            if let existing = index[k] {
                if line != 0 && (nodes[existing].line == 0 || line < nodes[existing].line) { nodes[existing].line = line }
                return existing
            }
            let id = nodes.count
            nodes.append(CallTree.Node(parent: parent, function: k.function, file: k.file, module: k.module,
                                       line: line, frame: frameID, depth: nodes[parent].depth + 1,
                                       selfCosts: Costs(), totalCosts: Costs(), children: []))
            nodes[parent].children.append(id)
            index[k] = id
            return id
        }

        for (stack, cost) in costs {
            let frames = symbols.frames(ofStack: stack)  // innermost first
            var node = 0
            nodes[0].totalCosts += cost
            let path: AnySequence<UInt32> = direction == .topDown ? AnySequence(frames.reversed()) : AnySequence(frames)
            for frameID in path {
                node = child(of: node, frameID: frameID)
                nodes[node].totalCosts += cost
            }
            nodes[node].selfCosts += cost
        }
        let unsorted = nodes
        for i in nodes.indices {
            nodes[i].children.sort { a, b in order(unsorted[a], unsorted[b]) }
        }
        return CallTree(direction: direction, nodes: nodes)
    }

    private func order(_ a: CallTree.Node, _ b: CallTree.Node) -> Bool {
        let (fa, fb) = (symbols.string(a.function), symbols.string(b.function))
        if fa != fb { return fa < fb }
        let (la, lb) = (symbols.string(a.file), symbols.string(b.file))
        if la != lb { return la < lb }
        let (ma, mb) = (symbols.string(a.module), symbols.string(b.module))
        if ma != mb { return ma < mb }
        return symbols.frame(a.frame).instructionPointer < symbols.frame(b.frame).instructionPointer
    }
}
