import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rules, one situation each, on hand-built dumps (times in ns, one clock tick = 1 ns).
@Suite struct InferenceRulesTests: RuleFixtures {
    func id(_ g: OwnershipGraph, _ function: String, kind: OwnershipNodeKind = .allocationSite) -> Int? {
        g.nodes.first { $0.function == function && $0.kind == kind }?.id
    }

    /// `count` nodes (build → node_new) each followed at once by a label (build → label_new),
    /// then, later, each pair freed in its own cascade; `apart` labels are freed much later.
    func nodesAndLabels(_ count: Int, apart: Set<Int> = [], labelsInGlobals: Bool = false) -> DumpBuilder {
        var d = DumpBuilder()
        let node = d.stack("main", "build", "node_new", "malloc")
        let label = d.stack("main", "build", "label_new", "strdup", "malloc")
        let other = d.stack("main", "other")
        var t: UInt64 = 1_000
        for i in 0..<count {
            let a = UInt64(0x10000 + i * 0x100)
            d.alloc(ts: t, address: a, size: 48, stack: node)
            d.alloc(ts: t + 10, address: a + 0x40, size: 16, stack: label)
            t += Self.separate
        }
        if labelsInGlobals {  // a scan: every label is also referred to from module data
            d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: 0, to: 0, interior: false)))
            for i in 0..<count {
                d.append(.pointerReference(PointerReference(timestamp: t, source: .moduleData, from: 0x601000,
                                                            to: UInt64(0x10000 + i * 0x100 + 0x40), interior: false)))
            }
            t += Self.separate
        }
        for i in 0..<count {
            let a = UInt64(0x10000 + i * 0x100)
            if !apart.contains(i) { d.free(ts: t, address: a + 0x40) }
            d.free(ts: t + 10, address: a)
            d.alloc(ts: t + 20, address: 0x900000 + UInt64(i) * 0x10, size: 1, stack: other)
            t += Self.separate
        }
        for i in apart.sorted() {
            d.free(ts: t, address: UInt64(0x10000 + i * 0x100) + 0x40)
            t += Self.separate
        }
        return d
    }

    @Test func createdWithItsOwnerAndFreedWithItIsOwned() throws {
        let g = graph(nodesAndLabels(8))
        let owns = try #require(edge(g, .owns, "node_new", "label_new"))
        #expect(owns.provenance == .inferred)
        #expect(owns.evidence == 8)
        #expect(owns.contradictions == 0)
        #expect(abs(owns.evidenceShare - 8.5 / 9) < 1e-9)
        #expect(owns.basis == .createdAfter)
        #expect(abs(owns.confidence - 8.5 / 9 * OwnershipCalibration.tunedRate(.owns, .inferred, .createdAfter)) < 1e-9)
        #expect(owns.rule.contains("created right after it"))
        #expect(edge(g, .owns, "label_new", "node_new") == nil)
    }

    @Test func blocksThatOutliveTheirOwnerContradictIt() throws {
        let g = graph(nodesAndLabels(8, apart: [0, 1, 2, 3, 4, 5]))
        #expect(edge(g, .owns, "node_new", "label_new") == nil, "2 for, 6 against: rejected")
        #expect(g.coverage.rejectedHypotheses == 1)
        let mixed = graph(nodesAndLabels(10, apart: [0]))
        let owns = try #require(edge(mixed, .owns, "node_new", "label_new"))
        #expect(owns.evidence == 9)
        #expect(owns.contradictions == 1)
    }

    /// Two blocks of `holder` each referring to one `shared` block, and one `solo` block
    /// referred to only by a `box`; then a scan; then everything freed, box and solo together.
    @Test func scansGiveReferencesSharingAndSoleOwners() throws {
        var d = DumpBuilder()
        let holder = d.stack("main", "holder_new")
        let shared = d.stack("main", "shared_new")
        let box = d.stack("main", "box_new")
        let solo = d.stack("main", "solo_new")
        d.alloc(ts: 1_000, address: 0x1000, size: 64, stack: shared)
        d.alloc(ts: 2_000_000, address: 0x2000, size: 16, stack: holder)
        d.alloc(ts: 4_000_000, address: 0x3000, size: 16, stack: holder)
        d.alloc(ts: 6_000_000, address: 0x4000, size: 16, stack: box)
        d.alloc(ts: 8_000_000, address: 0x5000, size: 32, stack: solo)
        d.append(.pointerReference(PointerReference(timestamp: 9_000_000, source: .block, from: 0, to: 0, interior: false)))
        for (from, to) in [(0x2000, 0x1000), (0x3000, 0x1000), (0x4000, 0x5000)] as [(UInt64, UInt64)] {
            d.append(.pointerReference(PointerReference(timestamp: 9_000_000, source: .block, from: from, to: to, interior: false)))
        }
        d.free(ts: 10_000_000, address: 0x5000)
        d.free(ts: 10_000_010, address: 0x4000)
        d.alloc(ts: 12_000_000, address: 0x6000, size: 1, stack: d.stack("main", "other"))
        let g = graph(d)
        #expect(edge(g, .references, "holder_new", "shared_new")?.evidence == 2)
        #expect(edge(g, .references, "holder_new", "shared_new")?.provenance == .observed)
        #expect(edge(g, .shares, "holder_new", "shared_new")?.evidence == 2)
        #expect(edge(g, .owns, "holder_new", "shared_new") == nil)
        let owns = try #require(edge(g, .owns, "box_new", "solo_new"))
        #expect(owns.evidence == 1)
        #expect(owns.rule.contains("held only by it in a scan"))
        #expect(g.coverage.scans == 1)
    }

    /// References after a scan was closed by an event, with no scan marker before them, are
    /// judged on their own when they close: the closed scan's references, still kept for the
    /// leak kinds, are not judged again (each pair is counted once per close).
    @Test func referencesWithoutMarkerAfterAClosedScanAreJudgedAlone() throws {
        var d = DumpBuilder()
        let holder = d.stack("main", "holder_new")
        let shared = d.stack("main", "shared_new")
        d.alloc(ts: 1_000, address: 0x1000, size: 64, stack: shared)
        d.alloc(ts: 2_000_000, address: 0x2000, size: 16, stack: holder)
        d.alloc(ts: 4_000_000, address: 0x3000, size: 16, stack: holder)
        d.append(.pointerReference(PointerReference(timestamp: 9_000_000, source: .block, from: 0, to: 0, interior: false)))
        for (from, to) in [(0x2000, 0x1000), (0x3000, 0x1000)] as [(UInt64, UInt64)] {
            d.append(.pointerReference(PointerReference(timestamp: 9_000_000, source: .block, from: from, to: to, interior: false)))
        }
        d.alloc(ts: 9_500_000, address: 0x7000, size: 1, stack: d.stack("main", "other"))  // closes the scan
        d.append(.pointerReference(PointerReference(timestamp: 9_600_000, source: .block, from: 0x3000, to: 0x1000, interior: false)))
        d.alloc(ts: 9_700_000, address: 0x7100, size: 1, stack: d.stack("main", "other"))
        let g = graph(d)
        // Two block pairs in the scan, one in the continuation: three, not five.
        #expect(edge(g, .references, "holder_new", "shared_new")?.evidence == 3)
        #expect(g.coverage.scans == 1)
    }

    /// A block held alone by an old array, then (after the array was freed) by a new one:
    /// ownership moved, which supports both owners.
    @Test func ownershipMovedToANewHolderSupportsTheOldOne() throws {
        var d = DumpBuilder()
        let old = d.stack("main", "table_new")
        let grown = d.stack("main", "table_grow")
        let entry = d.stack("main", "entry_new")
        func scan(_ t: UInt64, _ pairs: [(UInt64, UInt64)]) {
            d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: 0, to: 0, interior: false)))
            for (from, to) in pairs {
                d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: from, to: to, interior: false)))
            }
        }
        d.alloc(ts: 1_000, address: 0x1000, size: 64, stack: old)
        d.alloc(ts: 2_000_000, address: 0x2000, size: 16, stack: entry)
        scan(3_000_000, [(0x1000, 0x2000)])
        d.alloc(ts: 4_000_000, address: 0x3000, size: 128, stack: grown)
        d.free(ts: 4_000_100, address: 0x1000)
        d.alloc(ts: 6_000_000, address: 0x4000, size: 1, stack: d.stack("main", "other"))
        scan(7_000_000, [(0x3000, 0x2000)])
        d.free(ts: 8_000_000, address: 0x2000)
        d.free(ts: 8_000_010, address: 0x3000)
        d.alloc(ts: 10_000_000, address: 0x5000, size: 1, stack: d.stack("main", "other"))
        let g = graph(d)
        let moved = try #require(edge(g, .owns, "table_new", "entry_new"))
        #expect(moved.evidence == 1 && moved.contradictions == 0)
        #expect(moved.detail.contains("1 held alone by it, then by another block after it was freed"), "\(moved.detail)")
        #expect(edge(g, .owns, "table_grow", "entry_new")?.evidence == 1)
    }

    @Test func aGlobalReferenceMeansNotOwned() throws {
        let g = graph(nodesAndLabels(4, labelsInGlobals: true))
        #expect(edge(g, .owns, "node_new", "label_new") == nil)
    }

    @Test func reallocChainsAndHandOffsAreObserved() throws {
        var d = DumpBuilder()
        let create = d.stack("main", "buf_new")
        let grow = d.stack("main", "buf_grow")
        let consume = d.stack("consumer", "buf_done")
        d.alloc(ts: 1_000, thread: 1, address: 0x1000, size: 8, stack: create)
        d.realloc(ts: 2_000, thread: 1, from: 0x1000, to: 0x2000, size: 16, stack: grow)
        d.realloc(ts: 3_000, thread: 1, from: 0x2000, to: 0x3000, size: 32, stack: grow)
        d.free(ts: 4_000, thread: 2, address: 0x3000, stack: consume)
        let g = graph(d)
        let chain = try #require(edge(g, .reallocates, "buf_new", "buf_grow"))
        #expect(chain.evidence == 2)
        #expect(edge(g, .reallocates, "buf_grow", "buf_grow") == nil, "the buffer keeps its first site")
        let handOff = try #require(edge(g, .handsOff, "buf_new", "buf_done", toKind: .freeSite))
        #expect(handOff.evidence == 1)
        #expect(handOff.detail == "thread 1 → thread 2, 32 bytes")
        let grown = try #require(g.nodes.first { $0.function == "buf_grow" })
        #expect(grown.blocks == 2)
        #expect(grown.bytes == 48)
    }

    @Test func taskAnnotationsGiveTaskEdges() throws {
        var d = DumpBuilder()
        let work = d.stack("main", "handle_request")
        d.append(.task(timestamp: 10, thread: 1, task: 42))
        d.alloc(ts: 20, thread: 1, address: 0x1000, size: 8, stack: work)
        d.append(.task(timestamp: 30, thread: 1, task: 0))
        d.append(.task(timestamp: 40, thread: 2, task: 42))
        d.alloc(ts: 50, thread: 2, address: 0x2000, size: 8, stack: work)
        d.alloc(ts: 60, thread: 1, address: 0x3000, size: 8, stack: work)
        let g = graph(d)
        let task = try #require(g.nodes.first { $0.kind == .task })
        #expect(task.threads == [1, 2])
        #expect(g.edges.first { $0.kind == .task && $0.from == task.id }?.evidence == 2)
        #expect(g.coverage.taskAnnotations)
    }

    @Test func containerTypesComeFromSymbolsAndAnnotationsWin() throws {
        var d = DumpBuilder()
        let rc = d.stack("main", "app::make_cache", "alloc::rc::Rc<app::Cache>::new", "__rust_alloc")
        let vec = d.stack("main", "app::collect", "alloc::raw_vec::RawVec<u8>::grow_one", "__rust_alloc")
        let annotated = d.stack("main", "app::collect2", "alloc::raw_vec::RawVec<u8>::grow_one", "__rust_alloc")
        d.alloc(ts: 1, address: 0x1000, size: 8, stack: rc)
        d.alloc(ts: 2_000_000, address: 0x2000, size: 8, stack: vec)
        d.alloc(ts: 4_000_000, address: 0x3000, size: 8, stack: annotated)
        d.append(.annotation(Annotation(timestamp: 4_000_001, thread: 1, address: 0x3000, name: d.string("names"),
                                        typeName: d.string("Vec<String>"))))
        let g = graph(d)
        let cache = try #require(g.nodes.first { $0.function == "app::make_cache" })
        #expect(cache.type == "Rc<app::Cache>")
        #expect(cache.typeProvenance == .inferred)
        #expect(cache.typeRule?.contains("alloc::rc::Rc<") == true)
        #expect(g.nodes.first { $0.function == "app::collect" }?.type == "Vec<u8>")
        let named = try #require(g.nodes.first { $0.function == "app::collect2" })
        #expect(named.type == "Vec<String>")
        #expect(named.typeProvenance == .observed)
        #expect(named.variables == ["names"])

        let plain = g.observedOnly()
        #expect(plain.nodes.first { $0.function == "app::make_cache" }?.type == nil)
        #expect(plain.nodes.first { $0.function == "app::collect2" }?.type == "Vec<String>")
        #expect(!plain.coverage.inferenceIncluded)
    }

    @Test func noInferenceKeepsOnlyObservedEdges() {
        let g = graph(nodesAndLabels(4))
        #expect(g.edges.contains { $0.provenance == .inferred })
        #expect(!g.observedOnly().edges.contains { $0.provenance == .inferred })
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        let json = graph(nodesAndLabels(3)).json()
        for key in ["\"nodes\"", "\"edges\"", "\"id\"", "\"function\"", "\"file\"", "\"line\"", "\"type\"", "\"blocks\"",
                    "\"bytes\"", "\"from\"", "\"to\"", "\"kind\"", "\"provenance\"", "\"rule\"", "\"evidence\"",
                    "\"contradictions\"", "\"confidence\""] {
            #expect(json.contains(key), "missing \(key)")
        }
        #expect(json.contains("\"kind\": \"owns\", \"provenance\": \"inferred\""))
        #expect(json == graph(nodesAndLabels(3)).json(), "deterministic")
    }

    @Test func leaksAreClassifiedPerNodeFromTheLastScan() throws {
        var d = DumpBuilder()
        let list = d.stack("main", "list_new")
        let lost = d.stack("main", "lose")
        d.alloc(ts: 1, address: 0x1000, size: 40, stack: list)
        d.alloc(ts: 2_000_000, address: 0x2000, size: 64, stack: lost)
        d.alloc(ts: 4_000_000, address: 0x3000, size: 8, stack: lost)
        d.append(.pointerReference(PointerReference(timestamp: 5_000_000, source: .block, from: 0, to: 0, interior: false)))
        d.append(.pointerReference(PointerReference(timestamp: 5_000_000, source: .moduleData, from: 0x601000, to: 0x1000, interior: false)))
        d.append(.pointerReference(PointerReference(timestamp: 5_000_000, source: .block, from: 0x2000, to: 0x3000, interior: false)))
        let g = graph(d)
        let kept = try #require(g.nodes.first { $0.function == "list_new" }?.leakKinds)
        #expect(kept.stillReachable.bytes == 40)
        let gone = try #require(g.nodes.first { $0.function == "lose" }?.leakKinds)
        #expect(gone.definitelyLost.bytes == 64)
        #expect(gone.indirectlyLost.bytes == 8)
    }
}

