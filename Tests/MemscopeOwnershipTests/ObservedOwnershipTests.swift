import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// Owns and shares observed from dying blocks' words (block_references), on hand-built dumps
/// (times in ns; 1 ms between phases, far more than the 100 µs burst and cascade gap).
@Suite struct ObservedOwnershipTests: RuleFixtures {
    /// An edge between nodes of any kind named by function (not only allocation sites).
    func edge(_ g: OwnershipGraph, _ kind: OwnershipEdgeKind, _ from: String, _ to: String) -> OwnershipEdge? {
        guard let f = g.nodes.first(where: { $0.function == from })?.id, let t = g.nodes.first(where: { $0.function == to })?.id
        else { return nil }
        return g.edges.first { $0.kind == kind && $0.from == f && $0.to == t }
    }

    /// `count` parents (each with one child), then each pair freed child first, then the
    /// parent, whose words still hold the child's address (a dangling pointer).
    func parentsAndChildren(_ count: Int, marker: Bool = true, parentHolds: Bool = true) -> DumpBuilder {
        var d = DumpBuilder()
        if marker { d.append(Self.marker) }
        let parent = d.stack("main", "parent_new")
        let child = d.stack("main", "other", "child_new")
        var t: UInt64 = 1_000
        for i in 0..<count {
            d.alloc(ts: t, address: UInt64(0x10000 + i * 0x100), size: 32, stack: parent)
            d.alloc(ts: t + Self.separate / 2, address: UInt64(0x80000 + i * 0x100), size: 16, stack: child)
            t += Self.separate
        }
        for i in 0..<count {
            let p = UInt64(0x10000 + i * 0x100), c = UInt64(0x80000 + i * 0x100)
            d.free(ts: t, address: c)
            if parentHolds { words(&d, ts: t + 10, p, [c]) }
            d.free(ts: t + 10, address: p)
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    @Test func aTargetHeldAloneWhenItDiedIsObservedOwned() throws {
        let g = graph(parentsAndChildren(6))
        let owns = try #require(edge(g, .owns, "parent_new", "child_new"))
        #expect(owns.provenance == .observed)
        #expect(owns.evidence == 6)
        #expect(owns.contradictions == 0)
        #expect(owns.detail.contains("6 still held it when it was freed"))
        // Counts are the edge's, not the rule's: the report lists each rule once, and on
        // Debian's sqlite3 it listed 24 rules that differed only in their counts.
        #expect(!owns.rule.contains { $0.isNumber }, "\(owns.rule)")
        #expect(owns.rule == (try #require(edge(graph(parentsAndChildren(4)), .owns, "parent_new", "child_new"))).rule)
        #expect(owns.evidenceShare == 1)
        #expect(owns.basis == .heldAtDeath)
        #expect(owns.confidence == OwnershipCalibration.tunedRate(.owns, .observed, .heldAtDeath), "a judged edge is as sure as its class was on the tuned programs")
        let references = try #require(edge(g, .references, "parent_new", "child_new"))
        #expect(references.evidence == 6)
        #expect(g.coverage.deathsObserved)
        #expect(g.coverage.blocksObservedAtDeath == 6)
    }

    @Test func withoutTheMarkerNothingIsObserved() throws {
        // Unrelated sites, freed apart: no rule links them, and words without a marker are not read.
        let g = graph(parentsAndChildren(6, marker: false))
        #expect(edge(g, .owns, "parent_new", "child_new") == nil)
        #expect(edge(g, .references, "parent_new", "child_new") == nil)
        #expect(!g.coverage.deathsObserved)
    }

    /// One target seen held at death (a struct's one buffer) is an observed owns of a class of
    /// its own, scored by how often such edges were true (a stale word looks the same).
    @Test func oneObservedTargetIsAClassOfItsOwn() throws {
        let g = graph(parentsAndChildren(1))
        let owns = try #require(edge(g, .owns, "parent_new", "child_new"))
        #expect(owns.provenance == .observed)
        #expect(owns.evidence == 1)
        #expect(owns.basis == .singleTarget)
        #expect(owns.confidence == OwnershipCalibration.tunedRate(.owns, .observed, .singleTarget))
        #expect(owns.confidence < OwnershipCalibration.tunedRate(.owns, .observed, .heldAtDeath))
        let two = try #require(edge(graph(parentsAndChildren(2)), .owns, "parent_new", "child_new"))
        #expect(two.basis == .heldAtDeath)
    }

    /// A holder of a reference-counted block (made by `Rc::new`) seen alone is still one
    /// holder of a count: it shares the target, observed, in the class of such holders.
    @Test func aReferenceCountedTargetHeldAloneIsShared() throws {
        var d = DumpBuilder()
        d.append(Self.marker)
        let holder = d.stack("main", "holder_new")
        let counted = d.stack("main", "app::make_node", "alloc::rc::Rc<app::Node>::new", "__rust_alloc")
        var t: UInt64 = 1_000
        for i in 0..<4 {
            d.alloc(ts: t, address: UInt64(0x10000 + i * 0x100), size: 32, stack: holder)
            d.alloc(ts: t + Self.separate / 2, address: UInt64(0x80000 + i * 0x100), size: 48, stack: counted)
            t += Self.separate
        }
        for i in 0..<4 {
            let h = UInt64(0x10000 + i * 0x100), c = UInt64(0x80000 + i * 0x100)
            d.free(ts: t, address: c)
            words(&d, ts: t + 10, h, [c])
            d.free(ts: t + 10, address: h)
            t += Self.separate
        }
        d.end(ts: t)
        let g = graph(d)
        let shares = try #require(edge(g, .shares, "holder_new", "app::make_node"))
        #expect(shares.provenance == .observed)
        #expect(shares.basis == .refcountedTarget)
        #expect(shares.evidence == 4)
        #expect(shares.rule.contains("reference-counted type"))
        #expect(edge(g, .owns, "holder_new", "app::make_node") == nil)
    }

    /// A ring still naming messages that another cascade freed earlier: it refers, it does not own.
    @Test func danglingWordsFreedInALaterCascadeOnlyRefer() throws {
        var d = DumpBuilder()
        d.append(Self.marker)
        let ring = d.stack("main", "ring_new")
        let message = d.stack("main", "produce", "message_new")
        d.alloc(ts: 100, address: 0x5000, size: 64, stack: ring)
        var t: UInt64 = Self.separate
        for i in 0..<6 {
            d.alloc(ts: t, address: UInt64(0x9000 + i * 0x40), size: 24, stack: message)
            t += Self.separate
        }
        for i in 0..<6 {
            d.free(ts: t, thread: 2, address: UInt64(0x9000 + i * 0x40))
            t += Self.separate
        }
        words(&d, ts: t, 0x5000, (0..<6).map { UInt64(0x9000 + $0 * 0x40) })
        d.free(ts: t, address: 0x5000)
        d.end(ts: t + 1)
        let g = graph(d)
        #expect(edge(g, .owns, "ring_new", "message_new") == nil)
        #expect(edge(g, .references, "ring_new", "message_new")?.evidence == 6)
    }

    /// Two holders whose words both held the target when it was freed with them: a reference
    /// count has one last holder, so they are not sharers, and which one owned it is not seen.
    @Test func twoHoldersTearingItDownAreNeitherSharersNorOwners() throws {
        var d = DumpBuilder()
        d.append(Self.marker)
        let holder = d.stack("main", "holder_new")
        let object = d.stack("main", "other", "object_new")
        var t: UInt64 = 1_000
        for i in 0..<4 {
            let o = UInt64(0x20000 + i * 0x100)
            d.alloc(ts: t, address: o, size: 16, stack: object)
            d.alloc(ts: t + Self.separate / 2, address: o + 0x40, size: 16, stack: holder)
            d.alloc(ts: t + Self.separate / 2 + Self.separate / 4, address: o + 0x80, size: 16, stack: holder)
            t += Self.separate
        }
        for i in 0..<4 {
            let o = UInt64(0x20000 + i * 0x100)
            d.free(ts: t, address: o)
            words(&d, ts: t + 10, o + 0x40, [o])
            d.free(ts: t + 10, address: o + 0x40)
            words(&d, ts: t + 20, o + 0x80, [o])
            d.free(ts: t + 20, address: o + 0x80)
            t += Self.separate
        }
        d.end(ts: t)
        let g = graph(d)
        #expect(edge(g, .shares, "holder_new", "object_new") == nil)
        #expect(edge(g, .owns, "holder_new", "object_new")?.provenance != .observed)
        #expect(edge(g, .references, "holder_new", "object_new")?.evidence == 8)
    }

    /// `objects` targets, each held by `holders` blocks of `holder_new` that die one at a
    /// time, in cascades of their own, holding it while it lives; the last holder's words
    /// still hold it when it is freed with it. `borrowerSite` puts every holder but the last
    /// at another site.
    func lastOfSeveral(objects: Int, holders: Int, borrowerSite: Bool) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let object = d.stack("main", "other", "object_new")
        let holder = d.stack("main", "holder_new")
        let borrower = borrowerSite ? d.stack("main", "borrower_new") : holder
        var t: UInt64 = 1_000
        func address(_ o: Int, _ h: Int) -> UInt64 { UInt64(0x100000 + o * 0x1000 + h * 0x40) }
        for o in 0..<objects {
            d.alloc(ts: t, address: address(o, 0), size: 32, stack: object)
            for h in 1...holders {
                t += Self.separate
                d.alloc(ts: t, address: address(o, h), size: 16, stack: h == holders ? holder : borrower)
            }
            t += Self.separate
        }
        // Something else allocated last: a free right after a holder's allocation would be
        // read as the target moving to it (an array replaced by a bigger one).
        d.alloc(ts: t, address: 0x900000, size: 8, stack: d.stack("main", "scratch_new"))
        t += Self.separate
        for o in 0..<objects {
            for h in 1..<holders {  // let go, the object lives on
                words(&d, ts: t, address(o, h), [address(o, 0)])
                d.free(ts: t, address: address(o, h))
                t += Self.separate
            }
            d.free(ts: t, address: address(o, 0))  // the last holder frees it, then dies
            words(&d, ts: t + 10, address(o, holders), [address(o, 0)])
            d.free(ts: t + 10, address: address(o, holders))
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    /// A reference count: holders of one site let the target live, and the last of them frees
    /// it. Both roles at one site are sharing, observed; not ownership.
    @Test func theLastOfSeveralHoldersOfOneSiteSharesIt() throws {
        let g = graph(lastOfSeveral(objects: 5, holders: 3, borrowerSite: false))
        let shares = try #require(edge(g, .shares, "holder_new", "object_new"))
        #expect(shares.provenance == .observed)
        #expect(shares.evidence == 10, "counted per target: 5 freed by their last holder, 5 let go by others")
        #expect(shares.contradictions == 0)
        #expect(shares.detail.contains("5 left it alive"))
        #expect(shares.confidence < 1)
        #expect(edge(g, .owns, "holder_new", "object_new") == nil)
    }

    /// Borrowers of another site die first and the owner frees the target: the owner owns it,
    /// the borrowers only refer to it (an interner's array and the tokens that point at its
    /// strings).
    @Test func borrowersThatDieFirstDoNotShare() throws {
        let g = graph(lastOfSeveral(objects: 5, holders: 3, borrowerSite: true))
        let owns = try #require(edge(g, .owns, "holder_new", "object_new"))
        #expect(owns.provenance == .observed)
        #expect(owns.evidence == 5)
        #expect(owns.detail.contains("5 after blocks that only referred to it had died"))
        #expect(edge(g, .shares, "holder_new", "object_new") == nil)
        #expect(edge(g, .shares, "borrower_new", "object_new") == nil)
        #expect(edge(g, .owns, "borrower_new", "object_new") == nil)
        #expect(edge(g, .references, "borrower_new", "object_new")?.evidence == 10)
    }

    /// A doubly linked list freed head first, whose links point inside the nodes (at a link
    /// 8 bytes in): a node's successor names it back through its `prev` word, and that is a
    /// back pointer, not a share. Each node owns the next one.
    @Test func backPointersAndInteriorLinksGiveOwnsAlongTheList() throws {
        var d = DumpBuilder()
        d.append(Self.marker)
        let node = d.stack("main", "node_new")
        let count = 12
        func address(_ i: Int) -> UInt64 { UInt64(0x300000 + i * 0x100) }
        var t: UInt64 = 1_000
        for i in 0..<count {
            d.alloc(ts: t, address: address(i), size: 40, stack: node)
            t += Self.separate
        }
        for i in 0..<count {  // node i: next (link of i + 1) at +8, prev (link of i - 1) at +16
            var targets: [UInt64] = []
            if i + 1 < count { targets.append(address(i + 1) + 8) }
            if i > 0 { targets.append(address(i - 1) + 8) }
            d.append(.blockReferences(BlockReferences(timestamp: t, thread: 1, address: address(i),
                                                      offsets: targets.indices.map { UInt64(8 + $0 * 8) }, targets: targets)))
            d.free(ts: t, address: address(i))
            t += 10
        }
        d.end(ts: t)
        let g = graph(d)
        let owns = try #require(edge(g, .owns, "node_new", "node_new"))
        #expect(owns.provenance == .observed)
        #expect(owns.evidence == UInt64(count - 1), "every node but the head, owned by the node before it")
        #expect(owns.detail.contains("were freed first, holding it"))
        #expect(edge(g, .shares, "node_new", "node_new") == nil)
    }

    /// An array replaced by a bigger one (allocated, filled, then the old one freed at once)
    /// hands its elements on: the old array owned them until then.
    @Test func anArrayReplacedByABiggerOneHandedItsElementsOn() throws {
        var d = DumpBuilder()
        d.append(Self.marker)
        let element = d.stack("main", "element_new")
        let first = d.stack("main", "array_new")
        let grown = d.stack("main", "grow", "array_grow")
        let elements = (0..<6).map { UInt64(0x400000 + $0 * 0x40) }
        var t: UInt64 = 1_000
        for e in elements {
            d.alloc(ts: t, address: e, size: 24, stack: element)
            t += Self.separate
        }
        d.alloc(ts: t, address: 0x500000, size: 64, stack: first)
        t += Self.separate
        d.alloc(ts: t, address: 0x510000, size: 128, stack: grown)
        words(&d, ts: t + 10, 0x500000, elements)
        d.free(ts: t + 10, address: 0x500000)
        t += Self.separate
        for e in elements {  // the grown array frees each element, then dies holding them
            d.free(ts: t, address: e)
            t += 10
        }
        words(&d, ts: t, 0x510000, elements)
        d.free(ts: t, address: 0x510000)
        d.end(ts: t + 10)
        let g = graph(d)
        let handed = try #require(edge(g, .owns, "array_new", "element_new"))
        #expect(handed.provenance == .observed)
        #expect(handed.evidence == 6)
        #expect(handed.detail.contains("6 taken over by a new holder") && handed.rule.contains("which took it over"))
        let kept = try #require(edge(g, .owns, "array_grow", "element_new"))
        #expect(kept.evidence == 6)
        #expect(kept.contradictions == 0, "handing on is not letting go")
        #expect(edge(g, .shares, "array_grow", "element_new") == nil)
    }

    /// Issue 18's first false case, by hand: a record created right after a pool buffer and
    /// freed in the same cascade. Without observations the burst rule guesses `pool owns
    /// record`; with them, the pool's words (read as it died) did not hold the record, so the
    /// guess is contradicted and rejected, and no inferred edge reads 100%.
    @Test func aBurstLinkTheOwnersWordsDoNotConfirmIsRejected() throws {
        func dump(marker: Bool) -> DumpBuilder {
            var d = DumpBuilder()
            if marker { d.append(Self.marker) }
            let pool = d.stack("main", "make", "pool_new")
            let record = d.stack("main", "make", "record_new")
            var t: UInt64 = 1_000
            for i in 0..<20 {
                d.alloc(ts: t, address: UInt64(0x100000 + i * 0x1000), size: 4096, stack: pool)
                d.alloc(ts: t + 10, address: UInt64(0x200000 + i * 0x100), size: 16, stack: record)
                t += Self.separate
            }
            for i in 0..<20 { d.free(ts: t + UInt64(i) * 10, address: UInt64(0x100000 + i * 0x1000)) }
            for i in 0..<20 { d.free(ts: t + 300 + UInt64(i) * 10, address: UInt64(0x200000 + i * 0x100)) }
            d.end(ts: t + Self.separate)
            return d
        }
        let guessed = graph(dump(marker: false))
        let guess = try #require(edge(guessed, .owns, "pool_new", "record_new"))
        #expect(guess.provenance == .inferred)
        #expect(guess.confidence < 1)
        #expect(guess.confidencePercent() != "100.0")
        let observed = graph(dump(marker: true))
        #expect(edge(observed, .owns, "pool_new", "record_new") == nil)
    }

    /// Tree nodes holding their children: a self-edge of the node site, with its count.
    @Test func recursiveStructuresGetASelfEdge() throws {
        var d = DumpBuilder()
        d.append(Self.marker)
        let node = d.stack("main", "insert", "node_new")
        var t: UInt64 = 1_000
        // A chain of 5 nodes: node i holds node i + 1; freed from the last to the first.
        for i in 0..<5 {
            d.alloc(ts: t, address: UInt64(0x30000 + i * 0x100), size: 24, stack: node)
            t += Self.separate
        }
        for i in (0..<5).reversed() {
            let n = UInt64(0x30000 + i * 0x100)
            if i < 4 { words(&d, ts: t, n, [n + 0x100]) }
            d.free(ts: t, address: n)
            t += 10
        }
        d.end(ts: t)
        let g = graph(d)
        let loop = try #require(edge(g, .owns, "node_new", "node_new"))
        #expect(loop.from == loop.to)
        #expect(loop.evidence == 4)
        #expect(loop.provenance == .observed)
    }

    /// Two allocations on one line (a node and its label) are two sites, told apart by column.
    @Test func twoCallsOnOneLineAreTwoSites() throws {
        var d = DumpBuilder()
        let main = d.codeFrame("main", module: "/bin/prog", offset: 0x1100, file: "tree.c", line: 40, column: 5)
        let nodeCall = d.codeFrame("node_new", module: "/bin/prog", offset: 0x1200, file: "tree.c", line: 12, column: 24)
        let labelCall = d.codeFrame("node_new", module: "/bin/prog", offset: 0x1220, file: "tree.c", line: 12, column: 60)
        let node = d.stack(frames: [main, nodeCall]), label = d.stack(frames: [main, labelCall])
        d.alloc(ts: 10, address: 0x1000, size: 32, stack: node)
        d.alloc(ts: 20, address: 0x2000, size: 16, stack: label)
        d.end(ts: 30)
        let g = graph(d)
        let sites = g.nodes.filter { $0.kind == .allocationSite && $0.line == 12 }
        #expect(sites.count == 2)
        #expect(Set(sites.map(\.column)) == [24, 60])
        #expect(sites.allSatisfy { $0.sharesLine })
        #expect(Set(sites.map(\.location)) == ["node_new (tree.c:12:24)", "node_new (tree.c:12:60)"])
        let markers = OwnershipEvaluation.siteMarkers(source: String(repeating: "\n", count: 11) + "x = calloc(); y = malloc(); // sites: node label\n")
        #expect(markers[12] == "node label")
        let truth: Set<OwnershipEvaluation.TruthEdge> = []
        var withEdge = g
        withEdge.edges = [OwnershipEdge(from: sites.first { $0.column == 24 }!.id, to: sites.first { $0.column == 60 }!.id,
                                        kind: .references, rule: "test", evidence: 1)]
        let result = OwnershipEvaluation.evaluate(withEdge, truth: truth, sourceFile: "tree.c", markers: markers)
        #expect(result.falsePositives == [.init(kind: .references, from: "node", to: "label")])
    }
}
