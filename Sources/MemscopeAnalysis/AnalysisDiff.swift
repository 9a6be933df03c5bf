import MemscopeModel

/// Two analyses of the same program compared: headline deltas, per-site deltas and a
/// merged calling-context tree. Sites and frames are matched by name (function, file,
/// module), not by id, so dumps from different runs and formats compare.
public struct AnalysisDiff: Sendable {
    public struct Metric: Sendable, Equatable {
        public var name: String
        public var base: UInt64
        public var new: UInt64
        public var isBytes: Bool
        public var delta: Int64 { Int64(clamping: new) &- Int64(clamping: base) }
        /// Change in percent of the base; nil when the base is 0.
        public var percent: Double? { base == 0 ? nil : Double(delta) / Double(base) * 100 }
    }

    public struct Site: Sendable, Equatable {
        /// Frames innermost first, as `function (file:line) [module]` of the run that has it.
        public var frames: [String]
        public var title: String
        public var base: Costs
        public var new: Costs

        /// The largest change in bytes: allocated, at peak or leaked.
        public var change: UInt64 {
            func delta(_ a: UInt64, _ b: UInt64) -> UInt64 { a > b ? a - b : b - a }
            return max(delta(base.bytesAllocated, new.bytesAllocated), delta(base.peakBytes, new.peakBytes),
                       delta(base.leakedBytes, new.leakedBytes))
        }
    }

    /// A node of the merged top-down tree.
    public struct Node: Sendable, Equatable {
        public var parent: Int
        public var depth: Int
        public var name: String
        public var base: Costs
        public var new: Costs
        public var children: [Int]
    }

    public var metrics: [Metric]
    /// Every site present in either run, largest change first (bytes allocated, at peak or leaked).
    public var sites: [Site]
    /// Node 0 is the root.
    public var tree: [Node]

    public init(base: Analysis, new: Analysis) {
        let b = base.totals, n = new.totals
        metrics = [
            Metric(name: "allocations", base: b.allocations, new: n.allocations, isBytes: false),
            Metric(name: "bytes_allocated", base: b.bytesAllocated, new: n.bytesAllocated, isBytes: true),
            Metric(name: "peak_bytes", base: b.peakBytes, new: n.peakBytes, isBytes: true),
            Metric(name: "leaked_bytes", base: b.leakedBytes, new: n.leakedBytes, isBytes: true),
            Metric(name: "leaked_blocks", base: b.leakedBlocks, new: n.leakedBlocks, isBytes: false),
            Metric(name: "temporary_allocations", base: b.temporaryAllocations, new: n.temporaryAllocations, isBytes: false),
            Metric(name: "frees", base: b.frees, new: n.frees, isBytes: false),
            Metric(name: "threads", base: b.threads, new: n.threads, isBytes: false),
            Metric(name: "errors", base: b.errors, new: n.errors, isBytes: false),
            Metric(name: "duration_ns", base: b.durationNanoseconds, new: n.durationNanoseconds, isBytes: false),
        ]
        sites = Self.matchSites(base, new)
        tree = Self.mergeTrees(base, new)
    }

    /// A site's identity across runs: its frames' names, innermost first; a frame without
    /// a name by its module's build id and offset, so stripped code matches across runs
    /// and machines whatever the load address or the module's path.
    static func key(_ a: Analysis, _ stack: UInt32) -> [String] {
        a.symbols.frames(ofStack: stack).map { frame in
            let f = a.symbols.frame(frame)
            if f.function == 0, f.moduleOffset != nil { return a.symbols.stableCodeKey(ofFrame: frame) }
            return "\(a.symbols.displayName(ofFrame: frame))\u{1}\(a.symbols.string(f.file))\u{1}\(a.symbols.string(f.module))"
        }
    }

    static func matchSites(_ base: Analysis, _ new: Analysis) -> [Site] {
        var index: [[String]: Int] = [:]
        var sites: [Site] = []
        for (analysis, isNew) in [(base, false), (new, true)] {
            for site in analysis.sites {
                let k = key(analysis, site.stack)
                let i: Int
                if let known = index[k] {
                    i = known
                } else {
                    i = sites.count
                    index[k] = i
                    sites.append(Site(frames: analysis.describeStack(site.stack), title: analysis.siteTitle(site.stack),
                                      base: Costs(), new: Costs()))
                }
                if isNew { sites[i].new += site.costs } else { sites[i].base += site.costs }
            }
        }
        return sites.sorted { a, b in
            let (ca, cb) = (a.change, b.change)
            return ca != cb ? ca > cb : a.title < b.title
        }
    }

    static func mergeTrees(_ base: Analysis, _ new: Analysis) -> [Node] {
        var nodes = [Node(parent: -1, depth: 0, name: "all", base: base.topDown.nodes[0].totalCosts,
                          new: new.topDown.nodes[0].totalCosts, children: [])]
        var index: [String: Int] = [:]
        for (analysis, isNew) in [(base, false), (new, true)] {
            let tree = analysis.topDown
            var map = [Int](repeating: 0, count: tree.nodes.count)
            for i in 1..<max(1, tree.nodes.count) {
                let node = tree.nodes[i]
                let parent = map[node.parent]
                let name = analysis.symbols.displayName(ofFrame: node.frame)
                let k = "\(parent)\u{1}\(name)\u{1}\(analysis.symbols.string(node.file))\u{1}\(analysis.symbols.string(node.module))"
                let merged: Int
                if let known = index[k] {
                    merged = known
                } else {
                    merged = nodes.count
                    index[k] = merged
                    nodes.append(Node(parent: parent, depth: nodes[parent].depth + 1, name: name, base: Costs(), new: Costs(), children: []))
                    nodes[parent].children.append(merged)
                }
                if isNew { nodes[merged].new += node.totalCosts } else { nodes[merged].base += node.totalCosts }
                map[i] = merged
            }
        }
        let names = nodes.map(\.name)
        for i in nodes.indices { nodes[i].children.sort { names[$0] < names[$1] } }
        return nodes
    }
}
