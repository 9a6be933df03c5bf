import MemscopeOwnership
import Testing

@Suite struct EvaluationTests {
    @Test func truthFilesAreParsedAndBadLinesLocated() throws {
        let truth = try OwnershipEvaluation.parseTruth("# comment\nowns a b\n\nreferences a b # why\n", file: "t.truth")
        #expect(truth.count == 2)
        #expect(throws: OwnershipEvaluation.TruthError.self) { try OwnershipEvaluation.parseTruth("owns a\n", file: "t.truth") }
        do {
            _ = try OwnershipEvaluation.parseTruth("owns a b\nholds a b\n", file: "t.truth")
        } catch {
            #expect("\(error)".hasPrefix("t.truth:2: expected `kind from to`"))
        }
    }

    @Test func markersNameLines() {
        let markers = OwnershipEvaluation.siteMarkers(source: "int x;\n  p = malloc(4); // site: node_x\nfree(p);\n")
        #expect(markers == [2: "node_x"])
    }

    @Test func scoresCountRightWrongAndMissedEdges() {
        let nodes = [
            OwnershipNode(id: 1, kind: .allocationSite, function: "f", file: "/src/p.c", line: 3),
            OwnershipNode(id: 2, kind: .allocationSite, function: "g", file: "/src/p.c", line: 5),
            OwnershipNode(id: 3, kind: .allocationSite, function: "malloc_internal", file: "", line: 0),
        ]
        let edges = [
            OwnershipEdge(from: 1, to: 2, kind: .owns, rule: "", evidence: 3),
            OwnershipEdge(from: 2, to: 1, kind: .owns, rule: "", evidence: 3),
            OwnershipEdge(from: 3, to: 1, kind: .references, rule: "", evidence: 1),
        ]
        let graph = OwnershipGraph(nodes: nodes, edges: edges, coverage: OwnershipCoverage())
        let truth: Set<OwnershipEvaluation.TruthEdge> = [
            .init(kind: .owns, from: "a", to: "b"), .init(kind: .references, from: "a", to: "b"),
        ]
        let result = OwnershipEvaluation.evaluate(graph, truth: truth, sourceFile: "p.c", markers: [3: "a", 5: "b"])
        #expect(result.scores[.owns] == {
            var s = OwnershipEvaluation.Score()
            s.truePositives = 1
            s.falsePositives = 1
            return s
        }())
        #expect(result.scores[.owns]?.precision == 0.5)
        #expect(result.scores[.references]?.recall == 0)
        #expect(result.unnamed == 1)
    }
}
