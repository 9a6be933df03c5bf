import MemscopeModel

/// A report's thread and window views in one pass, in memory bounded by the live blocks and
/// the sites once, whatever the number of views.
///
/// Each view's figures equal those of an analysis with `--thread T` or `--from A --to B`
/// (``AnalysisOptions/thread``, ``AnalysisOptions/windowStartNanoseconds``): the per-site
/// costs its flamegraphs are drawn from. Instead of one analysis per view, each with a
/// block table of every live block, one table of live blocks says for each block its size,
/// site and thread view, and
/// - a time window needs only per-site counts of what it allocated, and the sites' live
///   bytes at its peak: everything live before a window is carried into it, so the live
///   bytes and blocks per site are the whole run's, shared by every window; per window
///   only allocations, bytes, temporaries and the bytes at its own peak are kept, and only
///   while the window is open (at most three are: two slices meeting at an instant, and
///   the peak's window);
/// - a thread view is the tally of its own blocks: blocks belong to the thread that
///   allocated them (a realloc's new block to the thread that called it), per-site live
///   bytes and counts per view thread.
///
/// A block allocated at the address of another thread's live block stays live in the
/// first thread's view (its free is missing; the view never sees the other thread's
/// allocation), as it does in a `--thread` analysis: such blocks are kept apart until an
/// event frees their address.
///
/// Memory: 32 to 48 bytes per live block (24 per slot, 1/2 to 3/4 full), 20 bytes per site for
/// the run, 36 per site per open window and 52 per site per thread view; the results, per
/// view, one entry per site with a cost.
public final class ViewTally: RecordConsumer {
    /// A window of the run, in nanoseconds since the start, both ends included (as
    /// ``AnalysisOptions/windowStartNanoseconds`` and ``AnalysisOptions/windowEndNanoseconds``).
    public struct Window: Sendable, Equatable {
        public var from: UInt64
        public var to: UInt64
        public init(from: UInt64, to: UInt64) {
            self.from = from
            self.to = to
        }
    }

    /// Per-site figures of one view.
    struct SiteTally {
        var allocations: UInt64 = 0
        var bytesAllocated: UInt64 = 0
        var temporary: UInt64 = 0
        /// Live bytes at the view's last peak, valid when `savedEpoch` is the view's epoch.
        var bytesAtPeak: UInt64 = 0
        var savedEpoch: UInt32 = 0
    }

    /// The running peak of one view.
    struct Peak {
        var bytes: UInt64 = 0
        var epoch: UInt32 = 0
    }

    /// Classes, not structs: a change to one is a store, with no uniqueness check of the
    /// array that holds it (that check and its retains were a third of the tally's time).
    final class WindowState {
        let window: Window
        var sites = UncheckedStore(repeating: SiteTally(), count: 0)
        var peak = Peak()
        var open = false
        var finished = false
        init(window: Window) { self.window = window }
    }

    final class ThreadView {
        let thread: UInt32
        var sites = UncheckedStore(repeating: SiteTally(), count: 0)
        var liveBytes = UncheckedStore(repeating: UInt64(0), count: 0)
        var liveBlocks = UncheckedStore(repeating: UInt64(0), count: 0)
        var total: UInt64 = 0
        var peak = Peak()
        /// The address of the view's last allocation, 0 after any release in it.
        var lastAllocation: UInt64 = 0
        init(thread: UInt32) { self.thread = thread }
    }

    /// A block live in a thread view after another thread allocated at its address.
    struct Ghost {
        var view: Int
        var size: UInt64
        var site: Int32
    }

