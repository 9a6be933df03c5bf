import MemscopeOwnership
import Testing

/// The ownership graph's names are shortened for pages the same way.
@Suite struct OwnershipDisplayStringTests {
    @Test func nodeNamesAreShortened() {
        var graph = OwnershipGraph(nodes: [], edges: [], coverage: OwnershipCoverage())
        graph.nodes.append(OwnershipNode(id: 0, kind: .allocationSite, function: String(repeating: "f", count: 100_000), file: "a.c",
                                         line: 1, module: "m"))
        let shown = graph.shortenedForDisplay()
        #expect(shown.nodes[0].function.count < 4200 && shown.nodes[0].function.contains("100,000 characters, shortened"))
        #expect(shown.nodes[0].file == "a.c")
    }
}
