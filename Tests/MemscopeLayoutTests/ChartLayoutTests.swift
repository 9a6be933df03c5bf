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
