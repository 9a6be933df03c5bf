import Foundation
import MemscopeModel

/// Which frames a flamegraph shows. Figures are never filtered: a filter only reshapes
/// the call trees (dropping frames, or whole sites when filtering sites in or out).
public struct FrameFilter: Sendable, Equatable {
    /// Drop allocator, wrapper and runtime frames at the allocating end (malloc wrappers,
    /// `operator new`, Rust `alloc::`, C++ `std::`, Swift runtime, the analysis'
    /// ``AllocatorFrames``), so each stack ends at the code that asked for memory. Default: true.
    public var hideRuntimeFrames: Bool
    /// Drop the frames above `main` and a thread's entry (`_start`, `__libc_start_main`,
    /// `start_thread`, `clone3`…); when `main` has no symbol, from libc's caller of main
    /// up. Default: true.
    public var stopAtMain: Bool
    /// Merge directly recursive calls of one function into one frame. Default: false.
    public var collapseRecursion: Bool
    /// Drop frames whose module path contains one of these strings.
    public var excludeModules: [String]
    /// Keep only sites with a frame (function or file) matching this regular expression.
    public var include: String?
    /// Drop sites with a frame (function or file) matching this regular expression.
    public var exclude: String?

    public init(hideRuntimeFrames: Bool = true, stopAtMain: Bool = true, collapseRecursion: Bool = false,
                excludeModules: [String] = [], include: String? = nil, exclude: String? = nil) {
        self.hideRuntimeFrames = hideRuntimeFrames
        self.stopAtMain = stopAtMain
        self.collapseRecursion = collapseRecursion
        self.excludeModules = excludeModules
        self.include = include
        self.exclude = exclude
    }

    /// Shows every frame.
    public static let none = FrameFilter(hideRuntimeFrames: false, stopAtMain: false)

    static let entryFrames: Set<String> = [
        "_start", "__libc_start_main", "__libc_start_main_impl", "__libc_start_call_main", "start_thread", "clone3",
        "clone", "__clone", "__clone3", "thread_start", "__pthread_start",
        "std::sys::pal::unix::thread::Thread::new::thread_start", "std::sys::thread::unix::Thread::new::thread_start",
        "std::sys::unix::thread::Thread::new::thread_start",
    ]

    /// A human description of what is hidden, for the report.
    public var description: String {
        var parts: [String] = []
        if hideRuntimeFrames { parts.append("allocator and runtime frames hidden") }
        if stopAtMain { parts.append("frames above main and thread entries hidden") }
        if collapseRecursion { parts.append("recursion collapsed") }
        if !excludeModules.isEmpty { parts.append("modules hidden: \(excludeModules.joined(separator: ", "))") }
        if let include { parts.append("only sites matching /\(include)/") }
        if let exclude { parts.append("sites matching /\(exclude)/ left out") }
        return parts.isEmpty ? "all frames shown" : parts.joined(separator: "; ")
    }

    /// Throws when a regular expression does not compile.
    public func validate() throws {
        for pattern in [include, exclude].compactMap({ $0 }) { _ = try NSRegularExpression(pattern: pattern) }
    }

    /// The analysis with its call trees rebuilt through the filter (figures unchanged).
    public func apply(to analysis: Analysis) -> Analysis {
        var filtered = analysis
        apply(to: &filtered)
        return filtered
    }

    /// Rebuilds the analysis' call trees through the filter (figures unchanged). The old
    /// trees are let go before the new ones are built, so when the caller holds the only
    /// copy, two pairs of trees are never in memory at once.
    public func apply(to analysis: inout Analysis) {
        guard self != .none else { return }
        let paths = sitePaths(analysis).map { (frames: $0.frames, costs: analysis.sites[$0.site].costs) }
        let builder = CallTreeBuilder(symbols: analysis.symbols)
        analysis.releaseCallTrees()
        (analysis.topDown, analysis.bottomUp) = builder.buildBoth(paths: paths)
    }

