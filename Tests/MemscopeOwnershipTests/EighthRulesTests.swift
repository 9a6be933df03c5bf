import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rules added at the eighth freeze (docs/OWNERSHIP.md), one situation each, on
/// hand-built dumps (times in ns; 1 ms between phases, far more than the 100 µs gaps).
@Suite struct EighthRulesTests: RuleFixtures {
    /// A vector's buffer holds items, seen by a scan; the items are freed without clearing the
    /// buffer's slots (a vector cleared: its length set to 0), and blocks of another site are
    /// made and freed at their addresses; then the buffer dies with its old words.
    func clearedVector(items: Int, vectorWords: Bool = true) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let vector = d.stack("main", "vec_new")
        let item = d.stack("main", "fill", "item_new")
        let other = d.stack("main", "later", "other_new")
        func address(_ i: Int) -> UInt64 { UInt64(0x200000 + i * 0x100) }
        var t: UInt64 = 1_000
        d.alloc(ts: t, address: 0x100000, size: UInt64(8 * items), stack: vector)
        for i in 0..<items {
            t += Self.separate
            d.alloc(ts: t, address: address(i), size: 32, stack: item)
        }
        for _ in 0..<2 {  // two scans
            t += Self.separate
            d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: 0, to: 0, interior: false)))
            for i in 0..<items {
                d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: 0x100000, to: address(i), interior: false)))
            }
            t += Self.separate
            d.free(ts: t, address: 0x900000 + t)  // a scan closes at the next event
        }
        for i in 0..<items {
            t += Self.separate
            d.free(ts: t, address: address(i))
        }
        for i in 0..<items {
            t += Self.separate
            d.alloc(ts: t, address: address(i), size: 32, stack: other)
            t += Self.separate
            d.free(ts: t, address: address(i))
        }
        t += Self.separate
        if vectorWords { words(&d, ts: t, 0x100000, (0..<items).map(address)) }
        d.free(ts: t, address: 0x100000)
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func aWordLeftFromABlockOfAnotherSiteIsStale() throws {
        let g = graph(clearedVector(items: 6))
        #expect(edge(g, .references, "vec_new", "item_new") != nil)
        #expect(edge(g, .references, "vec_new", "other_new") == nil, "the old items' words name blocks the vector never held")
        #expect(g.coverage.staleReferences == 1)
        var off = OwnershipOptions.default
        off.previousOccupants = false
        #expect(edge(graph(clearedVector(items: 6), options: off), .references, "vec_new", "other_new") != nil)
    }

    /// Nodes held by a buffer of strong references (`Vec<Rc<Node>>`) and one of weak ones
    /// (`Vec<Weak<Node>>`): the weak buffer dies first holding each node and leaves it alive,
    /// then the strong buffer tears it down.
    func strongAndWeak(nodes: Int, weakRelease: [String]) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let node = d.stack("main", "node_new")
        let strong = d.stack("main", "strong_new")
        let weak = d.stack("main", "weak_new")
        let release = d.stack(["main", "drop_graph"] + weakRelease)
        var t: UInt64 = 1_000
        for i in 0..<nodes {
            let base = UInt64(0x100000 + i * 0x1000)
            d.alloc(ts: t, address: base, size: 64, stack: node)
            d.alloc(ts: t + Self.separate, address: base + 0x100, size: 16, stack: strong)
            d.alloc(ts: t + 2 * Self.separate, address: base + 0x200, size: 16, stack: weak)
            t += 3 * Self.separate
        }
        for i in 0..<nodes {
            let base = UInt64(0x100000 + i * 0x1000)
            words(&d, ts: t, base + 0x200, [base])
            d.free(ts: t, address: base + 0x200, stack: release)
            t += Self.separate
            d.free(ts: t, address: base)
            words(&d, ts: t + 10, base + 0x100, [base])
            d.free(ts: t + 10, address: base + 0x100)
            t += Self.separate
        }
        d.end(ts: t + Self.separate)
        return d
    }

    static let weakVector = ["core::ptr::drop_in_place<alloc::vec::Vec<alloc::rc::Weak<graph::Node>>>",
                             "core::ptr::drop_in_place<alloc::raw_vec::RawVec<alloc::rc::Weak<graph::Node>>>",
                             "alloc::alloc::dealloc", "free"]
    static let strongVector = ["core::ptr::drop_in_place<alloc::vec::Vec<alloc::rc::Rc<graph::Node>>>",
                               "core::ptr::drop_in_place<alloc::raw_vec::RawVec<alloc::rc::Rc<graph::Node>>>",
                               "alloc::alloc::dealloc", "free"]

    @Test func aBufferOfWeakReferencesNeitherSharesNorOwns() throws {
        let g = graph(strongAndWeak(nodes: 6, weakRelease: Self.weakVector))
        #expect(edge(g, .shares, "weak_new", "node_new") == nil)
        #expect(edge(g, .owns, "weak_new", "node_new") == nil)
        #expect(edge(g, .references, "weak_new", "node_new") != nil)
        #expect(edge(g, .owns, "strong_new", "node_new")?.provenance == .observed)
        #expect(edge(g, .owns, "strong_new", "node_new")?.basis == .heldAtDeath)
        // A buffer of strong references dying first left the node alive: the strong buffer
        // was the last of several holders.
        let counted = graph(strongAndWeak(nodes: 6, weakRelease: Self.strongVector))
        #expect(edge(counted, .owns, "strong_new", "node_new")?.basis == .lastOfSeveral)
        var off = OwnershipOptions.default
        off.weakHolders = false
        #expect(edge(graph(strongAndWeak(nodes: 6, weakRelease: Self.weakVector), options: off), .owns, "strong_new", "node_new")?.basis == .lastOfSeveral)
    }

    /// A scan-only reference, where dying words were recorded, is judged at its class's rate.
    @Test func aReferenceOnlyScansSawIsJudged() throws {
        let g = graph(clearedVector(items: 6, vectorWords: false))
        let seen = try #require(edge(g, .references, "vec_new", "item_new"))
        #expect(seen.basis == .scanOnly)
        #expect(seen.confidence < 1 && seen.confidence > 0.9)
    }
}
