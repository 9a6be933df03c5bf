import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The recorder samples the process's RSS (on heap events, at most every 10 ms, and at
/// start and exit); the dump carries `rss` records and the report draws them.
@Suite struct RecordRSSTests {
    @Test func rssIsSampledBesideTheHeap() throws {
        let program = try TestProgram.compile("rss")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        var samples: [(ts: UInt64, bytes: UInt64)] = []
        var lastEventTime: UInt64 = 0
        for record in recorded.records {
            switch record {
            case .rssSample(let ts, let bytes):
                #expect(ts >= lastEventTime, "an rss record out of time order")
                samples.append((ts, bytes))
            case .alloc(let a): lastEventTime = max(lastEventTime, a.timestamp)
            default: break
            }
        }
        // 20 rounds 5 ms apart: a sample every 10 ms or so, plus start and exit.
        #expect(samples.count >= 8, "\(samples.count) samples")
        #expect(samples.count <= 40, "\(samples.count) samples")
        let first = try #require(samples.first), last = try #require(samples.last)
        let mib: UInt64 = 1 << 20
        // The 20 touched MiB are resident at the end; the 20 untouched ones are not.
        #expect(last.bytes >= first.bytes + 19 * mib, "\(first.bytes) → \(last.bytes)")
        #expect(last.bytes < first.bytes + 36 * mib, "\(first.bytes) → \(last.bytes)")
        #expect(zip(samples, samples.dropFirst()).allSatisfy { $0.ts <= $1.ts })
        #expect(recorded.analysis.rss.samples == samples.count)
        #expect(recorded.analysis.rss.peakBytes == samples.map(\.bytes).max())
        #expect(recorded.analysis.totals.peakBytes >= 40 * mib)

        let page = program.directory.appendingPathComponent("rss.html").path
        let render = try run("memscope", ["render", dump, "-o", page])
        #expect(render.status == 0, "\(render.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("RSS (green): the process's resident set size, \(samples.count) samples"))
        #expect(!html.contains("No RSS samples in this dump."))
    }

    /// 600,000 small blocks live: the recorder's tables for the leak scans (two to four
    /// 40-byte slots a live block) are resident in the process too, about five times the
    /// program's own peak here. The samples leave them out, so the chart shows the program's
    /// resident set as it is without the recorder (a python3 read 352 MiB against 126).
    @Test func samplesLeaveTheRecordersOwnTablesOut() throws {
        let program = try TestProgram.compile("rss-small-blocks")
        let native = try run(program.path, [])
        #expect(native.status == 0, "\(native.stderr)")
        let nativePeakKiB = try #require(UInt64(native.stdout.split(separator: " ").first ?? ""))
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let withRecorderKiB = try #require(UInt64(result.stdout.split(separator: " ").first ?? ""))
        let recorded = try RecordedDump(path: dump)
        let sampledPeakKiB = recorded.analysis.rss.peakBytes / 1024
        #expect(sampledPeakKiB <= nativePeakKiB + nativePeakKiB / 6 + 2048,
                "sampled \(sampledPeakKiB) KiB, native \(nativePeakKiB) KiB, with the recorder's tables \(withRecorderKiB) KiB")
        #expect(sampledPeakKiB >= nativePeakKiB * 2 / 3, "sampled \(sampledPeakKiB) KiB, native \(nativePeakKiB) KiB")
    }

    @Test func aDumpWithoutSamplesSaysSo() throws {
        let page = try TestPaths.temporaryDirectory().appendingPathComponent("tiny.html").path
        let render = try run("memscope", ["render", TestPaths.sample("server-leak.msd"), "-o", page])
        #expect(render.status == 0, "\(render.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("No RSS samples in this dump."))
    }
}
