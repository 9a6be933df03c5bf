import Foundation
import MemscopeAnalysis
import MemscopeImport
import MemscopeLayout
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The memory-over-time overlay in a real browser (issue 21, deliveries 2 and 7): hovering
/// at a known x shows that interval's figures, dragging selects a range whose flamegraph
/// totals equal an independent `--from/--to` analysis, Back undoes it, and no script error
/// or policy violation happens on the way.
extension BrowserTests {
    /// The timeline self-test (#tltest): hover at `hoverX`, drag from `dragX0` to `dragX1`
    /// (picture px), then Back.
    static func timelineSelftest(_ report: String, hoverX: Double, dragX0: Double, dragX1: Double,
                                 flags: [String] = ["--window-size=1300,900"]) throws -> [String: Any] {
        let dom = try chromium(["--dump-dom"] + flags, page: "file://\(report)#tltest&hoverx=\(hoverX)&dragx0=\(dragX0)&dragx1=\(dragX1)").stdout
        let match = try #require(dom.firstMatch(of: /<pre id="timeline-selftest">([^<]*)<\/pre>/), "no timeline self-test result in the DOM")
        let json = String(match.1).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    /// The page's thinned interval (at most 1,024 points, pairs merged) and its points in the analysis' timeline.
    static func thinnedInterval(_ timeline: Timeline, containing t: UInt64) -> (start: UInt64, end: UInt64, points: Range<Int>) {
        var width = timeline.intervalNanoseconds, count = timeline.points.count, factor = 1
        while count > 1024 {
            count = (count + 1) / 2
            width *= 2
            factor *= 2
        }
        let i = Int(t / width)
        return (UInt64(i) * width, UInt64(i + 1) * width, (i * factor)..<min((i + 1) * factor, timeline.points.count))
    }

    static func number(_ any: Any?) -> UInt64? {
        switch any {
        case let s as String: UInt64(s) ?? Double(s).map { UInt64($0) }
        case let n as NSNumber: n.uint64Value
        default: nil
        }
    }

    /// `memscope summary --json` of a window, independently of the page.
    static func windowSummary(_ dump: String, from: UInt64, to: UInt64?) throws -> [String: Any] {
        var arguments = ["summary", "--json", dump, "--from", "\(from)ns"]
        if let to { arguments += ["--to", "\(to)ns"] }
        let result = try run("memscope", arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// Checks a self-test run: hover figures at the peak's interval, the range's totals
    /// against an independent window summary, and Back.
    func checkTimeline(_ dump: String, analysis a: Analysis, dragFraction: (Double, Double)) throws -> [String: Any] {
        let report = try Self.render(dump)
        let g = TimelineLayout.geometry(a)
        // Hover in the middle of the page's interval holding the peak.
        let peakInterval = Self.thinnedInterval(a.timeline, containing: a.totals.peakTimeNanoseconds)
        let intended = Double(peakInterval.start + peakInterval.end) / 2
        let hoverX = g.x(intended)
        let x0 = g.plotLeft + g.plotWidth * dragFraction.0, x1 = g.plotLeft + g.plotWidth * dragFraction.1
        let result = try Self.timelineSelftest(report, hoverX: hoverX, dragX0: x0, dragX1: x1)
        #expect((result["errors"] as? [String])?.isEmpty == true, "script errors or policy violations: \(result["errors"] ?? "")")
        // The overlay lies on the picture's plot rectangle, as the layout drew it.
        let overlay = try #require(result["overlay"] as? [String: Double])
        let bottom = (g.rateTop.map { $0 + g.rateHeight } ?? g.heapTop + g.heapHeight)
        #expect(abs(overlay["left"]! - g.plotLeft) < 0.5 && abs(overlay["top"]! - g.heapTop) < 0.5, "\(overlay)")
        #expect(abs(overlay["width"]! - g.plotWidth) < 0.5 && abs(overlay["height"]! - (bottom - g.heapTop)) < 0.5, "\(overlay)")
        let hover = try #require(result["hover"] as? [String: Any])
        #expect(hover["shown"] as? Bool == true)
        // Pointer events land on whole pixels: the page's time is within a pixel of the one meant.
        let t = try #require(Double(hover["t"] as? String ?? ""))
        #expect(abs(t - intended) <= Double(g.durationNanoseconds) / g.plotWidth * 1.01, "\(t) vs \(intended)")
        // Its figures are those of the analysis' intervals under that time, merged as the page thins them.
        let interval = Self.thinnedInterval(a.timeline, containing: UInt64(t))
        #expect(Self.number(hover["t0"]) == interval.start, "\(hover)")
        #expect(Self.number(hover["live"]) == a.timeline.points[interval.points].map(\.maxLiveBytes).max(), "\(hover)")
        if interval.start == peakInterval.start {
            #expect(Self.number(hover["live"]) == a.totals.peakBytes, "the peak's interval shows the peak: \(hover)")
        }
        let allocated = a.timeline.points[interval.points].reduce(UInt64(0)) { $0 + $1.bytesAllocated }
        if !a.notes.unavailable.contains("bytes_allocated") {
            #expect(Self.number(hover["bytes"]) == allocated, "\(hover)")
            let seconds = Double(min(interval.end, g.durationNanoseconds) - interval.start) / 1e9
            #expect(abs((Double(hover["rate"] as? String ?? "") ?? -1) - Double(allocated) / seconds) < 1, "\(hover)")
        }
        if !a.rss.isEmpty {
            let sample = a.rss.points.last { Double($0.timeNanoseconds) <= t }
            #expect(Self.number(hover["rss"]) == sample?.residentBytes, "\(hover)")
            #expect((hover["text"] as? String)?.contains("RSS: ") == true)
        }
        // The drag selected whole slices; its figures are the window's, computed by memscope summary.
        let selected = try #require(result["selected"] as? [String: Any])
        let key = try #require(selected["key"] as? String)
        let bounds = key.split(separator: "-").compactMap { Int($0) }
        let count = try #require(selected["slices"] as? Int), width = try #require(Self.number(selected["sliceNs"]))
        #expect(bounds.count == 2 && bounds[0] < bounds[1] && bounds[1] < count, "\(key)")
        let window = try Self.windowSummary(dump, from: UInt64(bounds[0]) * width,
                                            to: bounds[1] == count - 1 ? nil : UInt64(bounds[1] + 1) * width - 1)
        let costs = try #require(selected["costs"] as? [String: Any])
        func value(_ cost: String) -> UInt64? { Self.number((costs[cost] as? [String: Any])?["value"]) }
        #expect(value("allocated") == Self.number(window["bytes_allocated"]), "\(costs) vs \(window)")
        #expect(value("allocations") == Self.number(window["allocations"]), "\(costs) vs \(window)")
        #expect(value("leaked") == Self.number(window["leaked_bytes"]), "\(costs) vs \(window)")
        #expect(costs["peak"] is NSNull && costs["temporary"] is NSNull, "no peak or temporary for a range")
        let before = try #require(result["before"] as? [String: Any])
        let total = try #require(selected["total"] as? [String: Any])
        #expect(total["text"] as? String != (before["total"] as? [String: Any])?["text"] as? String, "the flamegraph's total changed")
        #expect((total["text"] as? String)?.hasPrefix("Bytes allocated in the range: ") == true, "\(total)")
        #expect((selected["hash"] as? String)?.contains("range=\(key)") == true)
        #expect(selected["bandShown"] as? Bool == true)
        #expect((selected["tableRows"] as? Int ?? 0) > 0)
        // Back undoes the range: the URL, the total and the page as before.
        let after = try #require(result["after"] as? [String: Any])
        #expect(after["hash"] as? String == before["hash"] as? String, "\(after) vs \(before)")
        #expect((after["total"] as? [String: Any])?["text"] as? String == (before["total"] as? [String: Any])?["text"] as? String)
        #expect(after["key"] as? String == "" && after["bandShown"] as? Bool == false && after["tableShown"] as? Bool == false)
        return result
    }

    @Test(arguments: ["server-leak.msd", "realloc-builder.msd", "thread-handoff.msd"])
    func timelineHoverAndRangeSelection(sample: String) throws {
        let dump = TestPaths.sample(sample)
        _ = try checkTimeline(dump, analysis: try InputLoader.analyze(path: dump).analysis, dragFraction: (0.22, 0.61))
        // The policy still names the one script by its digest (and the script ran: its self-test answered).
        let html = try String(contentsOfFile: Self.render(dump), encoding: .utf8)
        #expect(html.components(separatedBy: "script-src 'sha256-").count == 2 && !html.contains("script-src 'unsafe-inline'"))
        #expect(html.components(separatedBy: "<script>").count == 2, "one script")
    }

    /// A heaptrack import: millisecond ticks, RSS from its R lines shown on hover, and a
    /// range from the start.
    @Test func timelineOfAHeaptrackImportWithRSS() throws {
        let dump = try TimelineTests.write(TimelineTests.heaptrack(steps: 300), "rss.heaptrack")
        let a = try InputLoader.analyze(path: dump).analysis
        #expect(!a.rss.isEmpty)
        let result = try checkTimeline(dump, analysis: a, dragFraction: (0.0, 0.4))
        #expect(((result["hover"] as? [String: Any])?["text"] as? String)?.contains("RSS: ") == true)
    }

    /// A dump whose name strings carry markup: the range table shows them as text.
    @Test func rangeTableShowsHostileNamesAsText() throws {
        let payload = "<img src=x onerror=\"document.body.dataset.pwned=1\">"
        var dump = DumpBuilder()
        let stack = dump.stack("main", payload)
        for i in 0..<200 as Range<UInt64> { dump.alloc(ts: i * 1000, address: 0x1000 + i * 0x40, size: 64, stack: stack) }
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("hostile.msd").path
        try Data(encodeBinary(dump.records)).write(to: URL(fileURLWithPath: path))
        let report = try Self.render(path)
        let dom = try Self.chromium(["--dump-dom"], page: "file://\(report)#range=2-20").stdout
        #expect(dom.contains("id=\"range-sites\""), "the range's table is shown")
        #expect(!dom.contains("data-pwned"), "markup in a name ran")
        #expect(dom.contains("&lt;img src=x onerror="), "the name shows as text")
    }
}
