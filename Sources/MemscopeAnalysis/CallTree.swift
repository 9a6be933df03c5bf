import CPrefetch
import Dispatch
import MemscopeModel

/// A calling-context tree with per-node costs: the data behind every flamegraph.
///
/// Node 0 is the root ("all"). Frames are merged by function, file and module (not by
/// instruction address), so one function called from one context is one node.
/// Children are sorted by name, then file, then module, for deterministic output.
///
/// Stored compactly, per node: its links and names (28 bytes), its total costs (48), a slot
/// of its own costs (4: only nodes where some stack ends have them) and its place in one
/// array of children (8). A tree of a dump whose stacks are nearly all distinct has millions
/// of nodes: at about 190 bytes a node plus an array of children each, its two trees took a
/// gigabyte (issue 20's cliff).
public struct CallTree: Sendable, Equatable {
    public enum Direction: String, Sendable {
        /// Callers above callees: the root's children are the outermost frames (main).
        case topDown = "top-down"
        /// Callees above callers: the root's children are the allocating functions.
        case bottomUp = "bottom-up"
    }

    /// One node, as read from the tree.
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
        /// The node's children, in sibling order.
        public var children: Children
    }

    /// A node's children (node ids), in sibling order: a range of the tree's one array of children.
    public struct Children: RandomAccessCollection, Sendable, Equatable {
        let ids: [Int32]
        public let startIndex: Int
        public let endIndex: Int
        @inline(__always) public subscript(position: Int) -> Int { Int(ids[position]) }

        public static func == (a: Children, b: Children) -> Bool { a.elementsEqual(b) }
    }

    /// What a node is and where it hangs, without its costs.
    struct Link: Sendable, Equatable {
        var parent: Int32
        var depth: Int32
        var function: UInt32
        var file: UInt32
        var module: UInt32
        var line: UInt32
        var frame: UInt32
    }

    public var direction: Direction
    var links: [Link]
    /// Per node, costs of it and everything below it.
    var totals: [Costs]
    /// Per node, the index of its own costs in `selfValues`, or -1 when it has none.
    var selfSlots: [Int32]
    var selfValues: [Costs]
    /// Node `i`'s children are `childIDs[childStarts[i]..<childStarts[i + 1]]`.
    var childStarts: [Int32]
    var childIDs: [Int32]

    /// The nodes, in id order (parents before their children).
    public var nodes: NodeList { NodeList(tree: self) }
    public var nodeCount: Int { links.count }
    /// The depth of the deepest node (0 for a tree of its root alone or none).
    public var deepestDepth: Int { links.reduce(0) { max($0, Int($1.depth)) } }

    @inline(__always) public func parent(_ i: Int) -> Int { Int(links[i].parent) }
    @inline(__always) public func depth(_ i: Int) -> Int { Int(links[i].depth) }
    @inline(__always) public func frame(_ i: Int) -> UInt32 { links[i].frame }
    @inline(__always) public func line(_ i: Int) -> UInt32 { links[i].line }
    @inline(__always) public func module(_ i: Int) -> UInt32 { links[i].module }
    @inline(__always) public func file(_ i: Int) -> UInt32 { links[i].file }
    @inline(__always) public func totalCosts(_ i: Int) -> Costs { totals[i] }
    @inline(__always) public func selfCosts(_ i: Int) -> Costs {
        let slot = selfSlots[i]
        return slot < 0 ? Costs() : selfValues[Int(slot)]
    }
    @inline(__always) public func children(of i: Int) -> Children {
        Children(ids: childIDs, startIndex: Int(childStarts[i]), endIndex: Int(childStarts[i + 1]))
    }

    public func node(_ i: Int) -> Node {
        let link = links[i]
        return Node(parent: Int(link.parent), function: link.function, file: link.file, module: link.module,
                    line: link.line, frame: link.frame, depth: Int(link.depth), selfCosts: selfCosts(i),
                    totalCosts: totals[i], children: children(of: i))
    }

    /// The nodes of a tree, read one at a time.
    public struct NodeList: RandomAccessCollection, Sendable {
        let tree: CallTree
        public var startIndex: Int { 0 }
        public var endIndex: Int { tree.links.count }
        public subscript(position: Int) -> Node { tree.node(position) }
    }

    /// Equal when every node is: the same links, costs and children (the order in which
    /// nodes' own costs were stored does not matter).
    public static func == (a: CallTree, b: CallTree) -> Bool {
        a.direction == b.direction && a.links == b.links && a.totals == b.totals && a.childStarts == b.childStarts
            && a.childIDs == b.childIDs && a.links.indices.allSatisfy { a.selfCosts($0) == b.selfCosts($0) }
    }

    /// Lets the costs go, keeping the nodes' links and children: for a tree read for its shape
    /// alone (the views' trees over it, ``SharedViewTrees``). Its costs must not be read after.
    mutating func releaseCosts() {
        totals = []
        selfSlots = []
        selfValues = []
    }

    /// A tree without nodes, standing in until the real one is built.
    static func empty(_ direction: Direction) -> CallTree {
        CallTree(direction: direction, links: [], totals: [], selfSlots: [], selfValues: [], childStarts: [0], childIDs: [])
    }
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
    struct Key: Hashable {
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
    /// Per frame id, its class and line side by side: one cache line read per frame of a
    /// path instead of two.
    private(set) var frameInfo: [FrameInfo] = []
    private(set) var classKeys: [Key] = []
    /// Per frame class, its position in sibling order (see `SortName`).
    private(set) var classRank: [Int] = []

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
        frameInfo = zip(frameClass, frameLine).map { FrameInfo(frameClass: $0, line: $1) }
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

    /// ``build(_:paths:)``, also giving the node where each path ends: path `i`'s nodes are
    /// `leaves[i]` and its ancestors, one per frame (root side first top-down, allocating
    /// frame first bottom-up).
    func buildRecording(_ direction: CallTree.Direction, paths: [(frames: [UInt32], costs: Costs)]) -> RecordedCallTree {
        var leaves: [Int32]? = []
        let tree = build(direction, costs: [], paths: paths, leaves: &leaves)
        return RecordedCallTree(tree: tree, leaves: leaves ?? [])
    }

    /// ``buildRecording(_:paths:)`` in both directions, the bottom-up one on another thread,
    /// and the paths' frames, kept once for both.
    func buildBothRecording(paths: [(frames: [UInt32], costs: Costs)])
        -> (topDown: RecordedCallTree, bottomUp: RecordedCallTree, frames: RecordedPaths) {
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
        // Once both trees are built: the builds' walks (8 bytes a frame each) are gone by then.
        return (topDown, bottomUp.move(), RecordedPaths(paths))
    }

    private func build(_ direction: CallTree.Direction, costs: [(stack: UInt32, costs: Costs)],
                       paths: [(frames: [UInt32], costs: Costs)]?) -> CallTree {
        var leaves: [Int32]? = nil
        return build(direction, costs: costs, paths: paths, leaves: &leaves)
    }

    private func build(_ direction: CallTree.Direction, costs: [(stack: UInt32, costs: Costs)],
                       paths: [(frames: [UInt32], costs: Costs)]?, leaves: inout [Int32]?) -> CallTree {
        // Nodes are made as they are found: their links first (28 bytes a node, the only
        // array that grows while the tree is built), their costs once the count is known.
        var links = [CallTree.Link(parent: -1, depth: 0, function: 0, file: 0, module: 0, line: 0, frame: 0)]
        var selfSlots: [Int32] = [-1]
        var selfValues: [Costs] = []
        // At most a node per stack top-down, and one per frame of every costed stack bottom-up
        // (an upper bound, so capped: beyond it the index grows as it fills).
        let bound = if let paths { paths.reduce(0) { $0 + $1.frames.count } }
            else if direction == .topDown { symbols.stackCount }
            else { costs.reduce(0) { $0 + Int(symbols.stackDepths[Int($1.stack)]) } }
        let expected = min(bound, 1 << 18)
        // The arrays of one entry per node are reserved for the bound (capped) at once: a
        // large array is a mapping of its own (MallocPolicy), whose pages count once written,
        // so the room never used costs no memory, while doubling from `expected` held the
        // old array beside the new one (cc1plus's bottom-up links: 29 MB beside 59, at the
        // render's peak) and a copy cut the result to size.
        let reserved = min(bound, Self.reservedNodes)
        links.reserveCapacity(reserved + 1)
        selfSlots.reserveCapacity(reserved + 1)
        selfValues.reserveCapacity(paths?.count ?? costs.count)
        var index = NodeIndex(minimumCapacity: expected)
        let frameInfo = self.frameInfo
        // Per node, the path (or costed stack) that made it, while paths are walked in lanes
        // (see `lanes`): the nodes are numbered as a walk of one path after another numbers
        // them, in the end.
        var creators: [Int32] = [-1]
        creators.reserveCapacity(reserved + 1)
        var creator: Int32 = -1
        var walkedInLanes = false

        // The node of `frameID` under `parent`, at `depth`. A node's smallest line is kept
        // in its index slot while the tree is built (a found node's links are not read: a
        // cache miss per frame of every path), and written to its links at the end.
        @inline(__always) func child(of parent: Int, frameID: UInt32, depth: Int32) -> Int {
            let info = frameInfo[Int(frameID)]
            let (existing, found) = index.findOrInsert(UInt64(parent) << 32 | UInt64(info.frameClass), node: links.count,
                                                      line: info.line)
            if found { return existing }
            let k = classKeys[Int(info.frameClass)]
            links.append(CallTree.Link(parent: Int32(parent), depth: depth, function: k.function,
                                       file: k.file, module: k.module, line: info.line, frame: frameID))
            selfSlots.append(-1)
            creators.append(creator)
            return existing
        }
        func child(of parent: Int, frameID: UInt32) -> Int {
            child(of: parent, frameID: frameID, depth: links[parent].depth + 1)
        }
        @inline(__always) func prefetch(_ parent: Int, _ frameID: UInt32) {
            index.prefetch(UInt64(parent) << 32 | UInt64(frameInfo[Int(frameID)].frameClass))
        }
        func addSelf(_ node: Int, _ cost: Costs) {
            let slot = selfSlots[node]
            if slot >= 0 {
                selfValues[Int(slot)] += cost
            } else {
                selfSlots[node] = Int32(selfValues.count)
                selfValues.append(cost)
            }
        }
        // Paths are walked `lanes` at a time, one step of each per round: a round first asks
        // for the index slots its steps will read, then takes the steps, so the cache misses
        // of a round overlap (a lookup is a miss in an index of millions of nodes, and each
        // step of a path waits for the one before it). Every path of a group takes its step
        // at depth d in round d, in the paths' order, so a node is still made by the first
        // path to reach it, with that path's frame: the tree is the one a walk of one path
        // after another makes (its nodes numbered in another order).
        let lanes = 8
        var laneNodes = [Int](repeating: 0, count: lanes)

        if let paths {
            walkedInLanes = true
            // Every path's steps in the order walked, one path after another: the frames
            // first, each step's node as it is found (path `i`'s steps are
            // `walk[offsets[i]..<offsets[i + 1]]`).
            var offsets = [Int](repeating: 0, count: paths.count + 1)
            for (i, path) in paths.enumerated() { offsets[i + 1] = offsets[i] + path.frames.count }
            var walk = [(node: Int32, frame: UInt32)](repeating: (0, 0), count: offsets[paths.count])
            walk.withUnsafeMutableBufferPointer { walk in
                for (i, path) in paths.enumerated() {
                    let base = offsets[i], count = path.frames.count
                    path.frames.withUnsafeBufferPointer { frames in
                        if direction == .topDown {
                            for j in 0..<count { walk[base + j].frame = frames[count - 1 - j] }
                        } else {
                            for j in 0..<count { walk[base + j].frame = frames[j] }
                        }
                    }
                }
                offsets.withUnsafeBufferPointer { offsets in
                    var first = 0
                    while first < paths.count {
                        let end = min(first + lanes, paths.count)
                        for lane in 0..<(end - first) { laneNodes[lane] = 0 }
                        var j = 0
                        while true {
                            var stepping = false
                            for p in first..<end where offsets[p] + j < offsets[p + 1] {
                                prefetch(laneNodes[p - first], walk[offsets[p] + j].frame)
                                stepping = true
                            }
                            if !stepping { break }
                            for p in first..<end where offsets[p] + j < offsets[p + 1] {
                                let step = offsets[p] + j
                                creator = Int32(p)
                                let node = child(of: laneNodes[p - first], frameID: walk[step].frame, depth: Int32(j + 1))
                                laneNodes[p - first] = node
                                walk[step].node = Int32(node)
                            }
                            j += 1
                        }
                        for p in first..<end { addSelf(laneNodes[p - first], paths[p].costs) }
                        first = end
                    }
                }
            }
            if leaves != nil {
                leaves = (0..<paths.count).map { i in offsets[i + 1] > offsets[i] ? walk[offsets[i + 1] - 1].node : 0 }
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
                addSelf(Int(nodeOfStack[Int(stack)]), cost)
            }
        case .topDown:
            break
        case .bottomUp where paths == nil:
            // A stack's frames innermost first, `lanes` stacks at a time (see `lanes`).
            walkedInLanes = true
            var laneStacks = [Int](repeating: 0, count: lanes)
            symbols.stackParents.withUnsafeBufferPointer { parents in
                symbols.stackFrames.withUnsafeBufferPointer { stackFrames in
                    var first = 0
                    while first < costs.count {
                        let end = min(first + lanes, costs.count)
                        for p in first..<end {
                            laneNodes[p - first] = 0
                            laneStacks[p - first] = Int(costs[p].stack)
                        }
                        var depth: Int32 = 1
                        while true {
                            var stepping = false
                            for lane in 0..<(end - first) where laneStacks[lane] > 0 {
                                prefetch(laneNodes[lane], stackFrames[laneStacks[lane]])
                                stepping = true
                            }
                            if !stepping { break }
                            for lane in 0..<(end - first) where laneStacks[lane] > 0 {
                                let s = laneStacks[lane]
                                creator = Int32(first + lane)
                                laneNodes[lane] = child(of: laneNodes[lane], frameID: stackFrames[s], depth: depth)
                                laneStacks[lane] = Int(parents[s])
                            }
                            depth += 1
                        }
                        for p in first..<end { addSelf(laneNodes[p - first], costs[p].costs) }
                        first = end
                    }
                }
            }
        case .bottomUp:
            break
        }
        // The nodes' smallest lines, kept in the index while it was built.
        index.forEachLine { node, line in links[node].line = line }
        if walkedInLanes && links.count > 2 {
            Self.renumber(&links, &selfSlots, leaves: &leaves, creators: creators)
        }

        index = NodeIndex()  // not needed any more
        creators = []
        // Arrays that outgrew their reservation (doubling, beyond `reservedNodes`), cut to
        // their size before the costs are added up: up to half of a doubled array is spare.
        // Within it, the unused room was never written.
        if links.count > reserved + 1 {
            Self.shrink(&links)
            Self.shrink(&selfSlots)
        }
        return finish(direction, links: links, selfSlots: selfSlots, selfValues: selfValues)
    }

    /// The most nodes a tree's arrays are reserved for at once (4M: 120 MB of links, as
    /// address space only); a bigger tree's arrays double beyond it.
    static let reservedNodes = 1 << 22

    /// `array` with no more room than it needs, when it has much more.
    private static func shrink<T>(_ array: inout [T]) {
        guard array.capacity - array.count > max(4096, array.count / 8) else { return }
        array = array.withUnsafeBufferPointer { Array($0) }
    }

    /// Numbers the nodes as a walk of one path after another does: by the path that made
    /// each (`creators`, the root's -1 first), and within a path by depth, the order in which
    /// a path makes its nodes. Links, own-cost slots and recorded leaves follow.
    private static func renumber(_ links: inout [CallTree.Link], _ selfSlots: inout [Int32],
                                 leaves: inout [Int32]?, creators: [Int32]) {
        let n = links.count
        var paths = 0
        for c in creators where Int(c) + 1 > paths { paths = Int(c) + 1 }
        // Counting sort by creator, stable: the root stays 0.
        var next = [Int32](repeating: 0, count: paths + 1)
        for i in 1..<n { next[Int(creators[i]) + 1] += 1 }
        var total: Int32 = 1
        for p in 0...paths {
            let count = next[p]
            next[p] = total
            total += count
        }
        var newID = [Int32](repeating: 0, count: n)
        for i in 1..<n {
            let c = Int(creators[i]) + 1
            newID[i] = next[c]
            next[c] += 1
        }
        next = []
        for i in 1..<n { links[i].parent = newID[Int(links[i].parent)] }
        if leaves != nil {
            for k in leaves!.indices { leaves![k] = newID[Int(leaves![k])] }
        }
        // Each node to its new place, cycle by cycle (no second array of links).
        for start in 1..<n where newID[start] >= 0 && Int(newID[start]) != start {
            var link = links[start], slot = selfSlots[start]
            var target = Int(newID[start])
            newID[start] = -1
            while true {
                swap(&link, &links[target])
                swap(&slot, &selfSlots[target])
                let following = Int(newID[target])
                newID[target] = -1
                if following < 0 { break }
                target = following
            }
        }
    }

    /// The tree's costs and children, from its links and its nodes' own costs.
    private func finish(_ direction: CallTree.Direction, links: [CallTree.Link], selfSlots: [Int32],
                        selfValues: [Costs]) -> CallTree {
        let n = links.count
        // Children have higher ids than their parents, so one backward sweep sums subtrees.
        var totals = [Costs](repeating: Costs(), count: n)
        for id in 0..<n where selfSlots[id] >= 0 { totals[id] = selfValues[Int(selfSlots[id])] }
        var childStarts = [Int32](repeating: 0, count: n + 1)
        for id in stride(from: n - 1, to: 0, by: -1) {
            let parent = Int(links[id].parent)
            totals[parent] += totals[id]
            childStarts[parent + 1] += 1
        }
        for i in 0..<n { childStarts[i + 1] += childStarts[i] }
        // Each parent's children in id order, then in sibling order (no two siblings share a
        // frame class, so the ranks of siblings differ).
        var childIDs = [Int32](repeating: 0, count: max(0, n - 1))
        var next = childStarts
        for id in 1..<max(1, n) {
            let parent = Int(links[id].parent)
            childIDs[Int(next[parent])] = Int32(id)
            next[parent] += 1
        }
        next = []
        func rank(_ id: Int32) -> Int { classRank[Int(frameClass[Int(links[Int(id)].frame)])] }
        childIDs.withUnsafeMutableBufferPointer { ids in
            for id in 0..<n where childStarts[id + 1] - childStarts[id] > 1 {
                let range = Int(childStarts[id])..<Int(childStarts[id + 1])
                var siblings = UnsafeMutableBufferPointer(rebasing: ids[range])
                siblings.sort { rank($0) < rank($1) }
            }
        }
        return CallTree(direction: direction, links: links, totals: totals, selfSlots: selfSlots, selfValues: selfValues,
                        childStarts: childStarts, childIDs: childIDs)
    }
}

