import MemscopeModel

extension AnalyzerCore {
    mutating func finish(diagnostics readerDiagnostics: Diagnostics = Diagnostics(), truncated: Bool = false) -> Analysis {
        if metadata == nil {
            diagnostics.warn(key: "no-meta", "the dump holds no meta record; the program's command line, pid and clock unit are unknown (nanoseconds assumed)",
                             at: "start of the dump", hint: "the dump was probably cut off before its first record")
        }
        for entry in blocks.slots where entry.address != 0 && entry.isLive { endChain(entry) }

        live.finish(siteCount: siteStacks.count, threadCount: threads.stats.count)
        let sites = live.sites
        let siteLanes = live.lanes.takeFinished(sites: sites, lastTicks: lastTicks)
        var siteStats: [SiteStats] = []
        var costs: [(stack: UInt32, costs: Costs)] = []
        for s in siteStacks.indices.sorted(by: { siteStacks[$0] < siteStacks[$1] }) {
            let site = sites.figures(s).pointee
            let lived = sites.lifetimes(s).pointee
            let sizes = SizeHistogram(counts: (0..<SizeBuckets.count).map { b in
                UInt64(sites.sizes(s).pointee[b]) + (live.sizeCountOverflow[s * SizeBuckets.count + b] ?? 0)
            })
            let allocations = sizes.counts.reduce(0, +)
            let peakBytes = site.savedEpoch == live.peakEpoch ? site.bytesAtPeak : site.liveBytes
            // In a window, a site may only have carried-in blocks, freed after the window's peak:
            // no allocations and nothing live at the end, but its share of the peak counts.
            guard allocations > 0 || site.liveBlocks > 0 || peakBytes > 0 else { continue }
            var c = Costs()
            c.allocations = allocations
            c.bytesAllocated = site.bytesAllocated
            c.peakBytes = peakBytes
            c.leakedBytes = site.liveBytes
            c.leakedBlocks = site.liveBlocks
            c.temporaryAllocations = site.temporary
            let lifetimes = LifetimeStats(
                count: site.frees, totalNanoseconds: lived.total,
                minNanoseconds: site.frees == 0 ? 0 : lived.minimum,
                maxNanoseconds: lived.maximum,
                buckets: (0..<LifetimeBuckets.count).map { b in
                    UInt64(lived.buckets[b]) + (live.lifetimeCountOverflow[s * LifetimeBuckets.count + b] ?? 0)
                })
            siteStats.append(SiteStats(stack: siteStacks[s], costs: c, frees: site.frees, reallocs: siteReallocs[s],
                                       lifetimes: lifetimes, lane: siteLanes[s * SiteLanes.points..<(s + 1) * SiteLanes.points],
                                       sizes: sizes))
            costs.append((siteStacks[s], c))
        }

        var suppressed: [SuppressedLeaks] = []
        var suppressedBytes: UInt64 = 0
        var suppressedBlocks: UInt64 = 0
        if !options.suppressions.rules.isEmpty {
            for i in siteStats.indices where siteStats[i].costs.leakedBlocks > 0 {
                guard let rule = options.suppressions.match(siteStats[i].stack, in: symbols) else { continue }
                let (bytes, blocks) = (siteStats[i].costs.leakedBytes, siteStats[i].costs.leakedBlocks)
                if let k = suppressed.firstIndex(where: { $0.line == rule.line }) {
                    suppressed[k].sites += 1
                    suppressed[k].blocks += blocks
                    suppressed[k].bytes = saturatingAdd(suppressed[k].bytes, bytes)
                } else {
                    suppressed.append(SuppressedLeaks(pattern: rule.pattern, line: rule.line, sites: 1, blocks: blocks, bytes: bytes))
                }
                suppressedBytes = saturatingAdd(suppressedBytes, bytes)
                suppressedBlocks += blocks
                siteStats[i].costs.leakedBytes = 0
                siteStats[i].costs.leakedBlocks = 0
                costs[i].costs.leakedBytes = 0
                costs[i].costs.leakedBlocks = 0
            }
        }

        // Lanes are kept for the threads with the highest peak (the report draws the top ten
        // by the same order), so that a dump of many threads costs no lane per thread.
        let mergedThreads = threads.merged(with: live.threads)
        let threadsWithLanes = Set(mergedThreads.indices
            .sorted { (mergedThreads[$0].peakBytes, mergedThreads[$1].thread) > (mergedThreads[$1].peakBytes, mergedThreads[$0].thread) }
            .prefix(ThreadLanes.keptLanes))

        var final = totals
        final.peakBytes = live.peakBytes
        final.crossThreadFrees = live.crossThreadFrees
        if live.liveCarries > 0 || suppressedBytes == UInt64.max {
            // More than 64 bits live at the end (a forged dump): saturated and flagged.
            final.leakedBytes = UInt64.max
            final.overflowed.insert("leaked_bytes")
        } else {
            final.leakedBytes = live.liveBytes &- min(suppressedBytes, live.liveBytes)
        }
        if live.liveOverflowed && live.peakBytes == UInt64.max { final.overflowed.insert("peak_bytes") }
        if suppressedBytes == UInt64.max { final.overflowed.insert("suppressed_bytes") }
        final.leakedBlocks = siteStats.reduce(0) { $0 + $1.costs.leakedBlocks }
        final.suppressedBytes = suppressedBytes
        final.suppressedBlocks = suppressedBlocks
        final.peakTimeNanoseconds = nanoseconds(live.peakTicks)
        final.distinctStacks = UInt64(siteStats.filter { $0.stack != 0 && $0.costs.allocations > 0 }.count)
        final.threads = UInt64(threads.stats.count)
        final.durationNanoseconds = nanoseconds(lastTicks)

        let builder = CallTreeBuilder(symbols: symbols)
        var allDiagnostics = readerDiagnostics
        allDiagnostics.merge(diagnostics)

        var scopeParts: [String] = []
        if options.windowStartNanoseconds > 0 || options.windowEndNanoseconds != nil {
            let end = options.windowEndNanoseconds.map { Units.duration(nanoseconds: $0) } ?? "the end"
            scopeParts.append("from \(Units.duration(nanoseconds: options.windowStartNanoseconds)) to \(end): "
                + "allocations, frees and the peak count inside the window; earlier blocks are carried in; leaked means live at the window's end")
        }
        if let thread = options.thread { scopeParts.append("blocks allocated by thread \(thread) only (and their frees on any thread)") }
        var analysis = Analysis(
            metadata: metadata ?? .unknown,
            totals: final,
            symbols: symbols,
            sites: siteStats,
            topDown: CallTree.empty(.topDown),
            bottomUp: CallTree.empty(.bottomUp),
            timeline: live.timeline.timeline(nanosecondsPerTick: clockUnit),
            laneIntervalNanoseconds: saturatingMultiply(live.lanes.intervalTicks, clockUnit),
            addressReuse: reuse,
            reallocChains: chains,
            crossThread: live.allHandOffs.map { pair in
                ThreadPair(allocatingThread: threads.stats[pair.allocating].thread,
                           freeingThread: threads.stats[pair.freeing].thread,
                           blocks: pair.count.blocks, bytes: pair.count.bytes)
            }.sorted { ($0.bytes, $1.allocatingThread, $1.freeingThread) > ($1.bytes, $0.allocatingThread, $0.freeingThread) },
            threads: zip(mergedThreads, live.threadLanes.finished(threads: live.threads, count: threads.stats.count,
                                                                  lastTicks: lastTicks, kept: threadsWithLanes)).map { stats, lane in
                var converted = stats
                converted.lane = lane
                converted.firstSeenNanoseconds = nanoseconds(stats.firstSeenNanoseconds)
                converted.lastSeenNanoseconds = nanoseconds(stats.lastSeenNanoseconds)
                return converted
            }.sorted { $0.thread < $1.thread },
            errors: errors,
            processEnd: processEnd,
            diagnostics: allDiagnostics,
            truncated: truncated,
            suppressed: suppressed.sorted { $0.line < $1.line })
        analysis.scope = scopeParts.joined(separator: "; ")
        analysis.rss = rss
        if let recorder = live.slices {
            var slices = recorder.finished(siteStacks: siteStacks, lastTicks: lastTicks, nanosecondsPerTick: clockUnit)
            if !options.suppressions.rules.isEmpty {
                // Suppressed wherever they are live: as a window analysis zeroes their leaks.
                let stacks = Set(slices.slices.joined().map(\.stack)).filter { options.suppressions.match($0, in: symbols) != nil }
                slices.suppress(stacks: stacks)
            }
            analysis.slices = slices
        }
        var sizes = SizeHistogram()
        for b in 0..<SizeBuckets.count {
            sizes.counts[b] = live.runSizeCounts[b]
            sizes.bytes[b] = live.runSizeBytes[b]
        }
        analysis.sizes = sizes
        analysis.threadLaneIntervalNanoseconds = saturatingMultiply(live.threadLanes.intervalTicks, clockUnit)
        analysis.observations = observations
        analysis.contexts = contexts.finished()
        analysis.namedBlocks = namedBlocks.finished()
        analysis.unmatchedAnnotations = namedBlocks.unmatched
        if referenceScan.time != nil {
            let liveBlocks = blocks.slots.lazy.filter { $0.address != 0 && $0.isLive }
            let live = liveBlocks.map { (address: $0.address, size: $0.size, ticks: $0.timestamp) }
            // The C library's own blocks, by a function of their allocation stack.
            var runtimeStacks: [UInt32: Bool] = [:]
            var runtimeHeld: Set<UInt64> = []
            var nameFacts = RuntimeHeldBlocks.NameFacts()
            for block in liveBlocks {
                let held = runtimeStacks[block.stack] ?? {
                    let found = RuntimeHeldBlocks.isRuntimeHeld(stack: block.stack, in: symbols, facts: &nameFacts)
                    runtimeStacks[block.stack] = found
                    return found
                }()
                if held { runtimeHeld.insert(block.address) }
            }
            analysis.leakKinds = referenceScan.classify(live: Array(live), runtimeHeld: runtimeHeld)
        }
        finishModules(&analysis)
        analysis.moduleMap = modules.map
        analysis.classifyAllocatorFrames(options: options)
        // The block table's last use was above: let it go before the trees are built (the
        // peak of a report of a big dump).
        blocks = AddressTable(capacity: 0)
        if options.callTrees { (analysis.topDown, analysis.bottomUp) = builder.buildBoth(costs: costs) }
        return analysis
    }
}
