@testable import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The per-slice figures behind the report's range selection: all slices add up to the
/// run's figures, any range of whole slices equals an analysis of that window, the count
/// stays bounded, and the same input gives the same slices.
@Suite struct TimelineSliceTests {
    func sample(_ name: String) throws -> [Record] {
        let reader = try DumpOpener.open(path: TestPaths.sample(name))
        var records: [Record] = []
        try reader.forEach { records.append($0) }
        return records
    }

    func sliced(_ records: [Record], slices: Int = 64, suppressions: Suppressions = Suppressions()) -> Analysis {
        var options = AnalysisOptions(suppressions: suppressions)
        options.timelineSlices = slices
        return analyze(records, options: options)
    }

    /// One site's figures summed over slices `range` (live figures from the first slice on).
    struct Sum: Equatable, CustomStringConvertible {
        var allocations: UInt64 = 0, bytes: UInt64 = 0, frees: UInt64 = 0
        var liveBytes: Int64 = 0, liveBlocks: Int64 = 0
        var description: String { "calls \(allocations) bytes \(bytes) frees \(frees) live \(liveBytes) B in \(liveBlocks)" }
    }

    func sums(_ slices: TimelineSlices, _ range: ClosedRange<Int>) -> [UInt32: Sum] {
        var out: [UInt32: Sum] = [:]
        for k in 0...range.upperBound {
            for cell in slices.slices[k] {
                var s = out[cell.stack, default: Sum()]
                if range.contains(k) {
                    s.allocations += cell.allocations
                    s.bytes += cell.bytesAllocated
                    s.frees += cell.frees
                }
                s.liveBytes += cell.liveBytesChange
                s.liveBlocks += cell.liveBlocksChange
                out[cell.stack] = s
            }
        }
        return out
    }

    /// What a window analysis says per site, in the same terms.
    func windowSums(_ window: Analysis) -> [UInt32: Sum] {
        var out: [UInt32: Sum] = [:]
        for site in window.sites {
            out[site.stack] = Sum(allocations: site.costs.allocations, bytes: site.costs.bytesAllocated, frees: site.frees,
                                  liveBytes: Int64(site.costs.leakedBytes), liveBlocks: Int64(site.costs.leakedBlocks))
        }
        return out
    }

    /// Drops sites with nothing to say (a window keeps a site whose only share is its peak).
    func nonZero(_ sums: [UInt32: Sum]) -> [UInt32: Sum] { sums.filter { $0.value != Sum() } }

    /// Checks a range's sums against its window: per site, and the frees in total (a window
    /// lists no site whose only figures in it are frees, but counts them).
    func expectEqual(_ range: [UInt32: Sum], window: Analysis, _ comment: Comment) {
        let listed = windowSums(window)
        var got = range
        for (stack, sum) in got where listed[stack] == nil && sum.allocations == 0 && sum.liveBlocks == 0 { got[stack]?.frees = 0 }
        #expect(nonZero(got) == nonZero(listed), comment)
        #expect(range.values.reduce(0) { $0 + $1.frees } == window.totals.frees, comment)
        #expect(range.values.reduce(0) { $0 + $1.allocations } == window.totals.allocations, comment)
        #expect(range.values.reduce(0) { $0 + $1.bytes } == window.totals.bytesAllocated, comment)
        #expect(range.values.reduce(0) { $0 + $1.liveBytes } == Int64(window.totals.leakedBytes), comment)
    }

    /// The window of slices `range`, as `--from`/`--to` would give it.
    func window(_ records: [Record], _ slices: TimelineSlices, _ range: ClosedRange<Int>,
                suppressions: Suppressions = Suppressions()) -> Analysis {
        var options = AnalysisOptions(suppressions: suppressions)
        options.windowStartNanoseconds = slices.start(range.lowerBound)
        if range.upperBound < slices.slices.count - 1 { options.windowEndNanoseconds = slices.end(range.upperBound) - 1 }
        return analyze(records, options: options)
    }