/// A call tree with, per path it was built from, the node where the path ends: the path's
/// nodes are it and its ancestors, one per frame of the path (``RecordedPaths``). Each
/// path's nodes and frames were kept per direction (16 bytes a frame of every path: 74 MB
/// of a compiler's render, held to its end beside the views' trees).
struct RecordedCallTree: Sendable {
    var tree: CallTree
    /// Per path, its last node (the root for a path without frames).
    var leaves: [Int32]
}

/// The frames of the paths a ``RecordedCallTree`` was built from, innermost first, for both
/// directions: path `i`'s are `frames[starts[i]..<starts[i + 1]]`.
struct RecordedPaths: Sendable {
    var frames: [UInt32]
    var starts: [Int]

    init(_ paths: [(frames: [UInt32], costs: Costs)]) {
        starts = [0]
        starts.reserveCapacity(paths.count + 1)
        for path in paths { starts.append(starts[starts.count - 1] + path.frames.count) }
        frames = []
        frames.reserveCapacity(starts[paths.count])
        for path in paths { frames.append(contentsOf: path.frames) }
    }
}

/// Node ids by their parent's id and frame class: open addressing with each key beside its
/// node in one 16-byte slot, so a lookup touches one cache line (an `IntegerMap` keeps keys
/// and values in two arrays, 24 bytes a slot; the bottom-up tree of the 10M benchmark,
/// 99,000 nodes, took 27 ms to build with it and 22 ms with this).
private struct NodeIndex {
    private struct Slot {
        /// The key plus one; 0 marks an empty slot.
        var key: UInt64 = 0
        var node: Int32 = 0
        /// The node's smallest source line so far (0: unknown).
        var line: UInt32 = 0
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