    /// ``apply(to:)-(Analysis)``, also giving the filtered trees' paths for the views of the
    /// run (``SharedViewTrees``): their trees are then drawn on these (nil: no filter).
    public func applyForViews(to analysis: inout Analysis) -> SharedViewTrees.RunTrees? {
        guard self != .none else { return nil }
        let sitePaths = sitePaths(analysis)
        let paths = sitePaths.map { (frames: $0.frames, costs: analysis.sites[$0.site].costs) }
        let builder = CallTreeBuilder(symbols: analysis.symbols)
        analysis.releaseCallTrees()
        let (topDown, bottomUp, frames) = builder.buildBothRecording(paths: paths)
        (analysis.topDown, analysis.bottomUp) = (topDown.tree, bottomUp.tree)
        var pathOfStack = [Int32](repeating: SharedViewTrees.absent, count: analysis.symbols.stackParents.count)
        // By index here and below: a site copied out of its array retains its arrays.
        for i in analysis.sites.indices where Int(analysis.sites[i].stack) < pathOfStack.count {
            pathOfStack[Int(analysis.sites[i].stack)] = SharedViewTrees.leftOut
        }
        for (path, entry) in sitePaths.enumerated() {
            let stack = Int(analysis.sites[entry.site].stack)
            if stack < pathOfStack.count { pathOfStack[stack] = Int32(path) }
        }
        return SharedViewTrees.RunTrees(allocatorFrames: analysis.allocatorFrames, strings: analysis.symbols.strings,
                                        shared: SharedViewTrees.Shared(allocatorFrames: analysis.allocatorFrames, topDown: topDown,
                                                                       bottomUp: bottomUp, paths: frames, pathOfStack: pathOfStack))
    }

    /// Each site's frames as the filtered trees show them (innermost first), by index in
    /// ``Analysis/sites``; sites the filter leaves out are not listed.
    func sitePaths(_ analysis: Analysis) -> [(site: Int, frames: [UInt32])] {
        let regexes = Regexes(self)
        return analysis.sites.indices.compactMap { index in
            frames(ofStack: analysis.sites[index].stack, in: analysis, regexes: regexes).map { (index, $0) }
        }
    }

    /// The include and exclude expressions, compiled, and what the filter found of each
    /// frame's name so far. One is used with one symbol table.
    struct Regexes {
        var include: NSRegularExpression?
        var exclude: NSRegularExpression?
        let facts = FrameFacts()

        init(_ filter: FrameFilter) {
            include = filter.include.flatMap { try? NSRegularExpression(pattern: $0) }
            exclude = filter.exclude.flatMap { try? NSRegularExpression(pattern: $0) }
        }
    }

    /// A stack's frames as the filtered trees show them (innermost first), or nil when the
    /// filter leaves its site out. Depends on the stack, the symbols and the analysis'
    /// allocator frames only.
    func frames(ofStack stack: UInt32, in analysis: Analysis, regexes: Regexes) -> [UInt32]? {
        let symbols = analysis.symbols
        let facts = regexes.facts
        func has(_ frame: UInt32, _ fact: FrameFacts.Fact) -> Bool {
            facts.has(frame, fact, symbols: symbols, regexes: regexes)
        }
        do {
            var frames = symbols.frames(ofStack: stack)  // innermost first
            if regexes.include != nil, !frames.contains(where: { has($0, .matchesInclude) }) { return nil }
            if regexes.exclude != nil, frames.contains(where: { has($0, .matchesExclude) }) { return nil }
            if stopAtMain {
                if let main = frames.firstIndex(where: { has($0, .isMain) }) {
                    frames = Array(frames[...main])
                } else if let entry = frames.firstIndex(where: { has($0, .isEntry) }), entry > 0 {
                    // No `main` symbol (a stripped program): its caller in libc, or a thread's
                    // entry, and everything above it go.
                    frames = Array(frames[..<entry])
                }
                // Then language start-up code: between main and the program's own main
                // (Rust's std::rt::lang_start… down to crate::main), only where such an inner
                // main exists (C++'s main calling through std::function keeps both frames);
                // or at a thread's root, down to the thread's own function.
                let startsAtMain = frames.last.map { has($0, .isMain) } ?? false
                let stripStartup = !startsAtMain || frames.dropLast().contains { has($0, .isSomeMain) }
                while stripStartup, frames.count > 1, let last = frames.last {
                    let nextIsRuntime = has(frames[frames.count - 2], .isRuntime)
                    guard has(last, .isEntry) || has(last, .isRuntime) || (has(last, .isMain) && nextIsRuntime) else { break }
                    frames.removeLast()
                }
            }
            if hideRuntimeFrames {
                while frames.count > 1, analysis.isAllocatorFrame(frames[0]) { frames.removeFirst() }
            }
            if !excludeModules.isEmpty {
                let kept = frames.filter { frame in
                    let module = symbols.string(symbols.frame(frame).module)
                    return !excludeModules.contains { module.contains($0) }
                }
                if !kept.isEmpty { frames = kept }
            }
            if collapseRecursion {
                var collapsed: [UInt32] = []
                for frame in frames where collapsed.last.map({ symbols.displayName(ofFrame: $0) != symbols.displayName(ofFrame: frame) }) ?? true {
                    collapsed.append(frame)
                }
                frames = collapsed
            }
            return frames
        }
    }
}

