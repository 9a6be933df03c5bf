import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// `rss` (0x39): ts and resident bytes, in both forms; the analysis keeps a bounded series.
@Suite struct RSSSampleTests {
    let records: [Record] = [.meta(Metadata(producer: "t", producerVersion: "1", pid: 7)),
                             .rssSample(timestamp: 10, residentBytes: 4096),
                             .rssSample(timestamp: 20_000_000, residentBytes: 1 << 30)]

    @Test func binaryAndTextRoundTrip() throws {
        let binary = try readAll(encodeBinary(records))
        #expect(binary.records == records)
        #expect(binary.diagnostics.isEmpty)
        #expect(MSDBinaryWriter.payload(of: records[1]) == [10, 0x80, 0x20])
        #expect(JSONLinesWriter.line(for: records[1]) == "{\"type\":\"rss\",\"ts\":10,\"resident_bytes\":4096}")
        var text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n"
        for record in records { text += JSONLinesWriter.line(for: record) + "\n" }
        #expect(try readAll(Array(text.utf8), path: "t.jsonl").records == records)
    }

    @Test func theSeriesIsBoundedAndKeepsThePeak() {
        var series = RSSSeries()
        for i in 0..<10_000 { series.add(timeNanoseconds: UInt64(i) * 1000, residentBytes: i == 7777 ? 1 << 40 : UInt64(i)) }
        #expect(series.points.count <= RSSSeries.capacity)
        #expect(series.points.count > RSSSeries.capacity / 2)
        #expect(series.samples == 10_000)
        #expect(series.peakBytes == 1 << 40)
        #expect(series.points.contains { $0.residentBytes == 1 << 40 })
        #expect(zip(series.points, series.points.dropFirst()).allSatisfy { $0.timeNanoseconds < $1.timeNanoseconds })
        #expect(series.points.first?.timeNanoseconds == 0)
    }

    @Test func analysisCollectsTheSamplesWithoutCountingThemAsEvents() {
        let analysis = analyze(records)
        #expect(analysis.rss.samples == 2)
        #expect(analysis.rss.peakBytes == 1 << 30)
        #expect(analysis.totals.events == 0)
    }
}
