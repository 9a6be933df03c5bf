import MemscopeModel

/// Everything the analysis stage computes from a dump: exact figures traceable to events.
public struct Analysis: Sendable, Equatable {
    public var metadata: Metadata
    public var totals: Totals
    public var symbols: SymbolTable
    /// Per allocation site (a stack id), only sites with at least one allocation, by stack id.
    public var sites: [SiteStats]
    /// The calling-context tree, callers at the top (flamegraph).
    public var topDown: CallTree
    /// The inverted tree, allocating functions at the top (icicle / bottom-up).
    public var bottomUp: CallTree
    public var timeline: Timeline
    /// The process's resident set size over time (empty when the dump has no `rss` record).
    public var rss = RSSSeries()
    /// Width of each interval of ``SiteStats/lane``.
    public var laneIntervalNanoseconds: UInt64
    /// Width of each interval of ``ThreadStats/lane``.
    public var threadLaneIntervalNanoseconds: UInt64 = 0
    public var addressReuse: AddressReuse
    public var reallocChains: ReallocChains
    /// Blocks allocated on one thread and freed on another, per thread pair.
    public var crossThread: [ThreadPair]
    public var threads: [ThreadStats]
    /// Memory errors, one entry per distinct (kind, stacks), in order of first occurrence.
    public var errors: [MemoryErrorSite]
    public var processEnd: ProcessEnd?
    public var diagnostics: Diagnostics
    /// The dump was cut off; figures describe the part that was read.
    public var truncated: Bool
    /// What the input could and could not record, for inputs other than .msd dumps.
    public var notes = InputNotes()
    /// Leaks taken out of the leak figures by suppression rules, per rule that matched.
    public var suppressed: [SuppressedLeaks] = []
    /// What part of the dump the figures cover, when restricted (a time window, a thread);
    /// empty for the whole dump.
    public var scope = ""
    /// Allocations and bytes by size, for the whole run.
    public var sizes = SizeHistogram()
    /// Leak kinds from the recorder's reference scan; nil when the dump holds no scan.
    public var leakKinds: LeakKinds? = nil
    /// Annotation, scope, task, reference and module records seen.
    public var observations = ObservationCounts()
    /// The scopes and tasks the program named, with the allocations made in each
    /// (empty when the dump has no scope or task records).
    public var contexts: [ContextStats] = []
    /// The blocks the program named, by name, type and allocation site.
    public var namedBlocks: [NamedBlocks] = []
    /// Annotations of an address that held no live block.
    public var unmatchedAnnotations: UInt64 = 0
    /// Per module (see ``ModuleMap``): allocations, frees and leaks, most bytes first.
    public var modules: [ModuleStats] = []
    /// Blocks allocated by one module's code and released by another's, most bytes first.
    public var moduleHandOffs: [ModuleHandOff] = []
    /// Leaks whose allocating module differs from their last observed holder's.
    public var crossModuleLeaks: [CrossModuleLeak] = []
    /// Module address ranges and the per-stack attribution behind ``modulePath(ofStack:)``.
    public var moduleMap = ModuleMap()
    /// Which frames are allocators, wrappers or runtime code (site names go past them).
    public var allocatorFrames = AllocatorFrames()
    /// Every site's figures per equal slice of the run, when the options asked for them
    /// (``AnalysisOptions/timelineSlices``); nil otherwise.
    public var slices: TimelineSlices? = nil
}

/// Plain statements about an input's limits, shown in every report of it.
public struct InputNotes: Sendable, Equatable {
    /// The input, e.g. "heaptrack data file, format 3"; empty for memscope's own dumps.
    public var source: String
    /// Views this input cannot have, and why, e.g. "Threads: heaptrack records no thread ids."
    public var missingViews: [String]
    /// Figures that are inferred rather than captured, each with its rule, e.g.
    /// "Lifetimes: each free is matched to the latest allocation of the same size and stack (LIFO)."
    public var inferred: [String]

    /// Figures this input cannot have, by their `summary --json` key (`allocations`,
    /// `bytes_allocated`, `temporary_allocations`, `frees`, `peak_bytes`, `leaked_bytes`,
    /// `threads`, `errors`, `cross_thread_frees`) or view (`timeline`, `lifetimes`, `sizes`,
    /// `duration`). Reports show them as unavailable rather than as zero.
    public var unavailable: Set<String>
    /// What the input's clock counts when it is not time, e.g. "instructions" (massif's
    /// default, DHAT's instrs) or "bytes" (massif --time-unit=B); empty for time. Each such
    /// unit is stored as 1 ns, and reports say the unit instead of a duration.
    public var timeUnit: String = ""

    public init(source: String = "", missingViews: [String] = [], inferred: [String] = [], unavailable: Set<String> = []) {
        self.source = source
        self.missingViews = missingViews
        self.inferred = inferred
        self.unavailable = unavailable
    }