    private var clockUnit: UInt64 = 1
    private var lastTicks: UInt64 = 0
    private var blocks = LiveBlockTable()
    private var ghosts: [UInt64: [Ghost]] = [:]
    /// Per stack id, its dense site index or -1.
    private var siteOfStack: [Int32] = [-1]
    private var siteStacks: [UInt32] = []
    /// Per site, the whole run's live bytes and blocks (those of every window).
    private var liveBytes = UncheckedStore(repeating: UInt64(0), count: 0)
    private var liveBlocks = UncheckedStore(repeating: UInt64(0), count: 0)
    private var liveTotal: UInt64 = 0
    /// The run's last allocation (0 after any release), and its time.
    private var lastAllocation: UInt64 = 0
    private var lastAllocationTicks: UInt64 = 0

    private let windows: [WindowState]
    /// Indices of the windows open now.
    private var open: [Int] = []
    /// The earliest start of a window not yet open, and the earliest end of one not finished (ns).
    private var nextStart: UInt64 = .max
    private var nextEnd: UInt64 = .max
    private let threadViews: [ThreadView]
    private var viewOfThread: [UInt32: Int] = [:]
    /// The thread of each view, in order: the first view of a thread is its view.
    private let viewThreads: [UInt32]
    /// Up to how many thread views ``view(of:)`` finds a thread in ``viewThreads`` by a scan.
    private static let viewsScanned = 8
    /// A one-entry cache of `viewOfThread` (`UInt64.max`: none yet).
    private var lastThread: UInt64 = .max
    private var lastThreadView = -1
    private var results: [[(stack: UInt32, costs: Costs)]?]
    /// What the input's reader does to each of its analyses' sites besides (heaptrack's leak
    /// suppressions), for the views' analyses; set by the reader.
    public var finishView: ((inout Analysis) -> Void)?

    /// - Parameters:
    ///   - threads: OS thread ids, one view each.
    ///   - windows: one view each.
    ///   - expectedLiveBlocks: how many blocks the dump holds live at once, when a first read
    ///     knows it (the blocks live at its end): the table of live blocks is made that big at
    ///     once, instead of doubling to it with the old table beside the new one.
    public init(threads: [UInt32], windows: [Window], expectedLiveBlocks: UInt64 = 0) {
        if expectedLiveBlocks > 0 { blocks = LiveBlockTable(expected: expectedLiveBlocks) }
        threadViews = threads.map { ThreadView(thread: $0) }
        viewThreads = threads
        for (i, thread) in threads.enumerated() where viewOfThread[thread] == nil { viewOfThread[thread] = i }
        self.windows = windows.map { WindowState(window: $0) }
        results = Array(repeating: nil, count: windows.count)
        nextStart = windows.map(\.from).min() ?? .max
        nextEnd = windows.map(\.to).min() ?? .max
    }

    /// Blocks live now, and the table's slots (for the tests of its memory).
    var liveBlockCount: Int { blocks.count }
    var liveBlockCapacity: Int { blocks.slots.count }

    // MARK: - Records

    public func consume(_ batch: RecordBatch) {
        let events = batch.events
        let count = batch.eventCount
        let positions = batch.recordPositions
        var e = 0
        var r = 0
        while true {
            let end = r < positions.count ? positions[r] : count
            while e < end {
                // The table's slots are scattered over tens of MB: the home slot of an event a
                // few ahead is asked for now, so its miss overlaps this event's work.
                if e + Self.lookahead < count {
                    let ahead = events[e + Self.lookahead]
                    blocks.prefetch(ahead.kind == .realloc ? ahead.oldAddress : ahead.address)
                }
                consume(events[e])
                e += 1
            }
            guard r < positions.count else { return }
            consume(batch.records[r])
            r += 1
        }
    }

    /// How many events ahead the live-block table's slots are prefetched.
    static let lookahead = 8

    /// One record (the tests feed records one by one).
    public func consume(_ record: Record) {
        if let event = HeapEvent(record) { return consume(event) }
        switch record {
        case .meta(let m): clockUnit = m.clockUnitNanoseconds
        case .stack: siteOfStack.append(-1)
        case .threadStart(let ts, _, _), .threadName(let ts, _, _), .threadExit(let ts, _): _ = tick(ts)
        case .processEnd(let end): _ = tick(end.timestamp)
        case .exec(let ts, _): releaseAtExec(ticks: tick(ts))
        default: break
        }
    }

