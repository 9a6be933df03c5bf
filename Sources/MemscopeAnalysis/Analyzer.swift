import MemscopeModel

/// Turns a stream of records into an ``Analysis``, in one pass.
///
/// A thin reference wrapper around ``AnalyzerCore``, a struct, so that the hot loop runs
/// in mutating methods whose exclusive access the compiler checks statically.
///
/// ```swift
/// let analyzer = Analyzer()
/// try reader.forEach { analyzer.consume($0) }   // or consume(batch)
/// let analysis = analyzer.finish(diagnostics: reader.diagnostics, truncated: reader.wasTruncated)
/// ```
/// Memory grows with live blocks, distinct addresses, distinct stacks and threads, never
/// with the number of events.
public final class Analyzer {
    var core: AnalyzerCore

    public init(options: AnalysisOptions = .default) {
        core = AnalyzerCore(options: options)
    }

    /// Consumes a batch of records in order.
    public func consume(_ batch: [Record]) { core.consume(batch) }

    /// Consumes a batch of records in order.
    public func consume(_ batch: RecordBatch) { core.consume(batch) }

    /// Consumes one record.
    public func consume(_ record: Record) { core.consumeOne(record) }

    /// Completes the analysis. Blocks still live become leaks.
    /// - Parameters:
    ///   - diagnostics: the reader's warnings, reported before the analysis' own.
    ///   - truncated: whether the reader found the dump cut off.
    public func finish(diagnostics: Diagnostics = Diagnostics(), truncated: Bool = false) -> Analysis {
        core.finish(diagnostics: diagnostics, truncated: truncated)
    }
}

/// The state and event handlers of the analysis.
struct AnalyzerCore {
    let options: AnalysisOptions
    var metadata: Metadata?
    var symbols = SymbolTable()
    var blocks = AddressTable()
    /// The live stage: live bytes, the peak and the timeline, and per-site and per-thread
    /// figures. Events write their changes to `outbox`; a one-piece analysis applies them
    /// after each batch or record, a staged one hands the buffer to the live stage on
    /// another thread (``AnalysisPipeline``).
    var live: LiveTracker
    /// Live changes not yet applied.
    var outbox = LiveChangeBuffer(capacity: 64)
    /// The allocation stack of each site (dense index, in order of first allocation).
    var siteStacks: [UInt32] = []
    /// Per site: reallocs (rare enough to stay in this stage).
    var siteReallocs: [UInt64] = []
    /// Per stack id (index 0 = no stack): its site index, or -1.
    var siteOfStack: [Int32] = [-1]
    var totals = Totals()
    /// Address of the most recent allocation, 0 after any free (heaptrack's rule).
    var lastAllocation: UInt64 = 0
    var lastTicks: UInt64 = 0
    var threads = ThreadTable()
    var errorIndex: [ErrorKey: Int] = [:]
    var errors: [MemoryErrorSite] = []
    var chains = ReallocChains()
    var reuse = AddressReuse()
    var processEnd: ProcessEnd?
    var rss = RSSSeries()
    var diagnostics = Diagnostics()
    /// Set once an event lies past the window's end: later events are ignored.
    var pastWindow = false
    var referenceScan = ReferenceScan()
    var observations = ObservationCounts()
    var modules = ModuleAccumulator()
    var contexts = ContextTracker()
    var namedBlocks = NamedBlockTally()
    /// The stacks and strings already checked against ``AnalysisOptions/limits``.
    var checkedStacks = 1, checkedStrings = 1

    /// Whether a window's end or a thread filter applies (records then pass `admit`).
    let filtering: Bool

    init(options: AnalysisOptions) {
        self.options = options
        self.filtering = options.windowEndNanoseconds != nil || options.thread != nil
        self.live = LiveTracker(timelinePoints: options.timelinePoints, slices: options.timelineSlices)
    }

    var clockUnit: UInt64 { metadata?.clockUnitNanoseconds ?? 1 }

