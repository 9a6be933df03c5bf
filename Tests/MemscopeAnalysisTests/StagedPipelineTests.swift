import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The pipeline runs one analysis in two stages on two threads (block stage, live stage);
/// several analyses run each in one piece. Both must give the same figures, to the byte,
/// over a dump of many batches with every kind of heap event.
@Suite struct StagedPipelineTests {
    /// A seeded, messy run: 6 threads, 40 stacks, allocations, frees on other threads,
    /// reallocs (moving, in place, to zero, failed), double and invalid frees, allocations at
    /// live addresses, a timestamp that goes backwards, thread names and exits.
    static func messyDump(events: Int = 70_000) -> [Record] {
        var dump = DumpBuilder()
        var state: UInt64 = 0x5EED
        func next(_ bound: UInt64) -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return (z ^ (z >> 31)) % bound
        }
        let stacks = (0..<40).map { dump.stack("main", "worker\($0 % 7)", "make\($0)") }
        for t in 1...6 { dump.threadName(ts: 0, thread: UInt32(t), "worker-\(t)") }
        var live: [(address: UInt64, size: UInt64)] = []
        var freed: [UInt64] = []
        var ts: UInt64 = 10
        for i in 0..<events {
            ts += 1 + next(40)
            if i == events / 3 { ts -= 500 }  // backwards: clamped, with a warning
            let thread = UInt32(1 + next(6))
            let stack = stacks[Int(next(UInt64(stacks.count)))]
            switch next(100) {
            case 0..<45:
                let address = 0x10_0000 + next(60_000) * 16
                if let k = live.firstIndex(where: { $0.address == address }) { live.remove(at: k) }  // alloc at live
                let size = 1 + next(next(10) == 0 ? 70_000 : 300)
                dump.alloc(ts: ts, thread: thread, address: address, size: size, stack: stack)
                live.append((address, size))
            case 45..<80 where !live.isEmpty:
                let block = live.remove(at: Int(next(UInt64(live.count))))
                dump.free(ts: ts, thread: thread, address: block.address, stack: stacks[Int(next(4))])
                freed.append(block.address)
            case 80..<92 where !live.isEmpty:
                let k = Int(next(UInt64(live.count)))
                let old = live[k]
                switch next(10) {
                case 0:  // to zero: a free
                    dump.realloc(ts: ts, thread: thread, from: old.address, to: 0, size: 0, stack: stack)
                    live.remove(at: k)
                case 1:  // failed: the block stays
                    dump.realloc(ts: ts, thread: thread, from: old.address, to: 0, size: old.size * 2, stack: stack)
                case 2, 3:  // in place
                    dump.realloc(ts: ts, thread: thread, from: old.address, to: old.address, size: old.size + 8, stack: stack)
                    live[k].size += 8
                default:
                    let address = 0x900_0000 + UInt64(i) * 32
                    dump.realloc(ts: ts, thread: thread, from: old.address, to: address, size: old.size * 2, stack: stack)
                    live[k] = (address, old.size * 2)
                }
            case 92..<94 where !freed.isEmpty:
                dump.free(ts: ts, thread: thread, address: freed[Int(next(UInt64(freed.count)))], stack: stack)
            case 94:
                dump.free(ts: ts, thread: thread, address: 0xDEAD_0000 + next(100) * 8, stack: stack)
            case 95:
                dump.free(ts: ts, thread: thread, address: 0, stack: stack)
            default:
                dump.alloc(ts: ts, thread: thread, address: 0x5000_0000 + UInt64(i) * 64, size: 24, stack: stack)
                dump.free(ts: ts + 1, thread: thread, address: 0x5000_0000 + UInt64(i) * 64)
                ts += 1
            }
        }
        dump.append(.threadExit(timestamp: ts, thread: 3))
        dump.end(ts: ts + 1)
        return dump.records
    }

    /// Expects equal renderings, naming the first line that differs (they are long).
    func expectSame(_ actual: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) where a != e {
            let (aLines, eLines) = (a.split(separator: "\n"), e.split(separator: "\n"))
            let k = (0..<min(aLines.count, eLines.count)).first { aLines[$0] != eLines[$0] } ?? min(aLines.count, eLines.count)
            let line = { (lines: [Substring]) in k < lines.count ? String(lines[k]) : "(end)" }
            Issue.record("line \(k + 1) differs: \(line(aLines)) ≠ expected \(line(eLines))", sourceLocation: sourceLocation)
        }
    }

    func runPipeline(_ bytes: [UInt8], everyOptions: [AnalysisOptions]) throws -> [String] {
        let reader = Source(try DumpOpener.open(bytes: bytes, path: "messy.msd"))
        return try AnalysisPipeline.run(reader: reader, everyOptions: everyOptions).map(AnalysisDump.render)
    }

    @Test func stagedAnalysisMatchesTheOneThreadAnalysis() throws {
        let records = Self.messyDump()
        #expect(records.count > 4 * 16_384, "the dump spans several batches")
        let bytes = encodeBinary(records)
        let parsed = try readAll(bytes).records

        let expected = AnalysisDump.render(analyze(parsed))
        let staged = try runPipeline(bytes, everyOptions: [.default])
        expectSame(staged, [expected])
        for needle in ["double_free", "invalid_free", "an address that is still live", "timestamp is earlier"] {
            #expect(expected.contains(needle), "the run exercises \(needle)")
        }
    }

    @Test func anErrorDeepInTheDumpStopsEveryStage() throws {
        var records = Self.messyDump(events: 60_000)
        // A free naming a stack that was never defined, after several batches.
        records.insert(.free(Free(timestamp: 1 << 40, thread: 1, address: 0x10, stack: 999_999)), at: 50_000)
        let bytes = encodeBinary(records)
        #expect(throws: DumpError.self) { _ = try runPipeline(bytes, everyOptions: [.default]) }
        #expect(throws: DumpError.self) { _ = try runPipeline(bytes, everyOptions: [.default, .default]) }
    }

    @Test func stagedWindowAndThreadViewsMatch() throws {
        let bytes = encodeBinary(Self.messyDump(events: 40_000))
        let parsed = try readAll(bytes).records
        var window = AnalysisOptions()
        window.windowStartNanoseconds = 200_000
        window.windowEndNanoseconds = 600_000
        var thread = AnalysisOptions()
        thread.thread = 4
        for options in [window, thread] {
            let expected = AnalysisDump.render(analyze(parsed, options: options))
            expectSame(try runPipeline(bytes, everyOptions: [options]), [expected])
        }
        // Several analyses at once run each in one piece: the same figures again.
        let together = try runPipeline(bytes, everyOptions: [.default, window, thread])
        expectSame(together, [.default, window, thread].map { AnalysisDump.render(analyze(parsed, options: $0)) })
    }
}

/// A dump reader as the pipeline's source.
private final class Source: RecordBatchSource {
    let reader: any RecordReader
    init(_ reader: any RecordReader) { self.reader = reader }
    var diagnostics: Diagnostics { reader.diagnostics }
    var wasTruncated: Bool { reader.wasTruncated }
    func read(into batch: RecordBatch, maxCount: Int) throws -> Bool {
        try reader.read(into: batch, maxCount: maxCount)
    }
}
