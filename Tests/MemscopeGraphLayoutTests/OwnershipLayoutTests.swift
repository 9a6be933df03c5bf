import MemscopeAnalysis
import MemscopeGraphLayout
import MemscopeLayout
import MemscopeOwnership
import MemscopeScene
import Testing

/// The ownership picture: selection, Graphviz placement and the drawn scene.
@Suite(.serialized) struct OwnershipLayoutTests {
    static func graph(modules: [String] = ["/bin/app", "/bin/app", "/bin/app"]) -> OwnershipGraph {
        let nodes = [
            OwnershipNode(id: 1, kind: .allocationSite, function: "node_new", file: "/src/tree.c", line: 20, module: modules[0],
                          blocks: 300, bytes: 9600),
            OwnershipNode(id: 2, kind: .allocationSite, function: "label_new", file: "/src/tree.c", line: 25, module: modules[1],
                          type: "Vec<u8>", typeProvenance: .inferred, typeRule: "rule", blocks: 300, bytes: 2900,
                          leakedBlocks: 1, leakedBytes: 16, leakKinds: { var k = LeakKinds(); k.add(.definitelyLost, size: 16); return k }()),
            OwnershipNode(id: 3, kind: .allocationSite, function: "unlinked", file: "/src/tree.c", line: 30, module: modules[2],
                          blocks: 1, bytes: 8),
            OwnershipNode(id: 4, kind: .freeSite, function: "consume", file: "/src/q.c", line: 9, module: modules[0]),
        ]
        var handOffA = OwnershipEdge(from: 1, to: 4, kind: .handsOff, rule: "r", evidence: 5, detail: "thread 1 → thread 2, 80 bytes")
        handOffA.threads = .init(from: 1, to: 2)
        var handOffB = OwnershipEdge(from: 1, to: 4, kind: .handsOff, rule: "r", evidence: 7, detail: "thread 1 → thread 3, 90 bytes")
        handOffB.threads = .init(from: 1, to: 3)
        let edges = [
            OwnershipEdge(from: 1, to: 2, kind: .references, rule: "r", evidence: 300),
            { var e = OwnershipEdge(from: 1, to: 2, kind: .owns, rule: "r", evidence: 298, contradictions: 2); e.basis = .soleReferrer; return e }(),
            handOffA, handOffB,
        ]
        return OwnershipGraph(nodes: nodes, edges: edges, coverage: OwnershipCoverage())
    }

    @Test func selectionKeepsLinkedSitesAndMergesThreadPairs() {
        let selection = GraphSelection(Self.graph())
        #expect(selection.nodes.map(\.id) == [1, 2, 4], "a site with no edge is not drawn")
        #expect(selection.edges.count == 3)
        let handOff = selection.edges.first { $0.kind == .handsOff }
        #expect(handOff?.evidence == 12)
        #expect(handOff?.detail == "2 thread pairs")
        #expect(selection.firstGraphEdge == [0, 1, 2])
        #expect(selection.clustering == .none)
        #expect(GraphSelection(Self.graph(modules: ["/bin/app", "/lib/libfoo.so", "/bin/app"])).clustering == .module)
    }

    /// In a module's box an unnamed frame of that module drops the module's name (the box's
    /// title says it), so the named caller fits; outside module boxes the name stays whole.
    @Test func unnamedFramesInsideTheirModulesBoxAreWrittenAsOffsets() {
        var g = Self.graph(modules: ["/usr/lib/libsqlite3.so.0", "/bin/app", "/bin/app"])
        g.nodes[0].function = "libsqlite3.so.0+0xa7504 ← sqlite3ParserAlloc"
        let clustered = GraphSelection(g)
        #expect(clustered.clustering == .module)
        #expect(OwnershipLayout.displayedFunction(g.nodes[0], in: clustered) == "+0xa7504 ← sqlite3ParserAlloc")
        #expect(OwnershipLayout.displayedFunction(g.nodes[1], in: clustered) == "label_new")
        var single = Self.graph()
        single.nodes[0].function = "app+0x10 ← main"
        #expect(OwnershipLayout.displayedFunction(single.nodes[0], in: GraphSelection(single)) == "app+0x10 ← main")
    }