/// The call trees of the views of one run (``Analysis/viewAnalysis(costs:options:)``, its
/// threads and time windows) through one frame filter, as ``FrameFilter/apply(to:)-(Analysis)``
/// gives them: the tree builder is made once for all views, and each stack's filtered frames
/// are found once for all views whose allocator frames are classified alike.
public final class ViewTrees {
    private let filter: FrameFilter
    private let builder: CallTreeBuilder
    private let regexes: FrameFilter.Regexes
    /// Per classification of allocator frames, each stack's filtered frames (nil: left out).
    private var caches: [(frames: AllocatorFrames, paths: [UInt32: [UInt32]?])] = []

    /// - Parameter symbols: the run's symbols, as its views hold them.
    public init(filter: FrameFilter, symbols: SymbolTable) {
        self.filter = filter
        builder = CallTreeBuilder(symbols: symbols)
        regexes = FrameFilter.Regexes(filter)
    }

    /// Builds the call trees of `view` (a view of the run whose symbols this was made with)
    /// from its sites, through the filter.
    public func apply(to view: inout Analysis) {
        view.releaseCallTrees()
        guard filter != .none else {
            (view.topDown, view.bottomUp) = builder.buildBoth(costs: view.sites.map { (stack: $0.stack, costs: $0.costs) })
            return
        }
        let k: Int
        if let found = caches.firstIndex(where: { $0.frames.classifiesAlike(view.allocatorFrames) }) {
            k = found
        } else {
            caches.append((view.allocatorFrames, [:]))
            k = caches.count - 1
        }
        var paths: [(frames: [UInt32], costs: Costs)] = []
        paths.reserveCapacity(view.sites.count)
        for site in view.sites {
            let frames: [UInt32]?
            if let known = caches[k].paths[site.stack] {
                frames = known
            } else {
                frames = filter.frames(ofStack: site.stack, in: view, regexes: regexes)
                caches[k].paths[site.stack] = .some(frames)
            }
            if let frames { paths.append((frames, site.costs)) }
        }
        (view.topDown, view.bottomUp) = builder.buildBoth(paths: paths)
    }
}

/// A view's call tree in one direction, on the nodes of a tree shared by the views
/// (``SharedViewTrees``): the view's costs, lines and frames per shared node, as a tree of
/// the view alone would have them (nodes the view does not reach cost nothing).
///
/// Its per-node figures are in a buffer, which goes back to the shared trees' pool when this
/// tree is let go: the next view takes it with only the nodes this one reached cleared.
public final class ViewCallTree: @unchecked Sendable {
    /// The shared tree; its costs, lines and frames are not the view's.
    public let shared: CallTree
    /// The depth of the shared tree's deepest node: when it is within a flamegraph's rows, the
    /// graph need not read each node's depth (a cache miss per node, the views' nodes being
    /// scattered over the shared tree).
    public let deepest: Int
    private let buffer: ViewTreeBuffer
    private let pool: ViewTreeBuffer.Pool
    // The buffer's storage, which does not move while this tree holds it.
    private let slotPlusOne: UnsafeMutablePointer<Int32>
    private let totals: UnsafeMutablePointer<Costs>
    private let lines: UnsafeMutablePointer<UInt32>
    private let frames: UnsafeMutablePointer<UInt32>