    /// The dense site index of a stack, created on first use.
    @inline(__always)
    mutating func site(of stack: UInt32) -> Int {
        let known = siteOfStack[Int(stack)]
        if known >= 0 { return Int(known) }
        let index = siteStacks.count
        siteStacks.append(stack)
        siteReallocs.append(0)
        siteOfStack[Int(stack)] = Int32(index)
        return index
    }

    @inline(__always)
    func nanoseconds(_ ticks: UInt64) -> UInt64 { saturatingMultiply(ticks, clockUnit) }

    mutating func consume(_ batch: [Record]) {
        for record in batch { consume(record) }
        applyLiveChanges()
    }

    /// Consumes one record and applies its live changes.
    mutating func consumeOne(_ record: Record) {
        consume(record)
        applyLiveChanges()
    }

    /// Applies the changes in `outbox` to the live stage kept here.
    private mutating func applyLiveChanges() {
        live.apply(outbox)
        outbox.removeAll()
    }

    mutating func consume(_ batch: RecordBatch) {
        consumeInOrder(batch)
        applyLiveChanges()
    }

    /// Consumes a batch, collecting its live changes in `changes` (which must be empty)
    /// for the ``LiveTracker`` on another thread.
    mutating func consume(_ batch: RecordBatch, deferringInto changes: LiveChangeBuffer) {
        let own = outbox
        outbox = changes
        consumeInOrder(batch)
        outbox = own
    }

    /// The batch's events and other records, in order (a hand-written
    /// ``RecordBatch/forEachInOrder(event:record:)``, so that the event loop is this
    /// function's own, with one call of the event handler, which is then inlined).
    @inline(__always)
    private mutating func consumeInOrder(_ batch: RecordBatch) {
        let events = batch.events
        let count = batch.eventCount
        let positions = batch.recordPositions
        var e = 0
        var r = 0
        while true {
            let end = r < positions.count ? positions[r] : count
            while e < end {
                consume(events[e])
                e += 1
            }
            guard r < positions.count else { return }
            consume(batch.records[r])
            r += 1
        }
    }

    @inline(__always)
    mutating func consume(_ event: HeapEvent) {
        if filtering { return consumeFiltered(event) }
        switch event.kind {
        case .alloc:
            allocate(address: event.address, size: event.size, stack: event.stack, thread: event.thread,
                     ticks: tick(event.timestamp))
        case .free:
            free(address: event.address, thread: event.thread, stack: event.stack, ticks: tick(event.timestamp))
        case .realloc:
            realloc(Realloc(timestamp: event.timestamp, thread: event.thread, oldAddress: event.oldAddress,
                            newAddress: event.address, newSize: event.size, stack: event.stack),
                    ticks: tick(event.timestamp))
        }
    }

    /// Hands the live stage over to another thread, leaving an empty one here.
    mutating func takeLiveStage() -> LiveTracker {
        let taken = live
        live = LiveTracker(timelinePoints: options.timelinePoints)
        return taken
    }

    /// Hands a live change to the live stage (through `outbox`).
    @inline(__always)
    mutating func emit(_ change: LiveChange) {
        outbox.append(change)
    }

    /// An event through the window and thread filters (a view's analysis, not the hot path).
    @inline(never)
    private mutating func consumeFiltered(_ event: HeapEvent) {
        if let admitted = admit(event.record) { handle(admitted) }
    }

    @inline(__always)
    mutating func consume(_ record: Record) {
        if filtering {
            if let admitted = admit(record) { handle(admitted) }
            return
        }
        handle(record)
    }