    /// The process replaced its program (`exec`): every block of the old image is gone, in
    /// the run, its windows and the thread views (as ``AnalyzerCore/releaseAtExec(ticks:)``:
    /// not a free, not a temporary).
    private func releaseAtExec(ticks: UInt64) {
        if _slowPath(nanoseconds(ticks) >= nextStart) { openWindows(at: nanoseconds(ticks)) }
        lastAllocation = 0
        for view in threadViews { view.lastAllocation = 0 }
        var addresses: [UInt64] = []
        for slot in 0..<blocks.slots.count where blocks.slots[slot].address != 0 { addresses.append(blocks.slots[slot].address) }
        addresses.append(contentsOf: ghosts.keys.sorted())
        for address in addresses { releaseAll(at: address, thread: 0) }
    }

    @inline(__always)
    private func nanoseconds(_ ticks: UInt64) -> UInt64 { saturatingMultiply(ticks, clockUnit) }

    /// Ends the windows that end before a record at `ticks` (raw: a window stops at the
    /// first record past its end, whatever times follow), and returns its effective time.
    @inline(__always)
    private func tick(_ ticks: UInt64) -> UInt64 {
        if _slowPath(nanoseconds(ticks) > nextEnd) { finishWindows(before: nanoseconds(ticks)) }
        if ticks >= lastTicks { lastTicks = ticks }
        return lastTicks
    }

    @inline(__always)
    private func consume(_ event: HeapEvent) {
        let ticks = tick(event.timestamp)
        if _slowPath(nanoseconds(ticks) >= nextStart) { openWindows(at: nanoseconds(ticks)) }
        switch event.kind {
        case .alloc:
            allocate(address: event.address, size: event.size, stack: event.stack, thread: event.thread, ticks: ticks)
        case .free:
            guard event.address != 0 else { return }
            releaseAll(at: event.address, thread: event.thread)
        case .realloc:
            realloc(old: event.oldAddress, new: event.address, size: event.size, stack: event.stack,
                    thread: event.thread, ticks: ticks)
        }
    }

    private func realloc(old: UInt64, new: UInt64, size: UInt64, stack: UInt32, thread: UInt32, ticks: UInt64) {
        guard old != 0, blocks.find(old) != nil else {
            // An allocation (of nothing when the new address is 0: a failed one).
            allocate(address: new, size: size, stack: stack, thread: thread, ticks: ticks)
            return
        }
        if new == 0 && size > 0 { return }  // failed: the block stays
        releaseAll(at: old, thread: thread)
        if new != 0 { allocate(address: new, size: size, stack: stack, thread: thread, ticks: ticks) }
    }

    // MARK: - Blocks

    @inline(__always)
    private func view(of thread: UInt32) -> Int {
        if UInt64(thread) == lastThread { return lastThreadView }
        lastThread = UInt64(thread)
        if threadViews.count <= Self.viewsScanned {
            // A scan of a few ids: events of several threads interleave, and the dictionary's
            // hash was a tenth of the tally's time.
            lastThreadView = viewThreads.firstIndex(of: thread) ?? -1
        } else {
            lastThreadView = viewOfThread[thread] ?? -1
        }
        return lastThreadView
    }

    @inline(__always)
    private func site(of stack: UInt32) -> Int {
        let s = Int(stack)
        if _slowPath(s >= siteOfStack.count) { siteOfStack.append(contentsOf: repeatElement(-1, count: s + 1 - siteOfStack.count)) }
        let known = siteOfStack[s]
        if known >= 0 { return Int(known) }
        let index = siteStacks.count
        siteStacks.append(stack)
        siteOfStack[s] = Int32(index)
        liveBytes.append(0)
        liveBlocks.append(0)
        for w in open { windows[w].sites.append(SiteTally()) }
        for view in threadViews {
            view.sites.append(SiteTally())
            view.liveBytes.append(0)
            view.liveBlocks.append(0)
        }
        return index
    }

