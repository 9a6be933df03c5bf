import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rules added at the tenth freeze (docs/OWNERSHIP.md), one situation each, on
/// hand-built dumps (times in ns; 1 ms between phases, far more than the 100 µs gaps).
@Suite struct TenthRulesTests: RuleFixtures {
    /// A ring (one block) holds messages, as a scan sees; the ring dies first, its slots
    /// cleared (no words), and the messages are freed later, each in a cascade of its own:
    /// no dying word and no cascade shows the ring owning them. `index` adds a second site
    /// whose block holds every message too; `ringAfter` makes the ring after the messages
    /// (a block naming older ones, as a back pointer does). `indexFirst` makes the index before
    /// the messages (otherwise after them: an index built over blocks that exist).
    /// `pairsFreedTogether` frees the messages two by two, each even one holding the next as it
    /// dies right after it (a list freed tail first: messages owning messages).
    func ringOfMessages(_ count: Int, index: Bool = false, ringAfter: Bool = false, indexFirst: Bool = false,
                        pairsFreedTogether: Bool = false) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let ring = d.stack("main", "ring_new")
        let message = d.stack("main", "produce", "message_new")
        let indexStack = d.stack("main", "index_new")
        func address(_ i: Int) -> UInt64 { UInt64(0x200000 + i * 0x100) }
        var t: UInt64 = 1_000
        if !ringAfter {
            d.alloc(ts: t, address: 0x100000, size: UInt64(8 * count), stack: ring)
            t += Self.separate
        }
        if index && indexFirst {
            d.alloc(ts: t, address: 0x180000, size: UInt64(8 * count), stack: indexStack)
            t += Self.separate
        }
        for i in 0..<count {
            d.alloc(ts: t, address: address(i), size: 48, stack: message)
            t += Self.separate
        }
        if ringAfter {
            d.alloc(ts: t, address: 0x100000, size: UInt64(8 * count), stack: ring)
            t += Self.separate
        }
        if index && !indexFirst {
            d.alloc(ts: t, address: 0x180000, size: UInt64(8 * count), stack: indexStack)
            t += Self.separate
        }
        d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: 0, to: 0, interior: false)))
        for i in 0..<count {
            d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: 0x100000, to: address(i), interior: false)))
            if index {
                d.append(.pointerReference(PointerReference(timestamp: t, source: .block, from: 0x180000, to: address(i), interior: false)))
            }
        }
        t += Self.separate
        d.free(ts: t, address: 0x900000)  // a scan closes at the next event
        t += Self.separate
        d.free(ts: t, address: 0x100000)
        if index {
            t += Self.separate
            d.free(ts: t, address: 0x180000)
        }
        if pairsFreedTogether {
            for i in stride(from: 0, to: count - 1, by: 2) {
                t += Self.separate
                d.free(ts: t, address: address(i + 1))
                words(&d, ts: t + 10, address(i), [address(i + 1)])
                d.free(ts: t + 10, address: address(i))
            }
        } else {
            for i in 0..<count {
                t += Self.separate
                d.free(ts: t, address: address(i))
            }
        }
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func theOneSiteReferringToATargetSiteOwnsIt() throws {
        let g = graph(ringOfMessages(6))
        #expect(edge(g, .references, "ring_new", "message_new") != nil)
        let owns = try #require(edge(g, .owns, "ring_new", "message_new"))
        #expect(owns.provenance == .inferred)
        #expect(owns.basis == .soleHolderSite)
        #expect(owns.evidence == 6)
        #expect(owns.confidence < OwnershipCalibration.tunedRate(.owns, .inferred, .soleHolderSite))
        var off = OwnershipOptions.default
        off.soleHolderSites = false
        #expect(edge(graph(ringOfMessages(6), options: off), .owns, "ring_new", "message_new") == nil)
    }

    @Test func aSecondReferringSiteOrAYoungerHolderOwnsNothing() throws {
        let indexed = graph(ringOfMessages(6, index: true, indexFirst: true))
        #expect(edge(indexed, .references, "index_new", "message_new") != nil)
        #expect(edge(indexed, .owns, "ring_new", "message_new") == nil, "which of two referring sites owns is not seen")
        #expect(edge(indexed, .owns, "index_new", "message_new") == nil)
        // An index made after every message it holds is no owner (eleventh rules): the ring
        // is then the one site seen referring; the tenth rules abstained.
        let later = graph(ringOfMessages(6, index: true))
        #expect(edge(later, .owns, "ring_new", "message_new")?.basis == .soleHolderSite)
        #expect(edge(later, .owns, "index_new", "message_new") == nil)
        var tenth = OwnershipOptions.default
        tenth.laterReferrers = false
        #expect(edge(graph(ringOfMessages(6, index: true), options: tenth), .owns, "ring_new", "message_new") == nil)
        let younger = graph(ringOfMessages(6, ringAfter: true))
        #expect(edge(younger, .references, "ring_new", "message_new") != nil)
        #expect(edge(younger, .owns, "ring_new", "message_new") == nil, "a holder made after its targets holds back pointers")
    }

    /// One reference-counted target (made by `Arc::new`) held by a slot and a reader: the
    /// reader dies first holding it and leaves it alive, then the target dies and the slot
    /// with it, still holding it (the last holder). `slotFirst` frees the slot first in the
    /// target's cascade instead, with no reader (a parent freed before its counted child).
    func countedOnce(slotFirst: Bool = false) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let slot = d.stack("main", "slot_new")
        let reader = d.stack("main", "reader_new")
        let counted = d.stack("main", "app::make_config", "alloc::sync::Arc<app::Config>::new", "__rust_alloc")
        var t: UInt64 = 1_000
        d.alloc(ts: t, address: 0x10000, size: 32, stack: slot)
        t += Self.separate
        d.alloc(ts: t, address: 0x80000, size: 64, stack: counted)
        t += Self.separate
        if slotFirst {
            words(&d, ts: t, 0x10000, [0x80000])
            d.free(ts: t, address: 0x10000)
            d.free(ts: t + 10, address: 0x80000)
        } else {
            d.alloc(ts: t, address: 0x20000, size: 32, stack: reader)
            t += Self.separate
            words(&d, ts: t, 0x20000, [0x80000])
            d.free(ts: t, address: 0x20000)
            t += Self.separate
            d.free(ts: t, address: 0x80000)
            words(&d, ts: t + 10, 0x10000, [0x80000])
            d.free(ts: t + 10, address: 0x10000)
        }
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func aReferenceCountSeenOnceIsShared() throws {
        let g = graph(countedOnce())
        let last = try #require(edge(g, .shares, "slot_new", "app::make_config"))
        #expect(last.provenance == .observed)
        #expect(last.evidence == 1)
        #expect(last.basis == .refcountedTarget)
        #expect(last.confidence < 0.9)
        #expect(edge(g, .shares, "reader_new", "app::make_config") != nil)
        var off = OwnershipOptions.default
        off.singleCountedShares = false
        #expect(edge(graph(countedOnce(), options: off), .shares, "slot_new", "app::make_config") == nil)
        let first = graph(countedOnce(slotFirst: true))
        #expect(edge(first, .shares, "slot_new", "app::make_config") == nil, "a holder freed first, before its one counted target, is not a count seen once")
    }

    /// Connections made by `new`, each handed to a `shared_ptr` whose control block
    /// (`std::__shared_count` from a raw pointer) holds it, and held by a session's
    /// `shared_ptr` too. The connection dies, then its control block and the session with it
    /// in one cascade, both still holding it: two tearers.
    func controlBlocks(_ count: Int, inPlace: Bool = false) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let connection = d.stack("main", "connection_new")
        let control = d.stack(["main", "control_new", "std::__shared_count<(__gnu_cxx::_Lock_policy)2>::__shared_count<Connection*>"]
                              + (inPlace ? ["std::_Sp_counted_ptr_inplace<Connection, std::allocator<void>, (__gnu_cxx::_Lock_policy)2>::_Sp_counted_ptr_inplace<>"] : [])
                              + ["operator new"])
        let session = d.stack("main", "session_new")
        var t: UInt64 = 1_000
        for i in 0..<count {
            let base = UInt64(0x100000 + i * 0x1000)
            d.alloc(ts: t, address: base, size: 64, stack: connection)
            d.alloc(ts: t + Self.separate / 4, address: base + 0x100, size: 24, stack: control)
            d.alloc(ts: t + Self.separate / 2, address: base + 0x200, size: 32, stack: session)
            t += Self.separate
        }
        for i in 0..<count {
            let base = UInt64(0x100000 + i * 0x1000)
            d.free(ts: t, address: base)
            words(&d, ts: t + 10, base + 0x100, [base])
            d.free(ts: t + 10, address: base + 0x100)
            words(&d, ts: t + 20, base + 0x200, [base, base + 0x100])
            d.free(ts: t + 20, address: base + 0x200)
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    @Test func aControlBlockOwnsWhatItsSharedPointersShare() throws {
        let g = graph(controlBlocks(3))
        let owns = try #require(edge(g, .owns, "control_new", "connection_new"))
        #expect(owns.provenance == .observed)
        #expect(owns.evidence == 3)
        let shares = try #require(edge(g, .shares, "session_new", "connection_new"))
        #expect(shares.provenance == .observed)
        #expect(edge(g, .owns, "session_new", "connection_new") == nil)
        var off = OwnershipOptions.default
        off.controlBlocks = false
        let before = graph(controlBlocks(3), options: off)
        #expect(edge(before, .owns, "control_new", "connection_new") == nil, "two tearers: which owned it is not seen")
        #expect(edge(before, .shares, "session_new", "connection_new") == nil)
        // `make_shared`'s in-place block holds its object inside: not a control block apart.
        #expect(edge(graph(controlBlocks(3, inPlace: true)), .owns, "control_new", "connection_new") == nil)
    }
}