    @inline(__always)
    mutating func handle(_ record: Record) {
        switch record {
        case .alloc(let a):
            let t = tick(a.timestamp)
            allocate(address: a.address, size: a.size, stack: a.stack, thread: a.thread, ticks: t)
        case .free(let f):
            free(address: f.address, thread: f.thread, stack: f.stack, ticks: tick(f.timestamp))
        case .realloc(let r):
            realloc(r, ticks: tick(r.timestamp))
        case .string, .frame, .stack:
            symbols.apply(record)
            if case .stack = record {
                siteOfStack.append(-1)
            }
        case .meta(let m):
            metadata = m
        case .threadStart(let ts, let thread, _):
            let t = tick(ts)
            threads.withThread(thread, ticks: t) { $0.started = true }
        case .threadName(let ts, let thread, let name):
            let t = tick(ts)
            let value = symbols.string(name)
            threads.withThread(thread, ticks: t) { $0.name = value }
        case .threadExit(let ts, let thread):
            let t = tick(ts)
            threads.withThread(thread, ticks: t) { $0.exited = true }
        case .processEnd(let end):
            _ = tick(end.timestamp)
            processEnd = end
        case .annotation(let a):
            observations.annotations += 1
            let block = blocks.find(a.address).map { blocks.slots[$0] }.flatMap { $0.isLive ? (stack: $0.stack, size: $0.size) : nil }
            namedBlocks.add(name: symbols.string(a.name), typeName: symbols.string(a.typeName), block: block)
        case .scopeEnter(_, let thread, let name):
            observations.scopes += 1
            contexts.enterScope(thread: thread, name: symbols.string(name))
        case .scopeExit(_, let thread):
            contexts.exitScope(thread: thread)
        case .task(_, let thread, let task):
            observations.taskSwitches += 1
            contexts.switchTask(thread: thread, task: task)
        case .pointerReference(let reference):
            observations.pointerReferences += 1
            referenceScan.consume(reference)
        case .moduleMap(let mapping):
            observations.modules += 1
            modules.map.add(mapping)
        case .memoryError(let error):
            reportFound(error) // not a heap event: not counted in totals.events
        case .rssSample(let ts, let bytes):
            rss.add(timeNanoseconds: nanoseconds(ts), residentBytes: bytes) // nor is this
        case .blockReferences:
            break // read by the ownership stage; not a heap event
        case .exec(let ts, let commandLine):
            // From here on the process runs another program: the dump is named after it, and
            // the old program's blocks are gone.
            // (not a heap event: no count, and a time never before the last event's)
            releaseAtExec(ticks: max(ts, lastTicks))
            if var m = metadata {
                m.earlierCommandLines.append(m.commandLine)
                m.commandLine = commandLine
                metadata = m
            }
        case .unknown:
            break
        }
    }

    /// The window and thread filters: the record as it takes part in the analysis, or nil.
    ///
    /// With a thread filter, a realloc is split by thread: the thread that calls it frees
    /// the old block and allocates the new one, so another thread's realloc of one of this
    /// thread's blocks is a free here, and this thread's realloc of another thread's block
    /// is an allocation.
    mutating func admit(_ record: Record) -> Record? {
        let timestamp: UInt64? = switch record {
        case .alloc(let a): a.timestamp
        case .free(let f): f.timestamp
        case .realloc(let r): r.timestamp
        case .threadStart(let ts, _, _), .threadName(let ts, _, _), .threadExit(let ts, _): ts
        case .processEnd(let e): e.timestamp
        case .exec(let ts, _): ts
        default: nil
        }
        if let end = options.windowEndNanoseconds, let timestamp {
            if pastWindow || nanoseconds(timestamp) > end {
                pastWindow = true
                return nil
            }
        }
        guard let thread = options.thread else { return record }
        // The view's own block table says which blocks are this thread's: only they are live in it.
        func isOwn(_ address: UInt64) -> Bool {
            guard address != 0, let slot = blocks.find(address) else { return false }
            return blocks.slots[slot].isLive
        }
        switch record {
        case .alloc(let a):
            return a.thread == thread ? record : nil
        case .free(let f):
            return isOwn(f.address) ? record : nil
        case .realloc(let r):
            let ownsOld = isOwn(r.oldAddress)
            if r.thread == thread {
                if r.oldAddress == 0 || ownsOld { return record }
                // Another thread's block: only the new block belongs to this view.
                guard r.newAddress != 0 else { return nil }
                return .alloc(Alloc(timestamp: r.timestamp, thread: r.thread, address: r.newAddress, size: r.newSize,
                                    kind: .realloc, stack: r.stack))
            }
            guard ownsOld else { return nil }
            if r.newAddress == 0 && r.newSize > 0 { return nil }  // failed: the block stays
            return .free(Free(timestamp: r.timestamp, thread: r.thread, address: r.oldAddress, stack: r.stack))
        default:
            return record
        }
    }

