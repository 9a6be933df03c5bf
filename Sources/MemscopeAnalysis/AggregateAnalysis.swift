import MemscopeModel

/// Builds an ``Analysis`` from per-stack totals, for inputs that hold aggregates rather
/// than events (DHAT program points, massif snapshot trees, folded stacks, memscope-rs
/// exports). Nothing is replayed: lifetimes, threads, address reuse and realloc chains
/// stay empty, and the figures are exactly the ones given.
public struct AggregateInput: Sendable {
    /// One allocation site: a stack of ``symbols`` and what it cost.
    public struct Site: Sendable {
        public var stack: UInt32
        public var costs: Costs
        public var frees: UInt64

        public init(stack: UInt32, costs: Costs, frees: UInt64 = 0) {
            self.stack = stack
            self.costs = costs
            self.frees = frees
        }
    }

    /// Live heap bytes at one moment (ns since the start), e.g. a massif snapshot.
    public struct Sample: Sendable {
        public var timeNanoseconds: UInt64
        public var liveBytes: UInt64

        public init(timeNanoseconds: UInt64, liveBytes: UInt64) {
            self.timeNanoseconds = timeNanoseconds
            self.liveBytes = liveBytes
        }
    }

    public var metadata: Metadata
    public var symbols: SymbolTable
    public var sites: [Site]
    /// Heap over time; may be empty.
    public var samples: [Sample] = []
    /// The input's own totals; ``Totals/distinctStacks`` is computed from ``sites``.
    public var allocations: UInt64 = 0
    public var frees: UInt64 = 0
    public var bytesAllocated: UInt64 = 0
    public var peakBytes: UInt64 = 0
    public var peakTimeNanoseconds: UInt64 = 0
    public var leakedBytes: UInt64 = 0
    public var leakedBlocks: UInt64 = 0
    public var temporaryAllocations: UInt64 = 0
    public var durationNanoseconds: UInt64 = 0
    public var notes: InputNotes
    public var diagnostics = Diagnostics()
    /// Totals that passed 64 bits (an input's figures are untrusted): they saturate at
    /// `UInt64.max` and are flagged in ``Totals/overflowed``.
    public var overflowed: Set<String> = []

    /// Adds a figure of the input to one of the totals, saturating and flagging it.
    public mutating func add(_ value: UInt64, to total: WritableKeyPath<AggregateInput, UInt64>, _ name: String) {
        let (sum, overflow) = self[keyPath: total].addingReportingOverflow(value)
        self[keyPath: total] = overflow ? UInt64.max : sum
        if overflow { overflowed.insert(name) }
    }

    public init(metadata: Metadata, symbols: SymbolTable, sites: [Site], notes: InputNotes) {
        self.metadata = metadata
        self.symbols = symbols
        self.sites = sites
        self.notes = notes
    }
}