    @Test(arguments: ["server-leak.msd", "realloc-builder.msd", "thread-handoff.msd", "memory-errors.msd", "recorded/minihttpd.msd"])
    func allSlicesAddUpToTheRun(sample name: String) throws {
        let a = sliced(try sample(name))
        let slices = try #require(a.slices)
        #expect(slices.isExact)
        #expect((32...64).contains(slices.slices.count), "\(slices.slices.count) slices")
        let all = sums(slices, 0...(slices.slices.count - 1))
        for site in a.sites {
            let s = all[site.stack] ?? Sum()
            #expect(s.allocations == site.costs.allocations && s.bytes == site.costs.bytesAllocated && s.frees == site.frees,
                    "site \(site.stack): \(s)")
            #expect(s.liveBytes == Int64(site.costs.leakedBytes) && s.liveBlocks == Int64(site.costs.leakedBlocks), "site \(site.stack): \(s)")
        }
        #expect(all.values.reduce(0) { $0 + $1.allocations } == a.totals.allocations)
        #expect(all.values.reduce(0) { $0 + $1.bytes } == a.totals.bytesAllocated)
        #expect(all.values.reduce(0) { $0 + $1.frees } == a.totals.frees)
        #expect(all.values.reduce(0) { $0 + $1.liveBytes } == Int64(a.totals.leakedBytes))
        // Slices cover the run: the last one holds its last event.
        #expect(slices.end(slices.slices.count - 1) > a.totals.durationNanoseconds || a.timeline.points.isEmpty)
        // Asking for slices changes no other figure.
        var plain = analyze(try sample(name))
        plain.slices = a.slices
        #expect(plain == a)
    }

    @Test(arguments: ["server-leak.msd", "realloc-builder.msd", "thread-handoff.msd", "recorded/minihttpd.msd"])
    func aRangeEqualsAnAnalysisOfItsWindow(sample name: String) throws {
        let records = try sample(name)
        let slices = try #require(sliced(records).slices)
        let last = slices.slices.count - 1
        for range in [0...0, 0...last, 3...(last / 2), (last / 2)...last, last...last, 5...5] {
            expectEqual(sums(slices, range), window: window(records, slices, range), "slices \(range) of \(name)")
        }
    }

    /// Random dumps: allocations, frees, reallocs (moving, in place, failed, of freed
    /// blocks), double frees and allocations over live blocks, on several threads, at
    /// random times; every range of a few is checked against its window.
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func randomDumpsRangesEqualWindows(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var dump = DumpBuilder()
        let stacks = (0..<12).map { dump.stack("main", "work\($0 % 4)", "site\($0)") }
        var live: [UInt64] = []
        var ts: UInt64 = 0
        var nextAddress: UInt64 = 0x1000
        for _ in 0..<3_000 {
            ts += random.next() % 4 == 0 ? random.next() % 50_000 : random.next() % 200
            let thread = UInt32(1 + random.next() % 3)
            let stack = stacks[Int(random.next() % UInt64(stacks.count))]
            switch random.next() % 10 {
            case 0...4:
                let address = random.next() % 20 == 0 && !live.isEmpty ? live[Int(random.next() % UInt64(live.count))] : nextAddress
                if address == nextAddress { nextAddress += 0x100 } else { live.removeAll { $0 == address } }
                dump.alloc(ts: ts, thread: thread, address: address, size: 1 + random.next() % 4096, stack: stack)
                live.append(address)
            case 5...7:
                let address = live.isEmpty || random.next() % 15 == 0 ? 0x999_000 : live.remove(at: Int(random.next() % UInt64(live.count)))
                dump.free(ts: ts, thread: thread, address: address, stack: stack)
            default:
                guard !live.isEmpty else { continue }
                let i = Int(random.next() % UInt64(live.count))
                let moves = random.next() % 2 == 0
                let new = moves ? nextAddress : live[i]
                if moves { nextAddress += 0x100 }
                dump.realloc(ts: ts, thread: thread, from: live[i], to: new, size: 1 + random.next() % 8192, stack: stack)
                live[i] = new
            }
        }
        // Half the runs go on past their last heap event (the slices must still span the run).
        if seed % 2 == 0 { dump.threadName(ts: ts * 3, thread: 1, "late") }
        let records = dump.records
        let slices = sliced(records).slices!
        let run = analyze(records).totals.durationNanoseconds
        #expect(slices.end(slices.slices.count - 1) > run && slices.start(slices.slices.count - 1) <= run)
        #expect(slices.slices.count <= 64 && slices.slices.count >= 32, "\(slices.slices.count)")
        let last = slices.slices.count - 1
        for _ in 0..<6 {
            let a = Int(random.next() % UInt64(last + 1)), b = Int(random.next() % UInt64(last + 1))
            let range = min(a, b)...max(a, b)
            expectEqual(sums(slices, range), window: window(records, slices, range), "seed \(seed), slices \(range)")
        }
    }

    /// Suppressed sites are left out of the live figures, as a window's leaks leave them out.
    @Test func suppressedSitesLeaveTheLiveFigures() throws {
        let records = try sample("server-leak.msd")
        let rules = try Suppressions(parsing: "leak:cache_insert\n")
        let a = sliced(records, suppressions: rules)
        let slices = try #require(a.slices)
        #expect(a.totals.suppressedBytes > 0, "the rule matches a leak of the sample")
        let last = slices.slices.count - 1
        for range in [0...last, 2...(last / 2)] {
            expectEqual(sums(slices, range), window: window(records, slices, range, suppressions: rules), "slices \(range)")
        }
    }

    /// However long the run (here 2^40 ticks, and a jump at the end), at most the asked-for
    /// slices, at least half of them; and the same records give the same slices.
    @Test func boundedAndDeterministic() {
        var dump = DumpBuilder()
        let stack = dump.stack("main", "grow")
        for i in 0..<2_000 as Range<UInt64> {
            dump.alloc(ts: i << 28, address: 0x1000 + i * 0x40, size: 32, stack: stack)
            if i % 3 == 0 { dump.free(ts: (i << 28) + 5, address: 0x1000 + i * 0x40) }
        }
        dump.alloc(ts: 1 << 50, address: 0xF000_0000, size: 8, stack: stack)
        for capacity in [8, 32, 64] {
            let a = sliced(dump.records, slices: capacity)
            let slices = a.slices!
            #expect(slices.slices.count <= capacity && slices.slices.count > capacity / 2, "\(capacity): \(slices.slices.count)")
            #expect(slices.slices.joined().reduce(0) { $0 + $1.allocations } == a.totals.allocations)
            #expect(sliced(dump.records, slices: capacity).slices == slices, "deterministic")
        }
        // Merging slices keeps every sum.
        let slices = sliced(dump.records).slices!
        let merged = slices.merged(by: 4)
        #expect(merged.slices.count == (slices.slices.count + 3) / 4 && merged.sliceNanoseconds == slices.sliceNanoseconds * 4)
        #expect(sums(merged, 0...(merged.slices.count - 1)) == sums(slices, 0...(slices.slices.count - 1)))
        #expect(sums(merged, 1...2) == sums(slices, 4...11))
    }

    @Test func noSlicesUnlessAsked() throws {
        #expect(analyze(try sample("tiny.jsonl")).slices == nil)
    }
}
