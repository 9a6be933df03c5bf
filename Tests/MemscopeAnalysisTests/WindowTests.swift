@testable import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

@Suite struct WindowTests {
    func sample(_ name: String) throws -> [Record] {
        let reader = try DumpOpener.open(path: TestPaths.sample(name))
        var records: [Record] = []
        try reader.forEach { records.append($0) }
        return records
    }

    @Test func threadViewsPartitionTheAllocations() throws {
        let records = try sample("server-leak.msd")
        let whole = analyze(records)
        var allocations: UInt64 = 0
        var bytes: UInt64 = 0
        var leaked: UInt64 = 0
        for thread in whole.threads {
            var options = AnalysisOptions()
            options.thread = thread.thread
            let part = analyze(records, options: options)
            #expect(part.totals.allocations == thread.allocations, "thread \(thread.thread)")
            #expect(part.scope.contains("thread \(thread.thread)"))
            allocations += part.totals.allocations
            bytes += part.totals.bytesAllocated
            leaked += part.totals.leakedBytes
        }
        #expect(allocations == whole.totals.allocations)
        #expect(bytes == whole.totals.bytesAllocated)
        #expect(leaked == whole.totals.leakedBytes)
    }

    @Test func windowsSplitTheCountsAndCarryBlocksIn() throws {
        let records = try sample("server-leak.msd")
        let whole = analyze(records)
        let middle = whole.totals.durationNanoseconds / 2
        var first = AnalysisOptions()
        first.windowEndNanoseconds = middle
        var second = AnalysisOptions()
        second.windowStartNanoseconds = middle + 1
        let a = analyze(records, options: first)
        let b = analyze(records, options: second)
        #expect(a.totals.allocations + b.totals.allocations == whole.totals.allocations)
        #expect(a.totals.bytesAllocated + b.totals.bytesAllocated == whole.totals.bytesAllocated)
        #expect(b.totals.leakedBytes == whole.totals.leakedBytes)  // the second window runs to the end
        #expect(a.totals.durationNanoseconds <= middle)
        // Live at the end of the first window equals the live heap at that time in the whole timeline.
        #expect(a.totals.leakedBytes <= whole.totals.peakBytes)
        #expect(b.totals.peakBytes <= whole.totals.peakBytes && a.totals.peakBytes <= whole.totals.peakBytes)
        #expect(max(a.totals.peakBytes, b.totals.peakBytes) == whole.totals.peakBytes)
    }
}