    @Test func labelsSayEvidenceAndConfidenceOfInferredEdges() {
        let g = Self.graph()
        #expect(OwnershipLayout.label(g.edges[0]) == "references ×300")
        // 298.5 / 301 of the pairs, times 0.841 (inferred owns seen alone in scans on the tuned programs).
        #expect(OwnershipLayout.label(g.edges[1]) == "owns ×298, 2 against, 83% inferred")
        #expect(OwnershipLayout.label(g.edges[2]) == "hands off ×5, thread 1 → 2")
        var observed = OwnershipEdge(from: 1, to: 2, kind: .owns, rule: "r", evidence: 9, contradictions: 1)
        observed.provenance = .observed
        observed.basis = .heldAtDeath
        // 9 / 10 of the pairs, times 0.991 (observed owns held at death on the tuned programs).
        #expect(OwnershipLayout.label(observed) == "owns ×9, 1 against, 89%")
        observed.contradictions = 0
        #expect(OwnershipLayout.label(observed) == "owns ×9, 99%", "a judged edge is never drawn as certain")
        observed.basis = .freedFirst
        #expect(OwnershipLayout.label(observed) == "owns ×9, 81%", "21 of 25 owners freed first were true: (21 + 1) / (25 + 2)")
        let fact = OwnershipEdge(from: 1, to: 2, kind: .reallocates, rule: "r", evidence: 4)
        #expect(OwnershipLayout.label(fact) == "reallocates ×4")
    }

    /// A site that owns blocks of its own site (tree nodes, list nodes) gets a loop with its count.
    @Test func aSelfEdgeIsDrawnAsALoopWithItsCount() throws {
        var g = Self.graph()
        var loop = OwnershipEdge(from: 1, to: 1, kind: .owns, rule: "r", evidence: 299)
        loop.provenance = .observed
        loop.basis = .heldAtDeath
        g.edges.append(loop)
        let selection = GraphSelection(g)
        let index = try #require(selection.edges.firstIndex { $0.from == 1 && $0.to == 1 })
        #expect(OwnershipLayout.label(selection.edges[index]) == "owns ×299 (own site), 99%")
        let picture = try OwnershipLayout.picture(selection, measurer: FixedAdvanceMeasurer(), placer: GraphvizPlacer())
        let edgeRegion = try #require(picture.regions.first { $0.target == .edge(index) })
        let node = try #require(picture.regions.first { $0.target == .node(1) })
        // The loop's label sits beside its own box, not between two boxes.
        #expect(abs(edgeRegion.frame.y + edgeRegion.frame.height / 2 - (node.frame.y + node.frame.height / 2)) < node.frame.height * 2)
        let beziers = picture.scene.shapes.compactMap { shape -> [Point]? in
            if case .bezier(let points, _, _, _) = shape { return points }
            return nil
        }
        let loops = beziers.filter { points in
            guard let first = points.first, let last = points.last else { return false }
            // Within the arrowhead's length of the box (the curve stops where the arrowhead starts).
            let inside = { (p: Point) in p.x >= node.frame.x - 12 && p.x <= node.frame.x + node.frame.width + 12
                && p.y >= node.frame.y - 12 && p.y <= node.frame.y + node.frame.height + 12 }
            return inside(first) && inside(last)
        }
        #expect(!loops.isEmpty, "a curve that leaves the node's box and comes back to it")
    }

    @Test func graphvizPlacesEveryNodeAndRoutesEveryEdge() throws {
        let selection = GraphSelection(Self.graph(modules: ["/bin/app", "/lib/libfoo.so", "/bin/app"]))
        let picture = try OwnershipLayout.picture(selection, measurer: FixedAdvanceMeasurer(), placer: GraphvizPlacer())
        let scene = picture.scene
        #expect(scene.width > 100 && scene.height > 50)
        let beziers = scene.shapes.compactMap { shape -> (Bool, [Point])? in
            if case .bezier(let points, _, _, let dashed) = shape { return (dashed, points) }
            return nil
        }
        #expect(beziers.count == 3)
        #expect(beziers.filter(\.0).count == 1, "only the inferred edge is dashed")
        for (_, points) in beziers {
            #expect(points.count >= 4 && (points.count - 1) % 3 == 0)
            #expect(points.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x <= scene.width && $0.y <= scene.height })
        }
        // Regions: one per node (inside the picture, not overlapping) and one per edge label.
        let nodes = picture.regions.filter { if case .node = $0.target { return true } else { return false } }
        #expect(nodes.count == 3)
        for (i, a) in nodes.enumerated() {
            #expect(a.frame.x >= 0 && a.frame.x + a.frame.width <= scene.width)
            for b in nodes[(i + 1)...] {
                let apart = a.frame.x + a.frame.width <= b.frame.x || b.frame.x + b.frame.width <= a.frame.x
                    || a.frame.y + a.frame.height <= b.frame.y || b.frame.y + b.frame.height <= a.frame.y
                #expect(apart)
            }
        }
        #expect(picture.regions.count == 6)
        let texts = scene.shapes.compactMap { if case .text(let t) = $0 { return t.text } else { return nil } }
        #expect(texts.contains("node_new"))
        #expect(texts.contains("Vec<u8> (inferred type)"))
        #expect(texts.contains("libfoo.so"), "cluster titled by module")
        #expect(texts.contains { $0.hasPrefix("leaked 16 B") })
        // Same request, same picture.
        let again = try OwnershipLayout.picture(selection, measurer: FixedAdvanceMeasurer(), placer: GraphvizPlacer())
        #expect(again == picture)
    }
}