    init(shared: CallTree, deepest: Int, buffer: ViewTreeBuffer, pool: ViewTreeBuffer.Pool) {
        self.shared = shared
        self.deepest = deepest
        self.buffer = buffer
        self.pool = pool
        slotPlusOne = buffer.slotPlusOne
        totals = buffer.totals
        lines = buffer.lines
        frames = buffer.frames
    }

    deinit {
        pool.giveBack(buffer)
    }

    /// The view's costs of node `i` and everything below it (zero for a node it does not reach).
    @inline(__always) public func totalCosts(_ i: Int) -> Costs {
        let slot = slotPlusOne[i]
        return slot == 0 ? Costs() : totals[Int(slot) - 1]
    }
    /// The smallest source line of the view's frames at node `i` (0: unknown).
    @inline(__always) public func line(_ i: Int) -> UInt32 {
        let slot = slotPlusOne[i]
        return slot == 0 ? 0 : lines[Int(slot) - 1]
    }
    /// The first of the view's frames found at node `i`.
    @inline(__always) public func frame(_ i: Int) -> UInt32 {
        let slot = slotPlusOne[i]
        return slot == 0 ? 0 &- 1 : frames[Int(slot) - 1]
    }
    /// The nodes the view reaches, the root aside, in no particular order.
    public var reached: [Int32] { buffer.touched }
}

/// Per-node figures of one view's tree, for a shared tree of `count` nodes: per shared node
/// only its slot (4 bytes), and the figures (56 bytes) per node the view reaches, in the
/// order reached. A window's view reaches a few of the shared tree's nodes, scattered over
/// it: figures per shared node (a compiler's bottom-up tree has a million nodes) had most
/// of their pages written for each buffer, about 100 MB more at the render's peak.
final class ViewTreeBuffer: @unchecked Sendable {
    let count: Int
    /// Per shared node, its slot in the figures plus one; 0: not reached. The root is slot 0.
    let slotPlusOne: UnsafeMutablePointer<Int32>
    /// Per slot: the costs, the smallest line, the first frame found.
    private(set) var totals: UnsafeMutablePointer<Costs>
    private(set) var lines: UnsafeMutablePointer<UInt32>
    private(set) var frames: UnsafeMutablePointer<UInt32>
    private(set) var capacity: Int
    /// The slots in use (the root's included).
    private(set) var used = 1
    /// The shared nodes reached, the root aside: slot `k + 1` is `touched[k]`'s.
    var touched: [Int32] = []

    init(count: Int) {
        self.count = count
        let n = max(1, count)
        slotPlusOne = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        slotPlusOne.initialize(repeating: 0, count: n)
        capacity = min(n, 4096)
        totals = UnsafeMutablePointer<Costs>.allocate(capacity: capacity)
        lines = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        frames = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
        slotPlusOne[0] = 1
        totals[0] = Costs()
        lines[0] = 0
        frames[0] = 0  // the root's frame
    }

    /// A new slot for shared node `node`, reached first with `frame` at `line`, its costs zero.
    @inline(__always) func add(_ node: Int, frame: UInt32, line: UInt32) -> Int {
        if used == capacity { grow() }
        let slot = used
        used += 1
        totals[slot] = Costs()
        lines[slot] = line
        frames[slot] = frame
        slotPlusOne[node] = Int32(slot + 1)
        touched.append(Int32(node))
        return slot
    }