    private func allocate(address: UInt64, size: UInt64, stack: UInt32, thread: UInt32, ticks: UInt64) {
        guard address != 0 else { return }
        let v = view(of: thread)
        if let slot = blocks.find(address) {
            // Allocated at a live address: the earlier block is taken as freed, in the run
            // and in the allocating thread's view; another thread's view keeps it.
            let old = blocks.slots[slot]
            releaseInRun(old)
            if old.view >= 0 {
                if Int(old.view) == v {
                    releaseInView(v, address: address, size: old.size, site: Int(old.site))
                } else {
                    ghosts[address, default: []].append(Ghost(view: Int(old.view), size: old.size, site: old.site))
                }
            }
            blocks.remove(at: slot)
        }
        if _slowPath(!ghosts.isEmpty), v >= 0, let held = ghosts[address], let k = held.firstIndex(where: { $0.view == v }) {
            releaseInView(v, address: address, size: held[k].size, site: Int(held[k].site))
            var rest = held
            rest.remove(at: k)
            ghosts[address] = rest.isEmpty ? nil : rest
        }
        let s = site(of: stack)
        blocks.insert(LiveBlockTable.Block(address: address, size: size, site: Int32(s), view: Int32(v)))
        lastAllocation = address
        lastAllocationTicks = ticks
        // The run's live figures, and each open window's.
        let bytesBefore = liveBytes[s]
        liveBytes[s] = bytesBefore &+ size
        liveBlocks[s] &+= 1
        let (total, carried) = liveTotal.addingReportingOverflow(size)
        liveTotal = total
        let ns = nanoseconds(ticks)
        for w in open {
            let window = windows[w]
            let counted = ns >= window.window.from
            Self.allocate(&window.sites[s], size: size, counted: counted, bytesBefore: bytesBefore,
                          peak: &window.peak, total: total, carried: carried)
        }
        if v >= 0 {
            let view = threadViews[v]
            let before = view.liveBytes[s]
            view.liveBytes[s] = before &+ size
            view.liveBlocks[s] &+= 1
            let (viewTotal, viewCarried) = view.total.addingReportingOverflow(size)
            view.total = viewTotal
            Self.allocate(&view.sites[s], size: size, counted: true, bytesBefore: before,
                          peak: &view.peak, total: viewTotal, carried: viewCarried)
            view.lastAllocation = address
        }
    }

    /// A view's allocation: the site's bytes at the last peak saved before they change, then
    /// the counts and the peak (as ``LiveTracker`` does).
    @inline(__always)
    private static func allocate(_ site: inout SiteTally, size: UInt64, counted: Bool, bytesBefore: UInt64,
                                 peak: inout Peak, total: UInt64, carried: Bool) {
        if site.savedEpoch != peak.epoch {
            site.savedEpoch = peak.epoch
            site.bytesAtPeak = bytesBefore
        }
        guard counted else { return }
        site.allocations &+= 1
        site.bytesAllocated = saturatingAdd(site.bytesAllocated, size)
        if _slowPath(carried) && peak.bytes != .max {
            // Live bytes past 64 bits (a forged dump): the peak is saturated for good.
            peak.bytes = .max
            peak.epoch &+= 1
        }
        if total > peak.bytes {
            peak.bytes = total
            peak.epoch &+= 1
        }
    }

    @inline(__always)
    private static func release(_ site: inout SiteTally, bytesBefore: UInt64, peak: Peak, countedTemporary: Bool) {
        if site.savedEpoch != peak.epoch {
            site.savedEpoch = peak.epoch
            site.bytesAtPeak = bytesBefore
        }
        if countedTemporary { site.temporary &+= 1 }
    }