extension Analysis {
    /// The analysis of an aggregate input (see ``AggregateInput``).
    public init(aggregate input: AggregateInput, options: AnalysisOptions = .default) {
        var merged: [UInt32: AggregateInput.Site] = [:]
        for site in input.sites {
            if var existing = merged[site.stack] {
                existing.costs += site.costs
                existing.frees = saturatingAdd(existing.frees, site.frees)
                merged[site.stack] = existing
            } else {
                merged[site.stack] = site
            }
        }
        let sorted = merged.values.filter { !$0.costs.isZero }.sorted { $0.stack < $1.stack }
        let costs = sorted.map { (stack: $0.stack, costs: $0.costs) }
        let builder = CallTreeBuilder(symbols: input.symbols)

        var totals = Totals()
        totals.allocations = input.allocations
        totals.frees = input.frees
        totals.bytesAllocated = input.bytesAllocated
        totals.peakBytes = input.peakBytes
        totals.peakTimeNanoseconds = input.peakTimeNanoseconds
        totals.leakedBytes = input.leakedBytes
        totals.leakedBlocks = input.leakedBlocks
        totals.temporaryAllocations = input.temporaryAllocations
        totals.durationNanoseconds = max(input.durationNanoseconds, input.samples.last?.timeNanoseconds ?? 0)
        totals.distinctStacks = UInt64(sorted.filter { $0.stack != 0 }.count)
        totals.overflowed = input.overflowed

        self.init(
            metadata: input.metadata,
            totals: totals,
            symbols: input.symbols,
            sites: sorted.map {
                SiteStats(stack: $0.stack, costs: $0.costs, frees: $0.frees, reallocs: 0,
                          lifetimes: LifetimeStats(), lane: [], sizes: SizeHistogram(counts: []))
            },
            topDown: builder.build(.topDown, costs: costs),
            bottomUp: builder.build(.bottomUp, costs: costs),
            timeline: Timeline(stepwise: input.samples, points: options.timelinePoints),
            laneIntervalNanoseconds: 0,
            addressReuse: AddressReuse(),
            reallocChains: ReallocChains(),
            crossThread: [],
            threads: [],
            errors: [],
            processEnd: nil,
            diagnostics: input.diagnostics,
            truncated: false,
            notes: input.notes)
    }
}

extension Timeline {
    /// A timeline of equal-width intervals from samples of the live heap, each holding
    /// until the next: every sample's value lands in its interval's maximum, so no peak
    /// is lost. Allocation counts per interval are unknown and stay 0.
    init(stepwise samples: [AggregateInput.Sample], points maximum: Int) {
        guard let last = samples.last, maximum > 0 else {
            self.init(intervalNanoseconds: 1, points: [])
            return
        }
        // Saturating: an input's times are untrusted, and may reach 2^64 - 1.
        let span = saturatingAdd(last.timeNanoseconds, 1)
        let count = UInt64(min(maximum, samples.count))
        let interval = max(1, span.dividedRoundingUp(by: count))
        var points: [Point] = []
        var current: UInt64 = 0
        var index = 0
        for i in 0..<Int(span.dividedRoundingUp(by: interval)) {
            let start = UInt64(i) * interval
            var high = current, low = current
            while index < samples.count && samples[index].timeNanoseconds < saturatingAdd(start, interval) {
                current = samples[index].liveBytes
                high = max(high, current)
                low = min(low, current)
                index += 1
            }
            points.append(Point(timeNanoseconds: start, maxLiveBytes: high, minLiveBytes: low, endLiveBytes: current,
                                allocations: 0, bytesAllocated: 0, frees: 0))
        }
        self.init(intervalNanoseconds: interval, points: points)
    }
}

extension AddressReuse {
    /// No figures, for inputs that record no addresses.
    public static var none: AddressReuse { AddressReuse() }
}

extension Analysis {
    /// Recomputes both call trees from ``sites``, after an importer adjusted site costs.
    public mutating func rebuildCallTrees() {
        let builder = CallTreeBuilder(symbols: symbols)
        let costs = sites.map { (stack: $0.stack, costs: $0.costs) }
        releaseCallTrees()
        (topDown, bottomUp) = builder.buildBoth(costs: costs)
    }

    /// Keeps the live-bytes lanes of the sites at `indices` only, each in storage of its own,
    /// and empties every other site's: the lanes share one buffer of 512 bytes a site (35 MB
    /// for a compiler's 67,000 sites), which a report holds to its end for the dozen sites
    /// its lane chart draws.
    public mutating func keepSiteLanes(of indices: some Sequence<Int>) {
        let kept = Set(indices)
        for i in sites.indices {
            sites[i].lane = kept.contains(i) ? ArraySlice(Array(sites[i].lane)) : []
        }
    }

    /// Empties both call trees, before new ones are built in their place (or for a copy that
    /// needs no trees: a render's view analyses, made while the run's trees are filtered).
    public mutating func releaseCallTrees() {
        topDown = CallTree.empty(.topDown)
        bottomUp = CallTree.empty(.bottomUp)
    }
}