    public var isEmpty: Bool { source.isEmpty && missingViews.isEmpty && inferred.isEmpty }
}

/// The headline figures.
public struct Totals: Sendable, Equatable {
    /// Event records read (alloc, free, realloc, thread and process records).
    public var events: UInt64 = 0
    /// Allocation calls; a realloc counts as one.
    public var allocations: UInt64 = 0
    /// Blocks released: by free, or by a realloc of a live block (a realloc is a release
    /// followed by an allocation, even when the block stays in place, as in heaptrack).
    public var frees: UInt64 = 0
    /// Realloc calls that resized a live block.
    public var reallocs: UInt64 = 0
    public var bytesAllocated: UInt64 = 0
    public var peakBytes: UInt64 = 0
    public var peakTimeNanoseconds: UInt64 = 0
    /// Live at the end of the dump, less suppressed leaks.
    public var leakedBytes: UInt64 = 0
    public var leakedBlocks: UInt64 = 0
    /// Live at the end but matched by a leak suppression.
    public var suppressedBytes: UInt64 = 0
    public var suppressedBlocks: UInt64 = 0
    /// heaptrack's definition: blocks freed with no other allocation or free in between.
    public var temporaryAllocations: UInt64 = 0
    /// Blocks live when the process replaced its program (`exec`): gone with the old image,
    /// neither freed by the program nor leaked (memcheck, following the exec, starts anew).
    public var releasedAtExecBytes: UInt64 = 0
    public var releasedAtExecBlocks: UInt64 = 0
    /// Distinct stacks that allocated.
    public var distinctStacks: UInt64 = 0
    public var threads: UInt64 = 0
    /// Memory errors (every occurrence).
    public var errors: UInt64 = 0
    /// Blocks allocated on one thread and freed on another.
    public var crossThreadFrees: UInt64 = 0
    /// The last timestamp of the dump, in ns since its start.
    public var durationNanoseconds: UInt64 = 0
    /// Allocation calls that returned NULL (recorded with address 0).
    public var failedAllocations: UInt64 = 0
    /// free(NULL) calls, which do nothing.
    public var nullFrees: UInt64 = 0
    /// Figures whose exact value does not fit in 64 bits, by their `summary --json` key
    /// (`bytes_allocated`, `peak_bytes`, `leaked_bytes`, `suppressed_bytes`): they hold
    /// `UInt64.max` and are shown, and gated by `check`, as "more than".
    public var overflowed: Set<String> = []
}

/// The costs of one allocation site or call-tree node.
public struct Costs: Sendable, Equatable {
    public var allocations: UInt64 = 0
    public var bytesAllocated: UInt64 = 0
    /// Bytes live at the moment of the global peak.
    public var peakBytes: UInt64 = 0
    public var leakedBytes: UInt64 = 0
    public var leakedBlocks: UInt64 = 0
    public var temporaryAllocations: UInt64 = 0

    public init() {}

    /// Adds costs. Sums saturate at `UInt64.max` instead of trapping or wrapping: only a
    /// forged dump (2^16 blocks of 2^48 bytes) or an imported file's own figures (a DHAT
    /// `tbk` of 2^64 - 1) can exceed 64 bits, and the totals of such inputs are flagged
    /// (``Totals/overflowed``).
    public static func += (lhs: inout Costs, rhs: Costs) {
        lhs.allocations = saturatingAdd(lhs.allocations, rhs.allocations)
        lhs.bytesAllocated = saturatingAdd(lhs.bytesAllocated, rhs.bytesAllocated)
        lhs.peakBytes = saturatingAdd(lhs.peakBytes, rhs.peakBytes)
        lhs.leakedBytes = saturatingAdd(lhs.leakedBytes, rhs.leakedBytes)
        lhs.leakedBlocks = saturatingAdd(lhs.leakedBlocks, rhs.leakedBlocks)
        lhs.temporaryAllocations = saturatingAdd(lhs.temporaryAllocations, rhs.temporaryAllocations)
    }

    public var isZero: Bool { self == Costs() }
}

/// What one allocation site (a full stack) did.
public struct SiteStats: Sendable, Equatable {
    public var stack: UInt32
    public var costs: Costs
    public var frees: UInt64
    public var reallocs: UInt64
    /// Lifetimes of the site's freed blocks.
    public var lifetimes: LifetimeStats
    /// The site's highest live bytes in each of ``Analysis/laneIntervalNanoseconds``-wide
    /// intervals from the start of the dump (64 at most): a part of one array shared by
    /// every site (indices need not start at 0).
    public var lane: ArraySlice<UInt64>
    /// The site's allocations by size.
    public var sizes: SizeHistogram
}

