import MemscopeModel

/// Turns a stream of records into an ``Analysis``, in one pass.
///
/// ```swift
/// let analyzer = Analyzer()
/// try reader.forEach { analyzer.consume($0) }   // or consume(batch)
/// let analysis = analyzer.finish(diagnostics: reader.diagnostics, truncated: reader.wasTruncated)
/// ```
/// Memory grows with live blocks, distinct addresses, distinct stacks and threads, never
/// with the number of events.
public final class Analyzer {
    let options: AnalysisOptions
    var metadata: Metadata?
    var symbols = SymbolTable()
    var blocks = AddressTable()
    /// Per stack id (index 0 = no stack).
    var sites: [SiteAccumulator] = [SiteAccumulator()]
    /// Per stack id, ``LifetimeBuckets/count`` counters each.
    var lifetimeBuckets: [UInt64] = Array(repeating: 0, count: LifetimeBuckets.count)
    var totals = Totals()
    var liveBytes: UInt64 = 0
    /// Incremented whenever a new global peak is reached.
    var peakEpoch: UInt32 = 0
    var peakTicks: UInt64 = 0
    /// Address of the most recent allocation, 0 after any free (heaptrack's rule).
    var lastAllocation: UInt64 = 0
    var lastTicks: UInt64 = 0
    var timeline: TimelineReducer
    var threads = ThreadTable()
    var crossThread: [UInt64: (blocks: UInt64, bytes: UInt64)] = [:]
    var errorIndex: [ErrorKey: Int] = [:]
    var errors: [MemoryErrorSite] = []
    var chains = ReallocChains()
    var reuse = AddressReuse()
    var processEnd: ProcessEnd?
    var diagnostics = Diagnostics()

    public init(options: AnalysisOptions = .default) {
        self.options = options
        self.timeline = TimelineReducer(capacity: options.timelinePoints)
    }

    var clockUnit: UInt64 { metadata?.clockUnitNanoseconds ?? 1 }

    @inline(__always)
    func nanoseconds(_ ticks: UInt64) -> UInt64 { saturatingMultiply(ticks, clockUnit) }

    /// Consumes a batch of records in order.
    public func consume(_ batch: [Record]) {
        for record in batch { consume(record) }
    }

    /// Consumes one record.
    public func consume(_ record: Record) {
        switch record {
        case .alloc(let a):
            let t = tick(a.timestamp)
            allocate(address: a.address, size: a.size, stack: a.stack, thread: a.thread, ticks: t)
        case .free(let f):
            free(f, ticks: tick(f.timestamp))
        case .realloc(let r):
            realloc(r, ticks: tick(r.timestamp))
        case .string, .frame, .stack:
            symbols.apply(record)
            if case .stack = record {
                sites.append(SiteAccumulator())
                lifetimeBuckets.append(contentsOf: repeatElement(0, count: LifetimeBuckets.count))
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
        case .unknown:
            break
        }
    }

    /// Counts an event and returns its effective time: timestamps that go backwards are
    /// clamped to the latest seen, with one grouped warning.
    @inline(__always)
    func tick(_ ticks: UInt64) -> UInt64 {
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

/// Per-site running figures.
struct SiteAccumulator {
    var allocations: UInt64 = 0
    var bytesAllocated: UInt64 = 0
    var temporary: UInt64 = 0
    var frees: UInt64 = 0
    var reallocs: UInt64 = 0
    var liveBytes: UInt64 = 0
    var liveBlocks: UInt64 = 0
    /// Live bytes at the last global peak, valid when `savedEpoch == peakEpoch`.
    var bytesAtPeak: UInt64 = 0
    var savedEpoch: UInt32 = 0
    var lifetimeCount: UInt64 = 0
    var lifetimeTotal: UInt64 = 0
    var lifetimeMin: UInt64 = .max
    var lifetimeMax: UInt64 = 0
}

/// Distinct memory errors are merged by this key.
struct ErrorKey: Hashable {
    var kind: MemoryErrorSite.Kind
    var stack: UInt32
    var allocationStack: UInt32
    var firstFreeStack: UInt32
}

/// Threads by OS id, with a one-entry cache (consecutive events tend to share a thread).
struct ThreadTable {
    var stats: [ThreadStats] = []
    private var index: [UInt32: Int] = [:]
    private var cachedThread: UInt32 = 0
    private var cachedIndex = -1

    @inline(__always)
    mutating func withThread(_ thread: UInt32, ticks: UInt64, _ body: (inout ThreadStats) -> Void) {
        let i: Int
        if cachedIndex >= 0 && cachedThread == thread {
            i = cachedIndex
        } else if let found = index[thread] {
            i = found
        } else {
            i = stats.count
            index[thread] = i
            stats.append(ThreadStats(thread: thread, name: "", firstSeenNanoseconds: ticks, lastSeenNanoseconds: ticks,
                                     started: false, exited: false, allocations: 0, bytesAllocated: 0, frees: 0))
        }
        cachedThread = thread
        cachedIndex = i
        stats[i].lastSeenNanoseconds = ticks
        body(&stats[i])
    }
}
