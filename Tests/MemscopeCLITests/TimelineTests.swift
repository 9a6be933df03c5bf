import Foundation
import MemscopeAnalysis
import MemscopeImport
import MemscopeLayout
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The report's timeline data: RSS from heaptrack's `R` lines, the picture's geometry
/// passed to the page, the per-slice figures' size bound, and same input → same bytes.
@Suite struct TimelineTests {
    /// A heaptrack file (format 3) of `steps` 10 ms steps: each allocates 1 KiB at `work`
    /// (freed two steps later) and 256 B at `other` (never freed); RSS grows by a page each.
    static func heaptrack(steps: Int = 60, pageSizeLine: Bool = true) -> String {
        var lines = ["v 10400 3", "X ./prog"]
        if pageSizeLine { lines.append("I 1000 5e2990") }
        lines += ["s 4 prog", "s 4 main", "s 4 work", "s 5 other",
                  "i 1000 1 2", "i 2000 1 3", "i 3000 1 4",
                  "t 1 0", "t 2 1", "t 3 1",
                  "a 400 2", "a 100 3"]
        for step in 0..<steps {
            lines.append("c " + String(step * 10, radix: 16))
            lines.append("+ 0")
            lines.append("+ 1")
            if step >= 2 { lines.append("- 0") }
            lines.append("R " + String(0x100 + step, radix: 16))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func write(_ text: String, _ name: String) throws -> String {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// heaptrack's `R` lines are resident pages: times the `I` line's page size, at the time of the `c` line before.
    @Test func heaptrackRSSLinesBecomeSamples() throws {
        let path = try Self.write(Self.heaptrack(), "rss.heaptrack")
        let analysis = try InputLoader.analyze(path: path).analysis
        #expect(analysis.rss.samples == 60)
        #expect(analysis.rss.points.first == RSSSeries.Point(timeNanoseconds: 0, residentBytes: 0x100 * 4096))
        #expect(analysis.rss.points.last == RSSSeries.Point(timeNanoseconds: 590_000_000, residentBytes: UInt64(0x100 + 59) * 4096))
        #expect(analysis.rss.peakBytes == UInt64(0x100 + 59) * 4096)
        let report = try String(contentsOfFile: BrowserTests.render(path), encoding: .utf8)
        #expect(report.contains("RSS (green): the process's resident set size, 60 samples"))
        // Without the page size, the samples cannot be sized: skipped, with a warning.
        let bare = try Self.write(Self.heaptrack(pageSizeLine: false), "bare.heaptrack")
        let unsized = try InputLoader.analyze(path: bare).analysis
        #expect(unsized.rss.isEmpty)
        #expect(unsized.diagnostics.lines.contains { $0.contains("RSS line skipped") })
    }

    static func timelineData(_ html: String) throws -> [String: Any] {
        let match = try #require(html.firstMatch(of: /<script type="application\/json" id="timeline-data">([^<]*)<\/script>/))
        return try #require(try JSONSerialization.jsonObject(with: Data(match.1.utf8)) as? [String: Any])
    }

    /// The overlay's coordinates are the layout's: the page gets TimelineLayout's own geometry.
    @Test(arguments: ["server-leak.msd", "recorded/minihttpd.msd"])
    func thePageGetsTheLayoutsGeometry(sample: String) throws {
        let html = try String(contentsOfFile: BrowserTests.render(TestPaths.sample(sample)), encoding: .utf8)
        let data = try Self.timelineData(html)
        let page = try #require(data["geometry"] as? [String: Any])
        let g = TimelineLayout.geometry(try InputLoader.analyze(path: TestPaths.sample(sample)).analysis)
        #expect(page["plotLeft"] as? Double == g.plotLeft && page["plotWidth"] as? Double == g.plotWidth)
        #expect(page["heapTop"] as? Double == g.heapTop && page["heapHeight"] as? Double == g.heapHeight)
        #expect(page["rateTop"] as? Double == g.rateTop && page["bytesMax"] as? Double == g.bytesMax)
        #expect((page["durationNs"] as? NSNumber)?.uint64Value == g.durationNanoseconds)
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(g.width))px\" height=\"\(Int(g.height))px\""))
        // Thinned, with the peak kept.
        let maxLive = try #require(data["maxLive"] as? [NSNumber])
        #expect(maxLive.count <= 1024)
        let peak = try #require((data["peak"] as? [String: Any])?["bytes"] as? NSNumber)
        #expect(maxLive.map(\.uint64Value).max() == peak.uint64Value)
        #expect((data["slices"] as? [String: Any])?["count"] as? Int ?? 0 >= 32)
    }

    /// Same input, same bytes; and every sample's report stays far below 5 MB.
    @Test func deterministicAndSmall() throws {
        let first = try Data(contentsOf: URL(fileURLWithPath: BrowserTests.render(TestPaths.sample("thread-handoff.msd"))))
        let second = try Data(contentsOf: URL(fileURLWithPath: BrowserTests.render(TestPaths.sample("thread-handoff.msd"))))
        #expect(first == second)
        for sample in ["server-leak.msd", "realloc-builder.msd", "thread-handoff.msd", "memory-errors.msd", "recorded/minihttpd.msd"] {
            let size = try Data(contentsOf: URL(fileURLWithPath: BrowserTests.render(TestPaths.sample(sample)))).count
            #expect(size < 2_000_000, "\(sample): \(size) bytes")
        }
    }

    /// 4,000 sites, each busy in every slice: the per-slice figures would be far more than
    /// their budget, so slices merge in pairs (still exact) until they fit, and the page stays under 5 MB.
    @Test func manySitesStayWithinTheBudget() throws {
        var dump = DumpBuilder()
        let stacks = (0..<4_000).map { dump.stack("main", "worker\($0 % 40)", "site\($0)") }
        var address: UInt64 = 0x1000
        for round in 0..<64 as Range<UInt64> {
            for (i, stack) in stacks.enumerated() {
                dump.alloc(ts: round << 20 | UInt64(i), address: address, size: 16 + UInt64(i % 100), stack: stack)
                if round % 2 == 1 { dump.free(ts: round << 20 | UInt64(i) | 0x80000, address: address) }
                address += 0x40
            }
        }
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("many.msd").path
        try Data(encodeBinary(dump.records)).write(to: URL(fileURLWithPath: path))
        let html = try String(contentsOfFile: BrowserTests.render(path), encoding: .utf8)
        #expect(html.utf8.count < 5_000_000, "\(html.utf8.count) bytes")
        let match = try #require(html.firstMatch(of: /<script type="application\/json" id="timeline-data">([^<]*)<\/script>/))
        #expect(match.1.utf8.count < 1_700_000)
        let data = try Self.timelineData(html)
        let slices = try #require(data["slices"] as? [String: Any], "\(data["noRanges"] ?? "")")
        let count = try #require(slices["count"] as? Int)
        #expect(count >= 8 && count < 32, "merged to fit: \(count) slices")
    }
}
