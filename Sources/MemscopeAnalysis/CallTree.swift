import Dispatch
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

    /// A tree without nodes, standing in until the real one is built.
    static func empty(_ direction: Direction) -> CallTree { CallTree(direction: direction, nodes: []) }
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
        classifyFrames()
    }

    /// What makes two frames the same node: names, whether inlined, and for a frame
    /// without a name its offset in its module (its address when that is unknown).
    private struct Key: Hashable {
        var function: UInt32
        var file: UInt32
        var module: UInt32
        var address: UInt64
        var inlined: Bool
    }

    /// Per frame id, the id of its class of equal frames (frames that merge into one node).
    private(set) var frameClass: [UInt32] = []
    /// Per frame id, its source line.
    private(set) var frameLine: [UInt32] = []
    private var classKeys: [Key] = []
    /// Per frame class, its position in sibling order (see `SortName`).
    private var classRank: [Int] = []

    private mutating func classifyFrames() {
        var classes: [Key: UInt32] = [:]
        frameLine = symbols.frames.map(\.line)
        frameClass = symbols.frames.map { frame in
            let function = canonical[Int(frame.function)]
            let key = Key(function: function, file: canonical[Int(frame.file)], module: canonical[Int(frame.module)],
                          address: function == 0 ? frame.moduleOffset ?? frame.instructionPointer : 0,
                          inlined: frame.isInlined)
            if let existing = classes[key] { return existing }
            let id = UInt32(classKeys.count)
            classes[key] = id
            classKeys.append(key)
            return id
        }
        let names = classKeys.map { key in
            SortName(function: symbols.string(key.function), file: symbols.string(key.file),
                     module: symbols.string(key.module), ip: key.address, inlined: key.inlined)
        }
        classRank = Array(repeating: 0, count: classKeys.count)
        for (rank, id) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { classRank[id] = rank }
    }

    /// Builds the tree; `costs` maps stack id → costs for every stack with costs.
    ///
    /// - Complexity: top-down O(stacks) (each stack's node is found once, from its
    ///   parent's); bottom-up O(total depth of the stacks with costs).
    func build(_ direction: CallTree.Direction, costs: [(stack: UInt32, costs: Costs)]) -> CallTree {
        build(direction, costs: costs, paths: nil)
    }

    /// Builds both trees at once, the bottom-up one on another thread (the end of an
    /// analysis runs on one thread otherwise; the trees of the 10M benchmark take about 8
    /// and 20 ms, much of it faulting in fresh pages).
    func buildBoth(costs: [(stack: UInt32, costs: Costs)]) -> (topDown: CallTree, bottomUp: CallTree) {
        buildBoth { builder, direction in builder.build(direction, costs: costs) }
    }

    /// ``buildBoth(costs:)`` from explicit frame lists.
    func buildBoth(paths: [(frames: [UInt32], costs: Costs)]) -> (topDown: CallTree, bottomUp: CallTree) {
        buildBoth { builder, direction in builder.build(direction, paths: paths) }
    }

    private func buildBoth(_ build: @escaping @Sendable (CallTreeBuilder, CallTree.Direction) -> CallTree)
        -> (topDown: CallTree, bottomUp: CallTree) {
        let bottomUp = UnsafeMutablePointer<CallTree>.allocate(capacity: 1)
        defer { bottomUp.deallocate() }
        let done = DispatchSemaphore(value: 0)
        let work = Handoff((self, bottomUp))
        // A queue of its own, not the global one: a serial queue gets a thread even when
        // every thread of the global pool waits (reports of several dumps are rendered by
        // concurrent workers, each of which may be waiting here).
        DispatchQueue(label: "memscope.call-tree").async {
            let (builder, result) = work.value
            result.initialize(to: build(builder, .bottomUp))
            done.signal()
        }
        let topDown = build(self, .topDown)
        done.wait()
        return (topDown, bottomUp.move())
    }

    /// Builds the tree from explicit frame lists (innermost first), e.g. after a filter.
    func build(_ direction: CallTree.Direction, paths: [(frames: [UInt32], costs: Costs)]) -> CallTree {
        build(direction, costs: [], paths: paths)
    }

    /// ``build(_:paths:)``, also giving each path's nodes in the order they were visited
    /// (root side first top-down, allocating frame first bottom-up): path `i`'s nodes are
    /// `visits[starts[i]..<starts[i + 1]]`, each with the frame id that reached it.
    func buildRecording(_ direction: CallTree.Direction, paths: [(frames: [UInt32], costs: Costs)]) -> RecordedCallTree {
        var reserved: [(node: Int32, frame: UInt32)] = []
        reserved.reserveCapacity(paths.reduce(0) { $0 + $1.frames.count })
        var visits: [(node: Int32, frame: UInt32)]? = reserved
        reserved = []
        var starts: [Int] = [0]
        starts.reserveCapacity(paths.count + 1)
        let tree = build(direction, costs: [], paths: paths, visits: &visits, starts: &starts)
        return RecordedCallTree(tree: tree, visits: visits ?? [], starts: starts)
    }

    /// ``buildRecording(_:paths:)`` in both directions, the bottom-up one on another thread.
    func buildBothRecording(paths: [(frames: [UInt32], costs: Costs)]) -> (topDown: RecordedCallTree, bottomUp: RecordedCallTree) {
        let bottomUp = UnsafeMutablePointer<RecordedCallTree>.allocate(capacity: 1)
        defer { bottomUp.deallocate() }
        let done = DispatchSemaphore(value: 0)
        let work = Handoff((self, bottomUp, paths))
        DispatchQueue(label: "memscope.call-tree").async {
            let (builder, result, paths) = work.value
            result.initialize(to: builder.buildRecording(.bottomUp, paths: paths))
            done.signal()
        }
        let topDown = buildRecording(.topDown, paths: paths)
        done.wait()
        return (topDown, bottomUp.move())
    }

    private func build(_ direction: CallTree.Direction, costs: [(stack: UInt32, costs: Costs)],
                       paths: [(frames: [UInt32], costs: Costs)]?) -> CallTree {
        var visits: [(node: Int32, frame: UInt32)]? = nil
        var starts: [Int] = []
        return build(direction, costs: costs, paths: paths, visits: &visits, starts: &starts)
    }

    private func build(_ direction: CallTree.Direction, costs: [(stack: UInt32, costs: Costs)],
                       paths: [(frames: [UInt32], costs: Costs)]?, visits: inout [(node: Int32, frame: UInt32)]?,
                       starts: inout [Int]) -> CallTree {
        // Nodes are made as they are found, with their costs filled in afterwards: one array
        // of nodes and the lookup index, no parallel arrays per field (the peak of a report
        // of a big dump is here).
        var nodes = [CallTree.Node(parent: -1, function: 0, file: 0, module: 0, line: 0, frame: 0, depth: 0,
                                   selfCosts: Costs(), totalCosts: Costs(), children: [])]
        // At most a node per stack top-down, and one per frame of every costed stack bottom-up
        // (an upper bound, so capped: beyond it the index grows as it fills).
        let bound = if let paths { paths.reduce(0) { $0 + $1.frames.count } }
            else if direction == .topDown { symbols.stackCount }
            else { costs.reduce(0) { $0 + Int(symbols.stackDepths[Int($1.stack)]) } }
        let expected = min(bound, 1 << 18)
        nodes.reserveCapacity(expected + 1)
        var index = NodeIndex(minimumCapacity: expected)

        func child(of parent: Int, frameID: UInt32) -> Int {
            let frameClassID = frameClass[Int(frameID)]
            let line = frameLine[Int(frameID)]
            let (existing, found) = index.findOrInsert(UInt64(parent) << 32 | UInt64(frameClassID), node: nodes.count)
            if found {
                if line != 0 && (nodes[existing].line == 0 || line < nodes[existing].line) { nodes[existing].line = line }
                return existing
            }
            let k = classKeys[Int(frameClassID)]
            nodes.append(CallTree.Node(parent: parent, function: k.function, file: k.file, module: k.module, line: line,
                                       frame: frameID, depth: nodes[parent].depth + 1, selfCosts: Costs(),
                                       totalCosts: Costs(), children: []))
            return existing
        }

        if let paths {
            let recording = visits != nil
            for (frames, cost) in paths {
                var node = 0
                if direction == .topDown {
                    for frameID in frames.reversed() {
                        node = child(of: node, frameID: frameID)
                        if recording { visits!.append((Int32(node), frameID)) }
                    }
                } else {
                    for frameID in frames {
                        node = child(of: node, frameID: frameID)
                        if recording { visits!.append((Int32(node), frameID)) }
                    }
                }
                if recording { starts.append(visits!.count) }
                nodes[node].selfCosts += cost
            }
        }
        switch direction {
        case .topDown where paths == nil:
            var nodeOfStack = [Int32](repeating: -1, count: symbols.stackParents.count)
            nodeOfStack[0] = 0
            var pending: [Int] = []
            for (stack, cost) in costs {
                var s = Int(stack)
                while nodeOfStack[s] < 0 {
                    pending.append(s)
                    s = Int(symbols.stackParents[s])
                }
                while let next = pending.popLast() {
                    nodeOfStack[next] = Int32(child(of: Int(nodeOfStack[Int(symbols.stackParents[next])]),
                                                    frameID: symbols.stackFrames[next]))
                }
                nodes[Int(nodeOfStack[Int(stack)])].selfCosts += cost
            }
        case .topDown:
            break
        case .bottomUp:
            for (stack, cost) in costs where paths == nil {
                var node = 0
                var s = Int(stack)
                while s > 0 {
                    node = child(of: node, frameID: symbols.stackFrames[s])
                    s = Int(symbols.stackParents[s])
                }
                nodes[node].selfCosts += cost
            }
        }

        index = NodeIndex()  // not needed any more
        // Children have higher ids than their parents, so one backward sweep sums subtrees.
        for id in nodes.indices { nodes[id].totalCosts = nodes[id].selfCosts }
        var childCounts = [Int32](repeating: 0, count: nodes.count)
        for id in stride(from: nodes.count - 1, to: 0, by: -1) {
            let parent = nodes[id].parent
            nodes[parent].totalCosts += nodes[id].totalCosts
            childCounts[parent] += 1
        }
        for id in nodes.indices where childCounts[id] > 0 { nodes[id].children.reserveCapacity(Int(childCounts[id])) }
        childCounts = []
        for id in 1..<max(1, nodes.count) { nodes[nodes[id].parent].children.append(id) }
        let ranks = nodes.map { classRank[Int(frameClass[Int($0.frame)])] }
        for id in nodes.indices where nodes[id].children.count > 1 {
            nodes[id].children.sort { ranks[$0] < ranks[$1] }
        }
        return CallTree(direction: direction, nodes: nodes)
    }
}