    /// Frees whatever is live at `address`: the run's block (in its thread's view too) and
    /// blocks other threads' views still hold there.
    @inline(__always)
    private func releaseAll(at address: UInt64, thread: UInt32) {
        if let slot = blocks.find(address) {
            let block = blocks.slots[slot]
            releaseInRun(block)
            if block.view >= 0 { releaseInView(Int(block.view), address: address, size: block.size, site: Int(block.site)) }
            blocks.remove(at: slot)
        }
        if _slowPath(!ghosts.isEmpty), let held = ghosts.removeValue(forKey: address) {
            for ghost in held { releaseInView(ghost.view, address: address, size: ghost.size, site: Int(ghost.site)) }
        }
    }

    /// A release in the run and its open windows. It ends a temporary block when the block
    /// was the run's last allocation; in a window, when that allocation was inside it.
    @inline(__always)
    private func releaseInRun(_ block: LiveBlockTable.Block) {
        let s = Int(block.site)
        let temporary = lastAllocation == block.address
        lastAllocation = 0
        let bytesBefore = liveBytes[s]
        liveBytes[s] = bytesBefore &- block.size
        liveBlocks[s] &-= 1
        liveTotal = liveTotal &- block.size
        guard !open.isEmpty else { return }
        let allocatedAt = nanoseconds(lastAllocationTicks)
        for w in open {
            let window = windows[w]
            Self.release(&window.sites[s], bytesBefore: bytesBefore, peak: window.peak,
                         countedTemporary: temporary && allocatedAt >= window.window.from)
        }
    }

    @inline(__always)
    private func releaseInView(_ v: Int, address: UInt64, size: UInt64, site s: Int) {
        let view = threadViews[v]
        let temporary = view.lastAllocation == address
        view.lastAllocation = 0
        let before = view.liveBytes[s]
        view.liveBytes[s] = before &- size
        view.liveBlocks[s] &-= 1
        view.total = view.total &- size
        Self.release(&view.sites[s], bytesBefore: before, peak: view.peak, countedTemporary: temporary)
    }

    // MARK: - Windows

    /// Opens the windows that start at or before `ns`.
    private func openWindows(at ns: UInt64) {
        nextStart = .max
        for w in windows.indices where !windows[w].open && !windows[w].finished {
            if windows[w].window.from <= ns {
                windows[w].open = true
                windows[w].sites = UncheckedStore(repeating: SiteTally(), count: siteStacks.count)
                open.append(w)
            } else {
                nextStart = min(nextStart, windows[w].window.from)
            }
        }
    }

    /// Finishes the windows that end before `ns`.
    private func finishWindows(before ns: UInt64) {
        nextEnd = .max
        for w in windows.indices where !windows[w].finished {
            if windows[w].window.to < ns {
                finish(window: w)
            } else {
                nextEnd = min(nextEnd, windows[w].window.to)
            }
        }
    }

    private func finish(window w: Int) {
        windows[w].finished = true
        open.removeAll { $0 == w }
        let sites = windows[w].open ? windows[w].sites : nil
        let epoch = windows[w].peak.epoch
        var costs: [(stack: UInt32, costs: Costs)] = []
        for s in siteStacks.indices {
            let tally = sites.map { $0[s] } ?? SiteTally()
            let peakBytes = tally.savedEpoch == epoch ? tally.bytesAtPeak : liveBytes[s]
            guard tally.allocations > 0 || liveBlocks[s] > 0 || peakBytes > 0 else { continue }
            var c = Costs()
            c.allocations = tally.allocations
            c.bytesAllocated = tally.bytesAllocated
            c.peakBytes = peakBytes
            c.leakedBytes = liveBytes[s]
            c.leakedBlocks = liveBlocks[s]
            c.temporaryAllocations = tally.temporary
            costs.append((siteStacks[s], c))
        }
        results[w] = costs
        windows[w].sites = UncheckedStore(repeating: SiteTally(), count: 0)
    }

    // MARK: - Results

