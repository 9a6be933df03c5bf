@testable import MemscopeLayout
import MemscopeAnalysis
import MemscopeScene
import MemscopeModel
import MemscopeTestSupport
import Testing

@Suite struct ChartLayoutTests {
    let analysis = MemscopeTestSupport.analyze(smallProgramDump())

    @Test func niceSteps() {
        #expect(Axis.niceStep(0.7) == 1)
        #expect(Axis.niceStep(3) == 5)
        #expect(Axis.niceStep(180) == 200)
        #expect(Axis.niceStep(2100) == 2500)
        #expect(Axis.byteTicks(maximum: 3 << 20).map(\.label) == ["0", "1 MiB", "2 MiB", "3 MiB"])
        #expect(Axis.timeTicks(maximum: 37_000_000).map(\.label).prefix(3) == ["0", "5 ms", "10 ms"])
    }

    @Test func timelineMarksThePeak() throws {
        let scene = TimelineLayout.scene(analysis, measurer: FixedAdvanceMeasurer(), options: TimelineLayoutOptions(width: 800))
        let texts = scene.shapes.compactMap { if case .text(let t) = $0 { t.text } else { nil } }
        #expect(texts.contains("peak \(Units.bytes(analysis.totals.peakBytes)) at \(Units.duration(nanoseconds: analysis.totals.peakTimeNanoseconds))"))
        let dashed = scene.shapes.filter { if case .line(_, _, let stroke, _, true) = $0 { stroke == .peak } else { false } }
        #expect(dashed.count == 1)
        try assertSnapshot(SceneDump.render(scene), named: "timeline.txt")
    }

    @Test func timelineDrawsRSSBesideTheHeapOnTheSameScale() {
        func rssLines(_ scene: Scene) -> [[Point]] {
            scene.shapes.compactMap { if case .polyline(let points, let stroke, _) = $0, stroke == .rss { points } else { nil } }
        }
        #expect(rssLines(TimelineLayout.scene(analysis, measurer: FixedAdvanceMeasurer())).isEmpty)
        var withRSS = analysis
        let peak = analysis.totals.peakBytes
        withRSS.rss.add(timeNanoseconds: 0, residentBytes: peak)
        withRSS.rss.add(timeNanoseconds: analysis.totals.durationNanoseconds / 2, residentBytes: 2 * peak)
        let options = TimelineLayoutOptions(width: 800)
        let scene = TimelineLayout.scene(withRSS, measurer: FixedAdvanceMeasurer(), options: options)
        let line = rssLines(scene)
        #expect(line.count == 1)
        let points = line.first ?? []
        // A step line: the first sample at the heap's peak height, then twice as high
        // (the scale grows to hold it), held to the right edge.
        #expect(points.count == 4)
        let baseline = TimelineLayout.top + options.heapHeight
        if points.count == 4 {
            #expect(points[1].y == points[0].y)
            #expect(abs((baseline - points[2].y) - 2 * (baseline - points[0].y)) < 0.01)
            #expect(points[3].x == options.width - TimelineLayout.right)
        }
        let texts = scene.shapes.compactMap { if case .text(let t) = $0 { t.text } else { nil } }
        #expect(texts.contains("RSS (peak \(Units.bytes(2 * peak)))"))
    }

    @Test func lanesAndHistogram() throws {
        let sites = LifetimeLayout.topSites(analysis)
        #expect(sites.count == 4)
        let lanes = LifetimeLayout.lanes(analysis, sites: sites, measurer: FixedAdvanceMeasurer(), width: 800)
        try assertSnapshot(SceneDump.render(lanes), named: "lanes.txt")
        let histogram = LifetimeLayout.histogram([5, 0, 10, 0, 0, 0, 0, 0, 0, 1], measurer: FixedAdvanceMeasurer())
        let texts = histogram.shapes.compactMap { if case .text(let t) = $0 { t.text } else { nil } }
        #expect(texts.contains("10 (62.5%)") && texts.contains("<1µs") && texts.contains("≥100s"))
    }

    /// Issue 21, defect 2: a 252 ms run on heaptrack's millisecond clock gets lanes on its own
    /// time scale: cells of a few milliseconds, a growing leak that shows as a ramp, and an
    /// axis that ends at the run's duration (it went to 1,000 ms with one 1.02 s cell).
    @Test func lanesOfAMillisecondClockRunEndAtItsDuration() throws {
        var dump = DumpBuilder(metadata: Metadata(producer: "heaptrack", producerVersion: "1.4", clockUnitNanoseconds: 1_000_000))
        let leak = dump.stack(["main", "cache_insert"])
        for (n, ms) in stride(from: 0, through: 252, by: 4).enumerated() {
            dump.alloc(ts: UInt64(ms), address: 0x1000 + UInt64(n) * 0x1000, size: 1024, stack: leak)
        }
        let a = MemscopeTestSupport.analyze(dump.records)
        #expect(a.totals.durationNanoseconds == 252_000_000)
        #expect(a.laneIntervalNanoseconds * 16 <= a.totals.durationNanoseconds, "cells of \(a.laneIntervalNanoseconds) ns")
        let width = 1200.0, stripEnd = width - 90 - 16
        let scene = LifetimeLayout.lanes(a, sites: LifetimeLayout.topSites(a), measurer: FixedAdvanceMeasurer(), width: width)
        let cells = scene.shapes.compactMap { if case .rect(let r, let fill) = $0 { (r, fill) } else { nil } }
        #expect(Set(cells.map(\.1)).count > 8, "the growing leak is a ramp, not one flat bar")
        let right = cells.map { $0.0.x + $0.0.width }.max() ?? 0
        #expect(abs(right - 0.2 - stripEnd) < 0.01, "the cells end at the strip's end")
        let ticks = scene.shapes.compactMap { if case .text(let t) = $0, t.anchor == .middle { t } else { nil } }
        let last = try #require(ticks.last)
        #expect(last.text == "250 ms", "the axis ends at the run's 252 ms, not 1,000 ms: \(ticks.map(\.text))")
        let x250 = 330 + 250.0 / 252.0 * (stripEnd - 330)
        #expect(abs(last.position.x - x250) < 0.01, "250 ms sits at 250/252 of the strip")
    }
}