    /// Whether an event at `ticks` is counted (inside the window's start).
    @inline(__always)
    func counted(_ ticks: UInt64) -> Bool {
        options.windowStartNanoseconds == 0 || nanoseconds(ticks) >= options.windowStartNanoseconds
    }

    /// Counts an event and returns its effective time: timestamps that go backwards are
    /// clamped to the latest seen, with one grouped warning.
    @inline(__always)
    mutating func tick(_ ticks: UInt64) -> UInt64 {
        totals.events += 1
        if ticks >= lastTicks {
            lastTicks = ticks
            return ticks
        }
        diagnostics.warn(key: "time-backwards",
                         "an event's timestamp is earlier than the one before it; the later time is used",
                         at: "event \(totals.events)",
                         hint: "record order is authoritative; producers should write events in time order")
        return lastTicks
    }
}

/// Per-site running figures touched by every allocation and free of the site (live
/// stage, one cache line of ``SiteTable``). A site's allocation count is the sum of its
/// size counts.
struct SiteAccumulator {
    var liveBytes: UInt64 = 0
    /// Live bytes at the last global peak, valid when `savedEpoch == peakEpoch`.
    var bytesAtPeak: UInt64 = 0
    var liveBlocks: UInt64 = 0
    var bytesAllocated: UInt64 = 0
    /// The highest live bytes in the lanes' open interval (``SiteLanes/current``).
    var laneMax: UInt64 = 0
    var frees: UInt64 = 0
    /// Blocks freed before any other allocation happened.
    var temporary: UInt64 = 0
    var savedEpoch: UInt32 = 0
}

/// The lifetimes of a site's freed blocks (one cache line of ``SiteTable``); a bucket's
/// count past `UInt32.max` carries into ``LiveTracker/lifetimeCountOverflow``. Their
/// number is the site's frees.
struct SiteLifetimes {
    var total: UInt64 = 0
    var minimum: UInt64 = .max
    var maximum: UInt64 = 0
    /// Counts per ``LifetimeBuckets`` bucket.
    var buckets = InlineArray<10, UInt32>(repeating: 0)
}

/// Allocations per ``SizeBuckets`` bucket of one site (bytes per bucket only for the
/// whole run); counts past `UInt32.max` carry into ``LiveTracker/sizeCountOverflow``.
typealias SiteSizeCounts = InlineArray<16, UInt32>

/// Blocks and bytes freed by one thread that another allocated.
struct ThreadPairCount {
    var blocks: UInt64 = 0
    var bytes: UInt64 = 0

    /// Counts one more block of `size` bytes.
    @inline(__always)
    mutating func add(bytes size: UInt64) {
        blocks += 1
        bytes &+= size
    }
}

/// Distinct memory errors are merged by this key.
struct ErrorKey: Hashable {
    var kind: MemoryErrorSite.Kind
    var stack: UInt32
    var allocationStack: UInt32
    var firstFreeStack: UInt32
    var foundStack: UInt32 = 0
    var side: UInt8 = 0xFF
}