    /// The node of `key`, found (its smallest line lowered to `line` when that is smaller
    /// and known); or `node`, inserted for it with `line`.
    mutating func findOrInsert(_ key: UInt64, node: Int, line: UInt32) -> (node: Int, found: Bool) {
        let stored = key &+ 1
        var i = Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let k = slots[i].key
            if k == stored {
                let known = slots[i].line
                if line != 0 && (known == 0 || line < known) { slots[i].line = line }
                return (Int(slots[i].node), true)
            }
            if k == 0 { break }
            i = (i + 1) & mask
        }
        // Grown past three quarters full (not half): the index of a tree of a million nodes
        // and its grown copy were 96 MB at once; a miss probes a few more slots.
        if (count + 1) * 4 > slots.count * 3 {
            grow()
            return findOrInsert(key, node: node, line: line)
        }
        slots[i] = Slot(key: stored, node: Int32(truncatingIfNeeded: node), line: line)
        count += 1
        return (node, false)
    }

    /// Asks for the cache line of `key`'s first probe (a hint: no result changes).
    @inline(__always) func prefetch(_ key: UInt64) {
        let i = Int(truncatingIfNeeded: ((key &+ 1) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        slots.withUnsafeBufferPointer { ms_prefetch_for_read($0.baseAddress! + i) }
    }

    /// Calls `body` with every node and its smallest line.
    func forEachLine(_ body: (Int, UInt32) -> Void) {
        for slot in slots where slot.key != 0 { body(Int(slot.node), slot.line) }
    }

    private mutating func grow() {
        let old = slots
        self = NodeIndex(minimumCapacity: old.count)
        for slot in old where slot.key != 0 { _ = findOrInsert(slot.key &- 1, node: Int(slot.node), line: slot.line) }
    }
}

/// A frame's class of equal frames and its source line.
struct FrameInfo {
    var frameClass: UInt32
    var line: UInt32
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
