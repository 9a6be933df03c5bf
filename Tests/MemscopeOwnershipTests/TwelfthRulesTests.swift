import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rules added at the twelfth freeze (docs/OWNERSHIP.md), one situation each, on
/// hand-built dumps (times in ns; 1 ms between phases), each also with its switch off.
@Suite struct TwelfthRulesTests: RuleFixtures {
    /// Holders made by one function, each followed at once (same caller) by a target made by
    /// `Arc::new`, the pair freed together, target first. No dying words: the creation burst
    /// is the only link.
    func countedBursts(_ count: Int) -> DumpBuilder {
        var d = DumpBuilder()
        let holder = d.stack("main", "app::build", "holder_new")
        let counted = d.stack("main", "app::build", "app::make_state", "alloc::sync::Arc<app::State>::new", "__rust_alloc")
        var t: UInt64 = 1_000
        for i in 0..<count {
            let a = UInt64(0x100000 + i * 0x100)
            d.alloc(ts: t, address: a, size: 64, stack: holder)
            t += 10
            d.alloc(ts: t, address: a + 0x80, size: 32, stack: counted)
            t += Self.separate
            d.free(ts: t, address: a + 0x80)
            d.free(ts: t + 10, address: a)
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    @Test func aCountedTargetIsNotOwnedByInference() throws {
        let dump = countedBursts(4)
        #expect(edge(graph(dump), .owns, "holder_new", "app::make_state") == nil)
        var eleventh = OwnershipOptions.default
        eleventh.countedTargetsUnowned = false
        let owns = try #require(edge(graph(dump, options: eleventh), .owns, "holder_new", "app::make_state"),
                                "the eleventh rules infer an owner of a counted target from a creation burst")
        #expect(owns.provenance == .inferred)
    }

    /// `count` holders (one block each, made first on thread 1) and `count` targets (made after
    /// them on thread 1), a scan seeing each holder hold its target alone. Then the targets and
    /// the holders die on `freeThread`, targets first (`holdersFirst`: every holder first, as a
    /// ring freed before its messages), no dying word naming them. `holder` is the holders' stack.
    func holdersAndTargets(_ count: Int, holder holderPath: [String], freeThread: UInt32 = 1,
                           holdersFreeThread: UInt32? = nil, holdersFirst: Bool = false) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let holder = d.stack(holderPath)
        let target = d.stack("main", "produce", "target_new")
        func h(_ i: Int) -> UInt64 { UInt64(0x100000 + i * 0x100) }
        func x(_ i: Int) -> UInt64 { UInt64(0x200000 + i * 0x100) }
        var t: UInt64 = 1_000
        for i in 0..<count {
            d.alloc(ts: t, address: h(i), size: 32, stack: holder)
            t += Self.separate
        }
        for i in 0..<count {
            d.alloc(ts: t, address: x(i), size: 48, stack: target)
            t += Self.separate
        }
        d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: 0, to: 0, interior: false)))
        for i in 0..<count {
            d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: h(i), to: x(i), interior: false)))
        }
        t += Self.separate
        d.free(ts: t, address: 0x900000)  // a scan closes at the next event
        if holdersFirst {
            for i in 0..<count {
                t += Self.separate
                d.free(ts: t, thread: holdersFreeThread ?? freeThread, address: h(i))
            }
            for i in 0..<count {
                t += Self.separate
                d.free(ts: t, thread: freeThread, address: x(i))
            }
            d.end(ts: t + Self.separate)
            return d
        }
        for i in 0..<count {
            t += Self.separate
            d.free(ts: t, thread: freeThread, address: x(i))
            t += Self.separate
            d.free(ts: t, thread: holdersFreeThread ?? freeThread, address: h(i))
        }
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func aCountedHolderIsNoSoleOwner() throws {
        let counted = ["main", "app::make_view", "alloc::sync::Arc<app::View>::new", "__rust_alloc"]
        let dump = holdersAndTargets(6, holder: counted, holdersFirst: true)
        #expect(edge(graph(dump), .references, "app::make_view", "target_new") != nil)
        #expect(edge(graph(dump), .owns, "app::make_view", "target_new") == nil)
        var eleventh = OwnershipOptions.default
        eleventh.countedSoleHolders = false
        let owns = try #require(edge(graph(dump, options: eleventh), .owns, "app::make_view", "target_new"),
                                "the eleventh rules make the one referring site the owner, counted or not")
        #expect(owns.basis == .soleHolderSite)
        // A holder not made by a counting constructor still owns them.
        #expect(edge(graph(holdersAndTargets(6, holder: ["main", "holder_new"], holdersFirst: true)), .owns, "holder_new", "target_new")?.basis == .soleHolderSite)
    }

    @Test func aHolderHandedOffWithItsTargetsOwnsThem() throws {
        let dump = holdersAndTargets(6, holder: ["main", "holder_new"], freeThread: 2)
        let owns = try #require(edge(graph(dump), .owns, "holder_new", "target_new"))
        #expect(owns.basis == .soleHolderSite)
        var eleventh = OwnershipOptions.default
        eleventh.handedOffTogether = false
        #expect(edge(graph(dump, options: eleventh), .owns, "holder_new", "target_new") == nil,
                "the eleventh rules take every holder of a handed-off target for the channel")
        // A holder that stays behind (freed on the thread that made it) is the channel.
        let channel = holdersAndTargets(6, holder: ["main", "holder_new"], freeThread: 2, holdersFreeThread: 1)
        #expect(edge(graph(channel), .owns, "holder_new", "target_new") == nil)
    }
}
