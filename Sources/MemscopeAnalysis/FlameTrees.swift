import MemscopeModel

/// What a flamegraph reads of a call tree, and how it chooses its nodes: the parameters of
/// `FlameGraphBuilder` (MemscopeLayout) that decide which nodes it visits.
public struct FlameTreeNeeds: Sendable, Equatable {
    /// The graph's most nodes (`FlameGraphOptions.maxNodes`).
    public var maxNodes: Int
    /// Its smallest fraction (`FlameGraphOptions.minimumFraction`).
    public var minimumFraction: Double
    /// Its deepest row (`FlameGraphOptions.maxDepth`).
    public var maxDepth: Int

    public init(maxNodes: Int, minimumFraction: Double, maxDepth: Int) {
        self.maxNodes = maxNodes
        self.minimumFraction = minimumFraction
        self.maxDepth = maxDepth
    }
}

extension Analysis {
    /// The parts of this analysis's unfiltered call trees (as ``rebuildCallTrees()`` builds
    /// them from the sites) that a flamegraph with `needs` reads: every node whose share
    /// (its largest fraction of a cost's total) may reach the graph's fraction, with each
    /// one's children; the rest of the tree is left out. A flamegraph of these trees is the
    /// one of the whole trees, built for a fraction of their cost.
    ///
    /// The graph keeps the nodes whose share reaches the `maxNodes / 2`-th largest share (or
    /// its smallest fraction), and reads their children. Shares never grow from a parent to
    /// its children, so the nodes are found largest share first, each one's children made
    /// when it is taken: the `maxNodes / 2`-th one taken has that share, and every node
    /// within half of the graph's fraction is taken after it (half: a margin for the
    /// rounding of the graph's own comparison). The whole trees of a compiler's dump have
    /// millions of nodes (their bottom-up one is built one lookup per frame of every stack);
    /// a flamegraph of the run's every frame, one of the report's views, reads a few thousand.
    public func flameCallTrees(_ needs: FlameTreeNeeds) -> (topDown: CallTree, bottomUp: CallTree) {
        let builder = CallTreeBuilder(symbols: symbols)
        // Each site's frames, innermost first.
        var offsets = [Int](repeating: 0, count: sites.count + 1)
        // By index: a site copied out of its array retains its arrays.
        for i in sites.indices {
            let stack = Int(sites[i].stack)
            offsets[i + 1] = offsets[i] + (stack < symbols.stackDepths.count ? Int(symbols.stackDepths[stack]) : 0)
        }
        var innermostFirst = [UInt32](repeating: 0, count: offsets[sites.count])
        var outermostFirst = innermostFirst
        for i in sites.indices {
            var s = Int(sites[i].stack)
            var k = offsets[i]
            let end = offsets[i + 1]
            while s > 0 && k < end {
                innermostFirst[k] = symbols.stackFrames[s]
                outermostFirst[offsets[i] + end - 1 - k] = symbols.stackFrames[s]
                s = Int(symbols.stackParents[s])
                k += 1
            }
        }
        let costs = sites.map(\.costs)
        return (builder.partialTree(.topDown, frames: outermostFirst, offsets: offsets, costs: costs, needs: needs),
                builder.partialTree(.bottomUp, frames: innermostFirst, offsets: offsets, costs: costs, needs: needs))
    }
}