    /// Per view, every site with a cost, by stack id: the thread views in the order given,
    /// then the windows. Call once, after the last record.
    public func finish() -> (threads: [[(stack: UInt32, costs: Costs)]], windows: [[(stack: UInt32, costs: Costs)]]) {
        for w in windows.indices where !windows[w].finished { finish(window: w) }
        let threads = threadViews.map { view in
            var costs: [(stack: UInt32, costs: Costs)] = []
            for s in siteStacks.indices {
                let tally = view.sites[s]
                let peakBytes = tally.savedEpoch == view.peak.epoch ? tally.bytesAtPeak : view.liveBytes[s]
                guard tally.allocations > 0 || view.liveBlocks[s] > 0 || peakBytes > 0 else { continue }
                var c = Costs()
                c.allocations = tally.allocations
                c.bytesAllocated = tally.bytesAllocated
                c.peakBytes = peakBytes
                c.leakedBytes = view.liveBytes[s]
                c.leakedBlocks = view.liveBlocks[s]
                c.temporaryAllocations = tally.temporary
                costs.append((siteStacks[s], c))
            }
            return costs.sorted { $0.stack < $1.stack }
        }
        // The live blocks are not needed past the end: their table is given back now, not
        // when the tally goes (the ownership inference, finished next, peaks then).
        blocks = LiveBlockTable(capacity: 0)
        ghosts = [:]
        return (threads, results.map { ($0 ?? []).sorted { $0.stack < $1.stack } })
    }
}

extension Analysis {
    /// The analysis of a view of this run (a thread, a time window) for its flamegraphs:
    /// this run's symbols, metadata and classification of allocator frames with the view's
    /// per-site costs and its leaks suppressed by the same rules. Its call trees are built by
    /// ``ViewTrees`` (one builder for every view), or here with `trees`.
    /// - Parameter costs: by stack id, as ``ViewTally/finish()`` gives them.
    public func viewAnalysis(costs: [(stack: UInt32, costs: Costs)], options: AnalysisOptions, trees: Bool = false) -> Analysis {
        var costs = costs
        if !options.suppressions.rules.isEmpty {
            for i in costs.indices where costs[i].costs.leakedBlocks > 0 {
                guard options.suppressions.match(costs[i].stack, in: symbols) != nil else { continue }
                costs[i].costs.leakedBytes = 0
                costs[i].costs.leakedBlocks = 0
            }
        }
        // One empty histogram for every site (shared storage): a view's sites cost no arrays of their own.
        let lifetimes = LifetimeStats(), sizes = SizeHistogram()
        var view = Analysis(metadata: metadata, totals: Totals(), symbols: symbols,
                            sites: costs.map { SiteStats(stack: $0.stack, costs: $0.costs, frees: 0, reallocs: 0,
                                                         lifetimes: lifetimes, lane: [], sizes: sizes) },
                            topDown: CallTree.empty(.topDown), bottomUp: CallTree.empty(.bottomUp),
                            timeline: Timeline(intervalNanoseconds: 0, points: []), laneIntervalNanoseconds: 0,
                            addressReuse: AddressReuse.none, reallocChains: ReallocChains(), crossThread: [], threads: [],
                            errors: [], processEnd: nil, diagnostics: Diagnostics(), truncated: false, suppressed: [])
        view.totals.leakedBytes = costs.reduce(0) { saturatingAdd($0, $1.costs.leakedBytes) }
        view.totals.leakedBlocks = costs.reduce(0) { $0 + $1.costs.leakedBlocks }
        // The run's classification: a view's flamegraphs hide and skip the frames the run's
        // do, whose wrappers were detected from every stack of the run, not from the view's
        // few. (Classified from each view's own sites, a stripped compiler's windows gave
        // three classifications, each with its own pair of trees: a gigabyte for 92,000 stacks.)
        view.allocatorFrames = allocatorFrames
        if trees { (view.topDown, view.bottomUp) = CallTreeBuilder(symbols: symbols).buildBoth(costs: costs) }
        return view
    }
}
