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
}