@Suite struct ConfidenceDisplayTests {
    /// An inferred claim never shows certainty, however much evidence backs it: its confidence
    /// is its evidence share times its class's tuned rate, which is below 1.
    @Test func inferredConfidenceNeverReads100Percent() {
        var strong = OwnershipEdge(from: 0, to: 1, kind: .owns, rule: "test", evidence: 1_000)
        strong.basis = .soleReferrer
        #expect(strong.evidenceShare > 0.9994)
        #expect(strong.confidence < OwnershipCalibration.tunedRate(.owns, .inferred, .soleReferrer))
        #expect(strong.confidencePercent() == "84.0", "73 true of 86 tuned: (73 + 1) / (86 + 2) = 0.841, times 0.9995")
        let seen = OwnershipEdge(from: 0, to: 1, kind: .references, rule: "test", evidence: 5)
        #expect(seen.confidencePercent() == "100.0", "an observed fact with no contradiction is certain")
        var once = OwnershipEdge(from: 0, to: 1, kind: .owns, rule: "test", evidence: 1)
        once.basis = .createdAfter
        #expect(once.evidenceShare == 0.75)
        #expect(once.confidencePercent() == "44.5", "100 true of 168 tuned: (100 + 1) / (168 + 2) = 0.594, times 0.75 (0.446, shown rounded down)")
        var judged = OwnershipEdge(from: 0, to: 1, kind: .owns, rule: "test", evidence: 50)
        judged.provenance = .observed
        judged.basis = .heldAtDeath
        #expect(judged.evidenceShare == 1)
        #expect(judged.confidencePercent() == "99.0", "observed owns held at death: 208 true of 209 tuned, (208 + 1) / (209 + 2)")
    }
}
