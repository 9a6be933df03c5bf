@testable import MemscopeLayout
import MemscopeAnalysis
import MemscopeScene
import MemscopeTestSupport
import Testing

@Suite struct FlameLayoutTests {
    let analysis = MemscopeTestSupport.analyze(smallProgramDump())

    @Test func topDownGraphKeepsEveryCostAtTheRoot() {
        let graph = FlameGraphBuilder.build(analysis, direction: .topDown)
        #expect(graph.total(.bytesAllocated) == analysis.totals.bytesAllocated)
        #expect(graph.total(.allocations) == analysis.totals.allocations)
        #expect(graph.total(.peak) == analysis.totals.peakBytes)
        #expect(graph.total(.leaked) == analysis.totals.leakedBytes)
        #expect(graph.total(.temporary) == analysis.totals.temporaryAllocations)
        #expect(graph.nodes.map(\.name) == ["all", "main", "cleanup", "serve", "build_response", "cache_insert", "parse_request"])
    }

    @Test func nodesArePreOrderWithContiguousSubtrees() {
        let graph = FlameGraphBuilder.build(analysis, direction: .bottomUp)
        for (i, node) in graph.nodes.enumerated().dropFirst() {
            #expect(node.parent < i)
            #expect(node.depth == graph.nodes[node.parent].depth + 1)
            // Every node between a parent and this child is inside the parent's subtree.
            for between in (node.parent + 1)..<i { #expect(graph.nodes[between].depth > graph.nodes[node.parent].depth) }
        }
    }

    @Test func smallChildrenFoldIntoOneAggregatePerParent() {
        // 300 callers of one allocator, one of them big: with a 1% threshold the rest fold.
        var dump = DumpBuilder()
        for i in 0..<300 {
            let stack = dump.stack("main", "caller\(i)", "alloc")
            dump.alloc(ts: UInt64(i), address: 0x1000 + UInt64(i) * 16, size: i == 0 ? 100_000 : 10, stack: stack)
        }
        let a = MemscopeTestSupport.analyze(dump.records)
        let graph = FlameGraphBuilder.build(a, direction: .topDown, options: FlameGraphOptions(minimumFraction: 0.01))
        let aggregates = graph.nodes.filter { $0.folded > 0 }
        #expect(aggregates.count == 1)
        #expect(aggregates.first?.folded == 299)
        #expect(aggregates.first?.name == "299 small frames")
        #expect(aggregates.first?.value(.bytesAllocated) == 2990)
        #expect(graph.total(.bytesAllocated) == 102_990)
    }

    @Test func nodeBudgetRaisesTheThreshold() {
        var dump = DumpBuilder()
        for i in 0..<500 {
            let stack = dump.stack("main", "f\(i)")
            dump.alloc(ts: UInt64(i), address: 0x1000 + UInt64(i) * 16, size: UInt64(1 + i), stack: stack)
        }
        let a = MemscopeTestSupport.analyze(dump.records)
        let graph = FlameGraphBuilder.build(a, direction: .topDown, options: FlameGraphOptions(maxNodes: 100))
        #expect(graph.nodes.count <= 100)
        #expect(graph.total(.bytesAllocated) == a.totals.bytesAllocated)
    }

    @Test(arguments: FlameCost.allCases)
    func boxesNestInsideTheirParents(cost: FlameCost) {
        let graph = FlameGraphBuilder.build(analysis, direction: .topDown)
        let boxes = FlameLayout.boxes(graph, cost: cost)
        guard !boxes.isEmpty else { return }
        #expect(abs(boxes[0].width - FlameLayoutOptions.default.width) < 1e-9)
        var used = [Double](repeating: 0, count: graph.nodes.count)
        for (i, node) in graph.nodes.enumerated().dropFirst() {
            let parent = boxes[node.parent]
            #expect(boxes[i].x >= parent.x - 1e-9 && boxes[i].x + boxes[i].width <= parent.x + parent.width + 1e-9)
            #expect(boxes[i].y == Double(node.depth) * FlameLayoutOptions.default.rowHeight)
            used[node.parent] += boxes[i].width
        }
        for (i, box) in boxes.enumerated() { #expect(used[i] <= box.width + 1e-6) }
    }

    @Test func sceneGolden() throws {
        let graph = FlameGraphBuilder.build(analysis, direction: .topDown)
        let scene = FlameLayout.scene(graph, cost: .bytesAllocated, measurer: FixedAdvanceMeasurer(),
                                      options: FlameLayoutOptions(width: 600))
        try assertSnapshot(SceneDump.render(scene), named: "flame-top-down-allocated.txt")
        let flame = FlameLayout.scene(graph, cost: .leaked, measurer: FixedAdvanceMeasurer(),
                                      options: FlameLayoutOptions(width: 600, icicle: false))
        try assertSnapshot(SceneDump.render(flame), named: "flame-top-down-leaked-flame.txt")
    }

    @Test func labelsAreShortenedToFit() {
        let measurer = FixedAdvanceMeasurer()
        #expect(measurer.fit("short", size: 10, maxWidth: 100) == "short")
        let fitted = measurer.fit("a_rather_long_function_name", size: 10, maxWidth: 60)
        #expect(fitted == "a_rather_…")
        #expect(measurer.width(of: fitted ?? "", size: 10, bold: false) <= 60)
        #expect(measurer.fit("a_rather_long_function_name", size: 10, maxWidth: 10) == nil)
    }

    @Test func coloursAreStableAndWarm() {
        #expect(Palette.flame("malloc") == Palette.flame("malloc"))
        #expect(Palette.flame("malloc") != Palette.flame("free"))
        #expect(Palette.hash("") == 0x811C_9DC5)
        #expect(Palette.hash("a") == 0xE40C_292C)  // FNV-1a test vector
        let c = Palette.flame("parse_request")
        #expect(c.red >= 205.0 / 255 && c.blue <= 95.0 / 255)
    }
}

/// Every number of the flame drawing comes from ``FlameLayoutOptions`` (the page is given
/// the same options as data).
@Suite struct FlameLayoutOptionsTests {
    @Test func sceneUsesEveryOption() throws {
        var dump = DumpBuilder()
        let main = dump.codeFrame("main", module: "/bin/p", offset: 0x100)
        let inlined = dump.codeFrame("helper_with_a_long_name", module: "/bin/p", offset: 0x100, inlined: true)
        dump.alloc(ts: 1, address: 0x10, size: 100, stack: dump.stack(frames: [main, inlined]))
        let graph = FlameGraphBuilder.build(MemscopeTestSupport.analyze(dump.records), direction: .topDown)
        let options = FlameLayoutOptions(width: 400, rowHeight: 30, fontSize: 12, minimumLabelWidth: 50, minimumBoxWidth: 2,
                                         boxGap: 4, rowGap: 6, labelInset: 10, outlineWidth: 3)
        let scene = FlameLayout.scene(graph, cost: .bytesAllocated, measurer: FixedAdvanceMeasurer(), options: options)
        let rects = scene.shapes.compactMap { if case .rect(let r, _) = $0 { r } else { nil } }
        let outlines = scene.shapes.compactMap { if case .outline(let r, _, let w) = $0 { (r, w) } else { nil } }
        let texts = scene.shapes.compactMap { if case .text(let t) = $0 { t } else { nil } }
        #expect(rects.count == 3)
        for (rect, box) in zip(rects, FlameLayout.boxes(graph, cost: .bytesAllocated, options: options)) {
            #expect(rect == Rect(x: box.x, y: box.y, width: box.width - 4, height: 24))
        }
        let outline = try #require(outlines.first)
        #expect(outline.1 == 3 && outline.0 == Rect(x: 1.5, y: 61.5, width: 393, height: 21))
        #expect(texts.allSatisfy { $0.position.x == 10 }, "labels start labelInset into their box")
        #expect(FlameLayout.drawnRect(FlameBox(x: 5, y: 0, width: 1), options: options).width == 2, "never thinner than minimumBoxWidth")
        #expect(FlameLayout.outlineRect(Rect(x: 0, y: 0, width: 5, height: 24), options: options) == nil, "too narrow for an outline")
        #expect(FlameLayoutOptions.default == FlameLayoutOptions(width: 1200, rowHeight: 18, fontSize: 11, minimumLabelWidth: 24,
                                                                  minimumBoxWidth: 0.3, boxGap: 0.5, rowGap: 1, labelInset: 3,
                                                                  outlineWidth: 1.5))
    }

    @Test func moduleColoursStayInTheirOriginsFamily() {
        #expect(Palette.module("libz.so.1", origin: .systemLibrary) == Palette.module("libz.so.1", origin: .systemLibrary))
        #expect(Palette.module("libz.so.1", origin: .systemLibrary) != Palette.module("libssl.so.3", origin: .systemLibrary))
        let colours = CodeOrigin.allCases.map { Palette.origin($0) }
        #expect(Set(colours.map(\.hexString)).count == colours.count)
    }
}