    private func grow() {
        let larger = capacity * 2
        func moved<T>(_ old: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: larger)
            new.moveInitialize(from: old, count: used)
            old.deallocate()
            return new
        }
        totals = moved(totals)
        lines = moved(lines)
        frames = moved(frames)
        capacity = larger
    }

    /// Back to the root alone, clearing only the nodes reached.
    func clear() {
        totals[0] = Costs()
        lines[0] = 0
        for node in touched { slotPlusOne[Int(node)] = 0 }
        touched.removeAll(keepingCapacity: true)
        used = 1
    }

    deinit {
        slotPlusOne.deallocate()
        totals.deallocate()
        lines.deallocate()
        frames.deallocate()
    }

    /// Buffers given back by the views drawn, cleared, for the next views (at most one per
    /// view drawn at a time, two directions each: as many as a buffer per view had alive at once).
    final class Pool: @unchecked Sendable {
        private let lock = NSLock()
        private var spare: [ViewTreeBuffer] = []

        /// A cleared buffer of `count` nodes: a given-back one when there is one.
        func take(count: Int) -> ViewTreeBuffer {
            lock.lock()
            let found = spare.lastIndex { $0.count == count }.map { spare.remove(at: $0) }
            lock.unlock()
            return found ?? ViewTreeBuffer(count: count)
        }

        func freeSpare() {
            lock.lock()
            spare = []
            lock.unlock()
        }

        func giveBack(_ buffer: ViewTreeBuffer) {
            buffer.clear()
            lock.lock()
            spare.append(buffer)
            lock.unlock()
        }
    }
}

/// The call trees of the views of one run (``Analysis/viewAnalysis(costs:options:)``, its
/// threads and time windows) through one frame filter, as ``FrameFilter/apply(to:)-(Analysis)``
/// would give them, without a tree per view: the views' sites are put once into one tree
/// per direction (per classification of allocator frames, usually one), each path's last node
/// remembered, and a view's tree is its sites' costs summed along their paths.
public final class SharedViewTrees: @unchecked Sendable {
    struct Shared {
        let allocatorFrames: AllocatorFrames
        var topDown: RecordedCallTree
        var bottomUp: RecordedCallTree
        /// The frames of each path, innermost first.
        let paths: RecordedPaths
        /// Per stack id, its path's index, or ``leftOut`` (by the filter) or ``absent`` (in no view).
        let pathOfStack: [Int32]
        /// The depth of each tree's deepest node (``ViewCallTree/deepest``).
        let deepest: (topDown: Int, bottomUp: Int)

        init(allocatorFrames: AllocatorFrames, topDown: RecordedCallTree, bottomUp: RecordedCallTree, paths: RecordedPaths,
             pathOfStack: [Int32]) {
            self.allocatorFrames = allocatorFrames
            self.topDown = topDown
            self.bottomUp = bottomUp
            self.paths = paths
            self.pathOfStack = pathOfStack
            deepest = (topDown.tree.deepestDepth, bottomUp.tree.deepestDepth)
        }
    }

    static let leftOut: Int32 = -1
    static let absent: Int32 = -2

    /// The run's filtered trees and their paths (``FrameFilter/applyForViews(to:)``).
    public struct RunTrees: @unchecked Sendable {
        let allocatorFrames: AllocatorFrames
        let strings: [String]
        var shared: Shared

        /// Lets the trees' costs go: the views read their shape only (their own costs are
        /// in their buffers). Once the run's analysis has let its copies of the trees go,
        /// this frees 52 bytes a node (with the analysis' copies let go before the pictures
        /// were painted, a compiler's render peaked 47 MiB lower); their site nodes
        /// (``siteNodes(of:)``) are found before.
        public mutating func releaseCosts() {
            shared.topDown.tree.releaseCosts()
            shared.bottomUp.tree.releaseCosts()
        }

        /// Each site's node in the trees, as ``FrameFilter/siteNodes(in:)`` finds it, for
        /// the analysis whose trees these are.
        public func siteNodes(of analysis: Analysis) -> SiteNodes {
            var nodes = SiteNodes(topDown: Array(repeating: -1, count: analysis.sites.count),
                                  bottomUp: Array(repeating: -1, count: analysis.sites.count))
            for i in analysis.sites.indices where Int(analysis.sites[i].stack) < shared.pathOfStack.count {
                let path = Int(shared.pathOfStack[Int(analysis.sites[i].stack)])
                guard path >= 0 else { continue }
                nodes.topDown[i] = shared.topDown.leaves[path]
                nodes.bottomUp[i] = shared.bottomUp.leaves[path]
            }
            return nodes
        }
    }

    private let frameLine: [UInt32]
    private let shared: [Shared]
    /// The views' buffers, reused from one view to the next.
    private let pool = ViewTreeBuffer.Pool()