/// Threads by OS id, with a one-entry cache (consecutive events tend to share a thread).
struct ThreadTable {
    /// Names and flags; the time of each thread's last thread record is in `lastSeen`,
    /// and its counters and last allocation or free in the live stage, until
    /// ``merged(with:)``.
    var stats: [ThreadStats] = []
    var lastSeen: [UInt64] = []
    private var index = IntegerMap<Int>()
    /// A direct-mapped cache: slot `thread % 64` holds (thread + 1, index).
    private var cache = [(UInt64, Int)](repeating: (0, 0), count: 64)

    /// The dense index of a thread, registering it on first sight.
    @inline(__always)
    mutating func index(of thread: UInt32, ticks: UInt64) -> Int {
        let slot = Int(thread & 63)
        if cache[slot].0 == UInt64(thread) + 1 { return cache[slot].1 }
        let i: Int
        if let found = index[UInt64(thread)] {
            i = found
        } else {
            i = stats.count
            index[UInt64(thread)] = i
            stats.append(ThreadStats(thread: thread, name: "", firstSeenNanoseconds: ticks, lastSeenNanoseconds: ticks,
                                     started: false, exited: false, allocations: 0, bytesAllocated: 0, frees: 0,
                                     peakBytes: 0, liveBytes: 0))
            lastSeen.append(ticks)
        }
        cache[slot] = (UInt64(thread) + 1, i)
        return i
    }

    @inline(__always)
    mutating func withThread(_ thread: UInt32, ticks: UInt64, _ body: (inout ThreadStats) -> Void) {
        let i = index(of: thread, ticks: ticks)
        lastSeen[i] = ticks
        body(&stats[i])
    }

    /// Every thread's stats with its counters from the live stage (times still in ticks).
    func merged(with live: UncheckedStore<ThreadLive>) -> [ThreadStats] {
        stats.indices.map { i in
            var merged = stats[i]
            let c = i < live.count ? live[i] : ThreadLive()
            merged.lastSeenNanoseconds = max(lastSeen[i], c.lastSeen)  // times never go backwards
            merged.allocations = c.allocations
            merged.bytesAllocated = c.bytesAllocated
            merged.frees = c.frees
            merged.peakBytes = c.peakBytes
            merged.liveBytes = c.liveBytes
            return merged
        }
    }
}

extension AnalyzerCore {
    /// The first of ``AnalysisOptions/limits`` the records so far went past, if any:
    /// distinct threads, stacks, frames of a stack, bytes of a string. Called after each
    /// batch; it looks only at what the batch added. The path is the caller's to fill in.
    mutating func exceededLimit() -> LimitExceeded? {
        let limits = options.limits
        if threads.stats.count > limits.threads {
            return LimitExceeded(path: "", name: "threads", limit: UInt64(limits.threads),
                                 found: "more than \(Units.count(UInt64(limits.threads))) distinct thread ids")
        }
        if symbols.stackCount > limits.stacks {
            return LimitExceeded(path: "", name: "stacks", limit: UInt64(limits.stacks),
                                 found: "more than \(Units.count(UInt64(limits.stacks))) call stacks")
        }
        while checkedStacks < symbols.stackDepths.count {
            let depth = symbols.stackDepths[checkedStacks]
            if Int(depth) > limits.frames {
                return LimitExceeded(path: "", name: "frames", limit: UInt64(limits.frames),
                                     found: "stack \(checkedStacks) has more than \(Units.count(UInt64(limits.frames))) frames")
            }
            checkedStacks += 1
        }
        while checkedStrings < symbols.strings.count {
            let length = symbols.strings[checkedStrings].utf8.count
            if length > limits.stringBytes {
                return LimitExceeded(path: "", name: "strings", limit: UInt64(limits.stringBytes),
                                     found: "string \(checkedStrings) is \(Units.count(UInt64(length))) bytes long")
            }
            checkedStrings += 1
        }
        return nil
    }
}

extension Analyzer {
    /// See ``AnalyzerCore/exceededLimit()``.
    public func exceededLimit() -> LimitExceeded? { core.exceededLimit() }
}
