import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rules added at the eleventh freeze (docs/OWNERSHIP.md), one situation each, on
/// hand-built dumps (times in ns; 1 ms between phases, far more than the 100 µs cascade gap).
@Suite struct EleventhRulesTests: RuleFixtures {
    /// Parents and children made by one function, a child 1 ms after its parent (a thread
    /// preempted between the two), each pair freed together, child first. No dying words: the
    /// creation burst is the only link.
    func slowBursts(_ count: Int) -> DumpBuilder {
        var d = DumpBuilder()
        let parent = d.stack("main", "build", "parent_new")
        let child = d.stack("main", "build", "child_new")
        var t: UInt64 = 1_000
        for i in 0..<count {
            let a = UInt64(0x100000 + i * 0x100)
            d.alloc(ts: t, address: a, size: 64, stack: parent)
            t += Self.separate
            d.alloc(ts: t, address: a + 0x80, size: 32, stack: child)
            t += Self.separate
            d.free(ts: t, address: a + 0x80)
            d.free(ts: t + 10, address: a)
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    @Test func aBurstIsTheThreadsEventOrderNotItsTiming() throws {
        let owns = try #require(edge(graph(slowBursts(4)), .owns, "parent_new", "child_new"))
        #expect(owns.provenance == .inferred)
        #expect(owns.basis == .createdAfter)
        var timed = OwnershipOptions.default
        timed.burstsByEventOrder = false
        #expect(edge(graph(slowBursts(4), options: timed), .owns, "parent_new", "child_new") == nil,
                "with the 100 µs bound, a child made 1 ms after its parent starts a burst of its own")
    }

    /// Targets made by `Arc::new`. The first `tornAlone` are held by one block of `holder_new`
    /// each, which dies right after the target, still holding it (the count's last holder);
    /// the next `leftAlive` are held by a `holder_new` block that dies first, leaving the
    /// target alive, and by a block of `other_new` freed with it. `unseenLast` more are held by
    /// `holder_new` blocks that die first, and no heap block holds them when they die (the last
    /// `Arc` on a stack).
    func countedTargets(tornAlone: Int, leftAlive: Int, unseenLast: Int = 0) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let holder = d.stack("main", "holder_new")
        let other = d.stack("main", "other_new")
        let counted = d.stack("main", "app::make_state", "alloc::sync::Arc<app::State>::new", "__rust_alloc")
        var t: UInt64 = 1_000
        var next: UInt64 = 0x100000
        func block() -> UInt64 { next += 0x100; return next }
        for _ in 0..<tornAlone {
            let target = block(), h = block()
            d.alloc(ts: t, address: h, size: 32, stack: holder)
            t += Self.separate
            d.alloc(ts: t, address: target, size: 64, stack: counted)
            t += Self.separate
            d.free(ts: t, address: target)
            words(&d, ts: t + 10, h, [target])
            d.free(ts: t + 10, address: h)
            t += Self.separate
        }
        for _ in 0..<leftAlive {
            let target = block(), h = block(), o = block()
            d.alloc(ts: t, address: h, size: 32, stack: holder)
            d.alloc(ts: t + Self.separate, address: o, size: 32, stack: other)
            t += 2 * Self.separate
            d.alloc(ts: t, address: target, size: 64, stack: counted)
            t += Self.separate
            words(&d, ts: t, h, [target])
            d.free(ts: t, address: h)
            t += Self.separate
            d.free(ts: t, address: target)
            words(&d, ts: t + 10, o, [target])
            d.free(ts: t + 10, address: o)
            t += Self.separate
        }
        for _ in 0..<unseenLast {
            let target = block(), h = block()
            d.alloc(ts: t, address: h, size: 32, stack: holder)
            t += Self.separate
            d.alloc(ts: t, address: target, size: 64, stack: counted)
            t += Self.separate
            words(&d, ts: t, h, [target])
            d.free(ts: t, address: h)
            t += Self.separate
            d.free(ts: t, address: target)
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    @Test func aCountsLastHoldersAreSharersWhereOthersLeftItAlive() throws {
        let dump = countedTargets(tornAlone: 3, leftAlive: 3)
        let shares = try #require(edge(graph(dump), .shares, "holder_new", "app::make_state"))
        #expect(shares.provenance == .observed)
        #expect(shares.evidence == 6)
        #expect(shares.contradictions == 0)
        #expect(edge(graph(dump), .owns, "holder_new", "app::make_state") == nil)
        var tenth = OwnershipOptions.default
        tenth.countedTargetHolders = false
        #expect(edge(graph(dump, options: tenth), .shares, "holder_new", "app::make_state") == nil,
                "the tenth rules read three tearers against three left alive: neither owns nor shares")
    }

    @Test func holdersOfACountWhoseLastHolderIsUnseenShareIt() throws {
        let dump = countedTargets(tornAlone: 0, leftAlive: 0, unseenLast: 3)
        let shares = try #require(edge(graph(dump), .shares, "holder_new", "app::make_state"))
        #expect(shares.evidence == 3)
        #expect(shares.confidence < 0.9)
        var tenth = OwnershipOptions.default
        tenth.unseenLastHolders = false
        #expect(edge(graph(dump, options: tenth), .shares, "holder_new", "app::make_state") == nil)
    }

    @Test func theOneOutsideSiteOwnsARecursiveStructuresRoots() throws {
        let dump = TenthRulesTests().ringOfMessages(6, pairsFreedTogether: true)
        let g = graph(dump)
        #expect(edge(g, .owns, "message_new", "message_new") != nil)
        let roots = try #require(edge(g, .owns, "ring_new", "message_new"))
        #expect(roots.basis == .soleHolderSite)
        var tenth = OwnershipOptions.default
        tenth.recursiveRoots = false
        #expect(edge(graph(dump, options: tenth), .owns, "ring_new", "message_new") == nil,
                "the tenth rules let the messages' own edge keep the ring from owning them")
    }
}