    /// - Parameters:
    ///   - views: every view to be drawn; they share one run's symbols.
    ///   - run: the run's own filtered trees, through the same filter: the views whose
    ///     allocator frames it classifies alike are drawn on them (no tree is built for them).
    public init(filter: FrameFilter, views: [Analysis], run: RunTrees? = nil) {
        guard let first = views.first else {
            frameLine = []
            shared = []
            return
        }
        let symbols = first.symbols
        // A tree builder only for views the run's trees cannot serve.
        var builder: CallTreeBuilder?
        frameLine = symbols.frames.map(\.line)
        let regexes = FrameFilter.Regexes(filter)
        // Views grouped by how their allocator frames are classified (the filter's frames depend on it).
        var classes: [(representative: Int, members: [Int])] = []
        for (i, view) in views.enumerated() {
            if let k = classes.firstIndex(where: { views[$0.representative].allocatorFrames.classifiesAlike(view.allocatorFrames) }) {
                classes[k].members.append(i)
            } else {
                classes.append((i, [i]))
            }
        }
        shared = classes.map { representative, members in
            // The run's trees, when its sites and frames are the views' (its strings not shortened otherwise).
            if let run, run.allocatorFrames.classifiesAlike(views[representative].allocatorFrames), run.strings == symbols.strings,
               members.allSatisfy({ m in
                   views[m].sites.allSatisfy { Int($0.stack) < run.shared.pathOfStack.count && run.shared.pathOfStack[Int($0.stack)] != Self.absent }
               }) {
                return run.shared
            }
            var stacks = Set<UInt32>()
            for m in members { for i in views[m].sites.indices { stacks.insert(views[m].sites[i].stack) } }
            var pathOfStack = [Int32](repeating: Self.leftOut, count: symbols.stackParents.count)
            var paths: [(frames: [UInt32], costs: Costs)] = []
            for stack in stacks.sorted() {
                let frames = filter == .none ? symbols.frames(ofStack: stack)
                    : filter.frames(ofStack: stack, in: views[representative], regexes: regexes)
                guard let frames else { continue }
                if Int(stack) < pathOfStack.count { pathOfStack[Int(stack)] = Int32(paths.count) }
                paths.append((frames, Costs()))
            }
            if builder == nil { builder = CallTreeBuilder(symbols: symbols) }
            let (topDown, bottomUp, frames) = builder!.buildBothRecording(paths: paths)
            return Shared(allocatorFrames: views[representative].allocatorFrames, topDown: topDown, bottomUp: bottomUp,
                          paths: frames, pathOfStack: pathOfStack)
        }
    }

    /// The trees of `view`, one of the views this was made with; nil for another.
    public func trees(of view: Analysis) -> (topDown: ViewCallTree, bottomUp: ViewCallTree)? {
        guard let topDown = tree(of: view, .topDown), let bottomUp = tree(of: view, .bottomUp) else { return nil }
        return (topDown, bottomUp)
    }

    /// The tree of `view` in one direction; nil for a view this was not made with.
    public func tree(of view: Analysis, _ direction: CallTree.Direction) -> ViewCallTree? {
        guard let s = shared.first(where: { $0.allocatorFrames.classifiesAlike(view.allocatorFrames) }) else { return nil }
        return direction == .topDown ? tree(s.topDown, view, s, deepest: s.deepest.topDown)
            : tree(s.bottomUp, view, s, deepest: s.deepest.bottomUp)
    }

    /// Frees the buffers the views' trees let go so far (the next trees get new ones): once
    /// the views are drawn in one direction, before they are drawn in the other, whose
    /// trees have other nodes.
    public func freeSpareBuffers() {
        pool.freeSpare()
    }