/// A call tree with, per path it was built from, the nodes the path went through.
struct RecordedCallTree: Sendable {
    var tree: CallTree
    var visits: [(node: Int32, frame: UInt32)]
    var starts: [Int]
}

/// Node ids by their parent's id and frame class: open addressing with each key beside its
/// node in one 16-byte slot, so a lookup touches one cache line (an `IntegerMap` keeps keys
/// and values in two arrays, 24 bytes a slot; the bottom-up tree of the 10M benchmark,
/// 99,000 nodes, took 27 ms to build with it and 22 ms with this).
private struct NodeIndex {
    private struct Slot {
        /// The key plus one; 0 marks an empty slot.
        var key: UInt64 = 0
        var node: Int = 0
    }

    private var slots: [Slot]
    private var mask: Int
    private var shift: UInt64
    private var count = 0

    init(minimumCapacity: Int = 0) {
        var size = 16
        while size < minimumCapacity * 2 { size *= 2 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// The node of `key`, found; or `node`, inserted for it.
    mutating func findOrInsert(_ key: UInt64, node: Int) -> (node: Int, found: Bool) {
        let stored = key &+ 1
        var i = Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let k = slots[i].key
            if k == stored { return (slots[i].node, true) }
            if k == 0 { break }
            i = (i + 1) & mask
        }
        if (count + 1) * 2 > slots.count {
            grow()
            return findOrInsert(key, node: node)
        }
        slots[i] = Slot(key: stored, node: node)
        count += 1
        return (node, false)
    }

    private mutating func grow() {
        let old = slots
        self = NodeIndex(minimumCapacity: old.count)
        for slot in old where slot.key != 0 { _ = findOrInsert(slot.key &- 1, node: slot.node) }
    }
}

/// The order of siblings: function name, then file, then module, then address, out-of-line first.
private struct SortName: Comparable {
    var function: String
    var file: String
    var module: String
    var ip: UInt64
    var inlined: Bool

    static func < (a: SortName, b: SortName) -> Bool {
        (a.function, a.file, a.module, a.ip, a.inlined ? 1 : 0) < (b.function, b.file, b.module, b.ip, b.inlined ? 1 : 0)
    }
}