extension CallTreeBuilder {
    /// The part of the tree of `paths` (path `i`'s frames, in the order walked from the root,
    /// are `frames[offsets[i]..<offsets[i + 1]]`, its costs `costs[i]`) that a flamegraph
    /// with `needs` reads (see ``Analysis/flameCallTrees(_:)``): the same nodes, totals,
    /// lines, first frames and sibling order as ``build(_:paths:)`` gives them; nodes not
    /// taken have no children, and no node has costs of its own.
    func partialTree(_ direction: CallTree.Direction, frames: [UInt32], offsets: [Int], costs: [Costs],
                     needs: FlameTreeNeeds) -> CallTree {
        let pathCount = costs.count
        var links = [CallTree.Link(parent: -1, depth: 0, function: 0, file: 0, module: 0, line: 0, frame: 0)]
        var rootTotal = Costs()
        for c in costs { rootTotal += c }
        var totals = [rootTotal]
        // Each node's paths, in order: node `i`'s are `members[memberStarts[i]..<memberEnds[i]]`,
        // each with its frame at the node's children's depth (``Member``), so that a node
        // taken reads its paths one after another, not each path's frames where they lie.
        var members: [Member] = []
        members.reserveCapacity(pathCount)
        for p in 0..<pathCount {
            let start = offsets[p], end = offsets[p + 1]
            members.append(Member(path: Int32(p), step: UInt32(start), left: UInt32(end - start), frame: end > start ? frames[start] : 0))
        }
        var memberStarts = [0], memberEnds = [pathCount]
        // Each taken node's children, in sibling order.
        var children: [[Int32]] = [[]]
        let inverse = FlameTreeNeeds.inverseTotals(rootTotal)
        func share(_ c: Costs) -> Double {
            max(Double(c.bytesAllocated) * inverse[0], Double(c.allocations) * inverse[1], Double(c.peakBytes) * inverse[2],
                Double(c.leakedBytes) * inverse[3], Double(c.temporaryAllocations) * inverse[4])
        }
        // Per frame class, its child of the node being taken (-1: none yet).
        var childOfClass = [Int32](repeating: -1, count: classKeys.count)
        // Per path of the node being taken, the child it goes to (-1: it ends here).
        var childOfMember: [Int32] = []
        var heap = ShareHeap()

        /// Makes the children of `node` (at `depth`) from its paths, and queues those that
        /// a graph may count (a share, within its rows).
        func take(_ node: Int) {
            let depth = Int(links[node].depth)
            var made: [Int32] = []
            var counts: [Int] = []
            let range = memberStarts[node]..<memberEnds[node]
            childOfMember.removeAll(keepingCapacity: true)
            for k in range {
                let member = members[k]
                guard member.left > 0 else {
                    childOfMember.append(-1)
                    continue
                }
                let p = Int(member.path)
                let info = frameInfo[Int(member.frame)]
                let known = childOfClass[Int(info.frameClass)]
                if known >= 0 {
                    let c = Int(known)
                    childOfMember.append(known)
                    totals[c] += costs[p]
                    counts[c - Int(made[0])] += 1  // made one after another, from made[0]
                    let line = links[c].line
                    if info.line != 0 && (line == 0 || info.line < line) { links[c].line = info.line }
                    continue
                }
                let c = links.count
                childOfClass[Int(info.frameClass)] = Int32(c)
                childOfMember.append(Int32(c))
                let key = classKeys[Int(info.frameClass)]
                links.append(CallTree.Link(parent: Int32(node), depth: Int32(depth + 1), function: key.function, file: key.file,
                                           module: key.module, line: info.line, frame: member.frame))
                totals.append(costs[p])
                children.append([])
                made.append(Int32(c))
                counts.append(1)
            }
            guard !made.isEmpty else { return }
            // The children's paths, each child's together and in order, one step further on.
            var next = members.count
            for (i, c) in made.enumerated() {
                memberStarts.append(next)
                next += counts[i]
                memberEnds.append(memberStarts[Int(c)])
            }
            members.append(contentsOf: repeatElement(Member(path: 0, step: 0, left: 0, frame: 0), count: next - members.count))
            for (i, k) in range.enumerated() {
                let c = Int(childOfMember[i])
                guard c >= 0 else { continue }
                let member = members[k]
                let step = member.step + 1, left = member.left - 1
                members[memberEnds[c]] = Member(path: member.path, step: step, left: left, frame: left > 0 ? frames[Int(step)] : 0)
                memberEnds[c] += 1
            }
            for c in made { childOfClass[Int(frameInfo[Int(links[Int(c)].frame)].frameClass)] = -1 }
            children[node] = made.sorted { classRank[Int(frameInfo[Int(links[Int($0)].frame)].frameClass)]
                < classRank[Int(frameInfo[Int(links[Int($1)].frame)].frameClass)] }
            guard depth + 1 <= needs.maxDepth else { return }
            for c in made {
                let s = share(totals[Int(c)])
                if s > 0 { heap.push(s, Int(c)) }
            }
        }

        take(0)
        // The `keep`-th largest share, and so the graph's fraction.
        let keep = max(1, needs.maxNodes / 2)
        var taken = 0
        var kth = 0.0
        while taken < keep, let item = heap.pop() {
            take(item.node)
            taken += 1
            kth = item.share
        }
        // More shares than `keep`: the graph's fraction is just above the keep-th; else its smallest.
        let fraction = max(needs.minimumFraction, taken == keep && !heap.isEmpty ? kth.nextUp : 0)
        while let top = heap.peek, top >= fraction / 2, let item = heap.pop() { take(item.node) }

        // The tree: children after their parents already (made in that order).
        let n = links.count
        var childStarts = [Int32](repeating: 0, count: n + 1)
        var childIDs: [Int32] = []
        for i in 0..<n {
            childStarts[i] = Int32(childIDs.count)
            childIDs.append(contentsOf: children[i])
        }
        childStarts[n] = Int32(childIDs.count)
        return CallTree(direction: direction, links: links, totals: totals, selfSlots: Array(repeating: -1, count: n),
                        selfValues: [], childStarts: childStarts, childIDs: childIDs)
    }
}

extension FlameTreeNeeds {
    /// Per cost (bytes allocated, allocations, peak, leaked, temporary: the flamegraph's
    /// order), one over the root's total, or 0 for a cost with none.
    static func inverseTotals(_ root: Costs) -> [Double] {
        [root.bytesAllocated, root.allocations, root.peakBytes, root.leakedBytes, root.temporaryAllocations]
            .map { $0 == 0 ? 0 : 1 / Double($0) }
    }
}

/// A path of a node being made: its index, its step (in the frames walked) at the node's
/// children's depth, the frames it has left from there, and the frame of that step.
private struct Member {
    var path: Int32
    var step: UInt32
    var left: UInt32
    var frame: UInt32
}

/// Nodes by share, largest first (a binary heap).
private struct ShareHeap {
    private var items: [(share: Double, node: Int)] = []

    var isEmpty: Bool { items.isEmpty }
    var peek: Double? { items.first?.share }

    mutating func push(_ share: Double, _ node: Int) {
        items.append((share, node))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent].share < items[i].share else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> (share: Double, node: Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var largest = i
                if l < items.count && items[l].share > items[largest].share { largest = l }
                if r < items.count && items[r].share > items[largest].share { largest = r }
                if largest == i { break }
                items.swapAt(i, largest)
                i = largest
            }
        }
        return top
    }
}