    /// A view's tree in `recorded`'s direction: each of its sites' costs added along its
    /// path, from the path's last node up through its ancestors, the path's frames read in
    /// the same order (innermost first top-down, outermost first bottom-up). A path meets
    /// each node once, so the order within a path changes no figure.
    private func tree(_ recorded: RecordedCallTree, _ view: Analysis, _ s: Shared, deepest: Int) -> ViewCallTree {
        let pathOfStack = s.pathOfStack, starts = s.paths.starts
        let innermostFirst = recorded.tree.direction == .topDown
        let buffer = pool.take(count: recorded.tree.nodeCount)
        let slotPlusOne = buffer.slotPlusOne
        // The figures' storage, read again when a new slot moved it.
        var totals = buffer.totals, lines = buffer.lines
        frameLine.withUnsafeBufferPointer { frameLine in
            s.paths.frames.withUnsafeBufferPointer { pathFrames in
                recorded.tree.links.withUnsafeBufferPointer { links in
                    // By index: a site copied out of the array retained its arrays (once per site,
                    // view and direction).
                    let sites = view.sites
                    for i in sites.indices {
                        let stack = Int(sites[i].stack)
                        guard stack < pathOfStack.count else { continue }
                        let p = Int(pathOfStack[stack])
                        guard p >= 0 else { continue }
                        let costs = sites[i].costs
                        totals[0] += costs
                        let first = starts[p], count = starts[p + 1] - first
                        var node = Int(recorded.leaves[p])
                        for step in 0..<count {
                            let frame = pathFrames[innermostFirst ? first + step : first + count - 1 - step]
                            let line = frameLine[Int(frame)]
                            let known = Int(slotPlusOne[node]) - 1
                            if known < 0 {
                                let slot = buffer.add(node, frame: frame, line: line)
                                totals = buffer.totals
                                lines = buffer.lines
                                totals[slot] += costs
                            } else {
                                if line != 0 && (lines[known] == 0 || line < lines[known]) { lines[known] = line }
                                totals[known] += costs
                            }
                            node = Int(links[node].parent)
                        }
                    }
                }
            }
        }
        return ViewCallTree(shared: recorded.tree, deepest: deepest, buffer: buffer, pool: pool)
    }
}

/// What a frame filter asks of each frame's name (``FrameFilter/frames(ofStack:in:regexes:)``),
/// found once per frame: a stack's frames were named again for every stack they are on, a
/// fifth of a render of a compiler's dump with 92,000 stacks about 50 frames deep. For one
/// symbol table; not for use on several threads at once.
final class FrameFacts {
    struct Fact: OptionSet {
        let rawValue: UInt8
        /// Named `main`.
        static let isMain = Fact(rawValue: 1 << 0)
        /// Named `main` or `…::main` (a Rust crate's main).
        static let isSomeMain = Fact(rawValue: 1 << 1)
        /// A thread's or process's entry (``FrameFilter/entryFrames``).
        static let isEntry = Fact(rawValue: 1 << 2)
        /// Runtime code (``isRuntimeFrame(_:)``).
        static let isRuntime = Fact(rawValue: 1 << 3)
        /// Its name or file matches the filter's include expression.
        static let matchesInclude = Fact(rawValue: 1 << 4)
        /// Its name or file matches the filter's exclude expression.
        static let matchesExclude = Fact(rawValue: 1 << 5)
        /// The facts above are known.
        static let known = Fact(rawValue: 1 << 7)
    }

    private var facts: [Fact] = []

    func has(_ frame: UInt32, _ fact: Fact, symbols: SymbolTable, regexes: FrameFilter.Regexes) -> Bool {
        let i = Int(frame)
        if i >= facts.count { facts.append(contentsOf: repeatElement(Fact(), count: max(i + 1, symbols.frames.count) - facts.count)) }
        if !facts[i].contains(.known) { facts[i] = Self.find(frame, symbols: symbols, regexes: regexes) }
        return facts[i].contains(fact)
    }

    private static func find(_ frame: UInt32, symbols: SymbolTable, regexes: FrameFilter.Regexes) -> Fact {
        let name = symbols.displayName(ofFrame: frame)
        var found: Fact = .known
        if name == "main" { found.formUnion([.isMain, .isSomeMain]) }
        if name.hasSuffix("::main") { found.insert(.isSomeMain) }
        if FrameFilter.entryFrames.contains(name) { found.insert(.isEntry) }
        if isRuntimeFrame(name) { found.insert(.isRuntime) }
        func matches(_ regex: NSRegularExpression) -> Bool {
            [name, symbols.string(symbols.frame(frame).file)].contains { text in
                regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }
        }
        if let include = regexes.include, matches(include) { found.insert(.matchesInclude) }
        if let exclude = regexes.exclude, matches(exclude) { found.insert(.matchesExclude) }
        return found
    }
}