/// Lifetimes (alloc to free) of blocks, in decade buckets (see ``LifetimeBuckets``).
public struct LifetimeStats: Sendable, Equatable {
    public var count: UInt64 = 0
    public var totalNanoseconds: UInt64 = 0
    public var minNanoseconds: UInt64 = 0
    public var maxNanoseconds: UInt64 = 0
    public var buckets: [UInt64] = Array(repeating: 0, count: LifetimeBuckets.count)

    public var meanNanoseconds: UInt64 { count == 0 ? 0 : totalNanoseconds / count }
}

/// Memory over time, reduced to at most ``AnalysisOptions/timelinePoints`` points of equal width.
public struct Timeline: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// Start of the interval, ns since the start of the dump.
        public var timeNanoseconds: UInt64
        /// Highest live heap in the interval (the global peak is kept exactly).
        public var maxLiveBytes: UInt64
        public var minLiveBytes: UInt64
        /// Live heap at the end of the interval.
        public var endLiveBytes: UInt64
        public var allocations: UInt64
        public var bytesAllocated: UInt64
        public var frees: UInt64
    }
    /// Width of every point in ns.
    public var intervalNanoseconds: UInt64
    public var points: [Point]
}

/// How often addresses were used again.
public struct AddressReuse: Sendable, Equatable {
    public var distinctAddresses: UInt64 = 0
    /// Addresses that held more than one block over the run.
    public var reusedAddresses: UInt64 = 0
    /// Allocations that landed on an address used before.
    public var allocationsAtReusedAddresses: UInt64 = 0
    /// Most blocks any one address held.
    public var maxGeneration: UInt64 = 0
}

/// Realloc chains: the successive blocks of one logically growing buffer.
public struct ReallocChains: Sendable, Equatable {
    /// Chains with at least one realloc.
    public var chains: UInt64 = 0
    public var reallocs: UInt64 = 0
    public var longest: UInt64 = 0
    /// The allocation stack of the longest chain's first block.
    public var longestRootStack: UInt32 = 0
    /// Reallocs that moved the block to a new address.
    public var moves: UInt64 = 0
}

public struct ThreadPair: Sendable, Equatable {
    public var allocatingThread: UInt32
    public var freeingThread: UInt32
    public var blocks: UInt64
    public var bytes: UInt64
}

public struct ThreadStats: Sendable, Equatable {
    public var thread: UInt32
    public var name: String
    public var firstSeenNanoseconds: UInt64
    public var lastSeenNanoseconds: UInt64
    public var started: Bool
    public var exited: Bool
    public var allocations: UInt64
    public var bytesAllocated: UInt64
    public var frees: UInt64
    /// Bytes of blocks this thread allocated that were live at once, at most.
    public var peakBytes: UInt64
    /// Bytes of blocks this thread allocated still live at the end.
    public var liveBytes: UInt64
    /// Highest live bytes of this thread's blocks per ``Analysis/threadLaneIntervalNanoseconds``
    /// interval; kept for the 256 threads with the highest peak (ties: the higher thread id
    /// first), empty for the others.
    public var lane: [UInt64] = []
}

/// One distinct memory error seen in the events.
public struct MemoryErrorSite: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// A free of an address whose block was already freed.
        case doubleFree = "double_free"
        /// A free of an address that never held a block in the dump.
        case invalidFree = "invalid_free"
        /// A realloc of an address whose block was already freed.
        case reallocAfterFree = "realloc_after_free"
        /// A realloc of an address that never held a block.
        case invalidRealloc = "invalid_realloc"
        /// A write outside a block (a damaged red zone, `record --guard`).
        case overflow = "overflow"
        /// A write to a freed block (a changed quarantine pattern, `record --quarantine`).
        case writeAfterFree = "write_after_free"
    }
    public var kind: Kind
    /// The stack of the offending free or realloc.
    public var stack: UInt32
    /// The allocation stack of the block that lived there (0 when none).
    public var allocationStack: UInt32
    /// The stack of the earlier free (0 when none).
    public var firstFreeStack: UInt32
    public var count: UInt64
    public var firstAddress: UInt64
    public var firstTimeNanoseconds: UInt64
    public var firstThread: UInt32
    /// The stack of the operation that found an overflow or a write after free (a free,
    /// or the call that evicted the block from quarantine); 0 when found at exit or for
    /// the other kinds (whose `stack` is the offending call).
    public var foundStack: UInt32 = 0
    /// For overflows and writes after free: where the damage is, at the first occurrence.
    public var side: MemoryError.Side? = nil
    /// The damaged byte nearest the block at the first occurrence (see ``MemoryError/Side``).
    public var offset: UInt64 = 0
    /// Damaged bytes, most in any one occurrence.
    public var bytesDamaged: UInt64 = 0
    /// The size of the block at the first occurrence (0 when unknown).
    public var blockSize: UInt64 = 0
}
