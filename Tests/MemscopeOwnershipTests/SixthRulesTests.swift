import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rules added at the sixth freeze (docs/OWNERSHIP.md), one situation each, on hand-built
/// dumps (times in ns; 1 ms between phases, far more than the 100 µs burst and cascade gap).
@Suite struct SixthRulesTests: RuleFixtures {
    /// A frame made and its metadata created right after it (one function, `capture`), later
    /// the metadata freed through `releasing` and the frame right after it, in one cascade;
    /// the frame's words, read as it died, no longer hold the metadata (a `unique_ptr` that
    /// reset itself, as `frame->meta.reset()` does).
    func nulledOwners(_ count: Int, releasing: [String], marker: Bool = true) -> DumpBuilder {
        var d = DumpBuilder()
        if marker { d.append(Self.marker) }
        let frame = d.stack("main", "capture", "frame_new")
        let meta = d.stack("main", "capture", "meta_new")
        let release = d.stack(["main"] + releasing)
        var t: UInt64 = 1_000
        for i in 0..<count {
            d.alloc(ts: t, address: UInt64(0x10000 + i * 0x100), size: 64, stack: frame)
            d.alloc(ts: t + 10, address: UInt64(0x80000 + i * 0x100), size: 32, stack: meta)
            t += Self.separate
        }
        for i in 0..<count {
            d.free(ts: t, address: UInt64(0x80000 + i * 0x100), stack: release)
            d.free(ts: t + 10, address: UInt64(0x10000 + i * 0x100))
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    static let uniqueRelease = ["encode", "std::unique_ptr<Meta, std::default_delete<Meta> >::reset(Meta*)",
                                "std::default_delete<Meta>::operator()(Meta*) const", "operator delete(void*, unsigned long)", "free"]

    @Test func anOwnerThatNulledItsPointerBeforeAUniqueReleaseOwnsTheTarget() throws {
        let g = graph(nulledOwners(6, releasing: Self.uniqueRelease))
        let owns = try #require(edge(g, .owns, "frame_new", "meta_new"))
        #expect(owns.provenance == .inferred)
        #expect(owns.evidence == 6)
        #expect(owns.contradictions == 0)
        #expect(owns.basis == .createdAfter)
        #expect(owns.rule.contains("freed by a unique owner's release"))
        #expect(owns.confidence < 1)
        #expect(OwnershipOptions.default.nulledOwners)
        // The same with the rule off: the owner's words did not hold it, which contradicts the link.
        var off = OwnershipOptions.default
        off.nulledOwners = false
        #expect(edge(graph(nulledOwners(6, releasing: Self.uniqueRelease), options: off), .owns, "frame_new", "meta_new") == nil)
    }

    @Test func aPlainFreeACountedReleaseOrALocalDroppedInItsOwnFunctionIsNotANulledOwner() {
        // C's free: issue 18's pool case stays rejected.
        #expect(edge(graph(nulledOwners(6, releasing: ["encode", "free"])), .owns, "frame_new", "meta_new") == nil)
        // A reference count released it (a shared_ptr's control block deleting the target).
        let counted = ["encode", "std::_Sp_counted_ptr<Meta*, (__gnu_cxx::_Lock_policy)2>::_M_dispose()",
                       "std::default_delete<Meta>::operator()(Meta*) const", "free"]
        #expect(edge(graph(nulledOwners(6, releasing: counted)), .owns, "frame_new", "meta_new") == nil)
        // Released by the function that made it: a local dropped at the end of its own scope.
        let local = ["meta_new", "std::default_delete<Meta>::operator()(Meta*) const", "free"]
        #expect(edge(graph(nulledOwners(6, releasing: local)), .owns, "frame_new", "meta_new") == nil)
    }

    /// Every owner holds its target's address: an accepted `owns` whose words were never seen
    /// implies an inferred `references`, scored at the owning edge's class rate; not in dumps
    /// without dying blocks' words, where `owns` rests on creation bursts alone.
    @Test func anOwnsEdgeImpliesAnInferredReference() throws {
        let g = graph(nulledOwners(6, releasing: Self.uniqueRelease))
        let owns = try #require(edge(g, .owns, "frame_new", "meta_new"))
        let references = try #require(edge(g, .references, "frame_new", "meta_new"))
        #expect(references.provenance == .inferred)
        #expect(references.basis == .createdAfter)
        #expect(references.evidence == owns.evidence)
        #expect(references.rule.contains("inferred from the `owns` edge"))
        #expect(abs(references.confidence - references.evidenceShare * OwnershipCalibration.tunedRate(.owns, .inferred, .createdAfter)) < 1e-12)
        #expect(references.confidence <= owns.confidence)
        #expect(references.confidenceReason?.contains("\(OwnershipCalibration.tuned[.init(kind: .owns, provenance: .inferred, basis: .createdAfter)]!.correct) of") == true)
        var off = OwnershipOptions.default
        off.impliedReferences = false
        #expect(edge(graph(nulledOwners(6, releasing: Self.uniqueRelease), options: off), .references, "frame_new", "meta_new") == nil)
        // Without the marker the burst rule guesses the owns, and no reference is implied.
        let unobserved = graph(nulledOwners(6, releasing: Self.uniqueRelease, marker: false))
        #expect(edge(unobserved, .owns, "frame_new", "meta_new") != nil)
        #expect(edge(unobserved, .references, "frame_new", "meta_new") == nil)
        // An observed reference is not doubled: the owner's words held the target when it died.
        var d = DumpBuilder()
        d.append(Self.marker)
        let frame = d.stack("main", "capture", "frame_new"), meta = d.stack("main", "capture", "meta_new")
        var t: UInt64 = 1_000
        for i in 0..<3 {
            let owner = UInt64(0x20000 + i * 0x100), target = UInt64(0x90000 + i * 0x100)
            d.alloc(ts: t, address: owner, size: 64, stack: frame)
            d.alloc(ts: t + 10, address: target, size: 32, stack: meta)
            t += Self.separate
            d.free(ts: t, address: target)
            words(&d, ts: t + 10, owner, [target])
            d.free(ts: t + 10, address: owner)
            t += Self.separate
        }
        d.end(ts: t)
        let held = graph(d).edges.filter { $0.kind == .references }
        #expect(held.count == 1)
        #expect(held.first?.provenance == .observed)
    }

    /// A frame with its pixels and its metadata made in one burst, except that in `split` of
    /// them the frame came long before the other two (which then form a burst of their own,
    /// the pixels first): every block freed by a unique release, metadata, pixels, frame.
    func siblings(together: Int, split: Int) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let frame = d.stack("main", "capture", "frame_new")
        let pixels = d.stack("main", "capture", "pixels_new")
        let meta = d.stack("main", "capture", "meta_new")
        let release = d.stack(["main"] + Self.uniqueRelease)
        var t: UInt64 = 1_000
        for i in 0..<(together + split) {
            d.alloc(ts: t, address: UInt64(0x10000 + i * 0x100), size: 64, stack: frame)
            let gap: UInt64 = i < together ? 10 : Self.separate / 2
            d.alloc(ts: t + gap, address: UInt64(0x40000 + i * 0x100), size: 64, stack: pixels)
            d.alloc(ts: t + gap + 10, address: UInt64(0x80000 + i * 0x100), size: 32, stack: meta)
            t += Self.separate
        }
        for i in 0..<(together + split) {
            d.free(ts: t, address: UInt64(0x80000 + i * 0x100), stack: release)
            d.free(ts: t + 10, address: UInt64(0x40000 + i * 0x100), stack: release)
            d.free(ts: t + 20, address: UInt64(0x10000 + i * 0x100))
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    @Test func siblingsOfASplitBurstAreNotOwnerAndOwned() throws {
        let g = graph(siblings(together: 6, split: 6))
        #expect(edge(g, .owns, "frame_new", "pixels_new") != nil)
        #expect(edge(g, .owns, "frame_new", "meta_new") != nil)
        #expect(edge(g, .owns, "pixels_new", "meta_new") == nil, "the frame owns both: the pixels merely came first in a split burst")
        // Without the frame owning the metadata, nothing explains the pair away: bursts split
        // by the 100 µs bound, as before the eleventh rules.
        var timed = OwnershipOptions.default
        timed.burstsByEventOrder = false
        let alone = graph(siblings(together: 0, split: 6), options: timed)
        #expect(edge(alone, .owns, "pixels_new", "meta_new") != nil)
        // By event order (eleventh rules) the frame's burst is not split: it owns both.
        let ordered = graph(siblings(together: 0, split: 6))
        #expect(edge(ordered, .owns, "frame_new", "meta_new") != nil)
        #expect(edge(ordered, .owns, "pixels_new", "meta_new") == nil)
    }

    /// Queues each holding a list's head and tail, torn down in one cascade: node 1 (holding
    /// node 2), node 2 (holding node 3), node 3, then the queue (its words still hold nodes 1
    /// and 3). Node 2 died holding node 3 just before it, in its cascade: a list's previous
    /// node, not a holder that left it alive.
    func queues(_ count: Int) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let queue = d.stack("main", "queue_new")
        let node = d.stack("main", "push", "node_new")
        var t: UInt64 = 1_000
        for q in 0..<count {
            d.alloc(ts: t, address: UInt64(0x10000 + q * 0x100), size: 16, stack: queue)
            t += Self.separate
            for n in 0..<3 {
                d.alloc(ts: t, address: UInt64(0x80000 + q * 0x1000 + n * 0x100), size: 32, stack: node)
                t += Self.separate
            }
        }
        for q in 0..<count {
            let head = UInt64(0x80000 + q * 0x1000)
            words(&d, ts: t, head, [head + 0x100])
            d.free(ts: t, address: head)
            words(&d, ts: t + 10, head + 0x100, [head + 0x200])
            d.free(ts: t + 10, address: head + 0x100)
            d.free(ts: t + 20, address: head + 0x200)
            words(&d, ts: t + 30, UInt64(0x10000 + q * 0x100), [head, head + 0x200])
            d.free(ts: t + 30, address: UInt64(0x10000 + q * 0x100))
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    @Test func aListsPreviousNodeFreedInTheTargetsCascadeDidNotLeaveItAlive() throws {
        let g = graph(queues(4))
        let next = try #require(edge(g, .owns, "node_new", "node_new"))
        #expect(next.provenance == .observed)
        #expect(next.contradictions == 0)
        let queue = try #require(edge(g, .owns, "queue_new", "node_new"))
        #expect(queue.basis == .lastOfSeveral, "the queue tore down what the previous node let go: last of several, not alone")
        #expect(edge(g, .shares, "queue_new", "node_new") == nil)
        var off = OwnershipOptions.default
        off.listNeighbours = false
        #expect(edge(graph(queues(4), options: off), .owns, "node_new", "node_new") == nil,
                "counted as left alive, the previous nodes contradict as much as they support")
    }

    /// Debug information names some inlined C++ library functions without their namespace
    /// (`_M_create<…>` of `std::function`): a frame in the standard library's headers is the
    /// runtime's, so the site is the program's function that called it.
    @Test func aFrameInTheCppLibraryHeadersIsNotASite() throws {
        var d = DumpBuilder()
        let main = d.codeFrame("main", module: "/bin/prog", offset: 0x1100, file: "/src/observer.cc", line: 90)
        let subscribe = d.codeFrame("subscribe(Document*, bool)", module: "/bin/prog", offset: 0x1200, file: "/src/observer.cc", line: 87)
        let create = d.codeFrame("_M_create<subscribe(Document*, bool)::<lambda(const Event&)> >", module: "/bin/prog", offset: 0x1300,
                                 file: "/usr/include/c++/12/bits/std_function.h", line: 161)
        let new = d.codeFrame("operator new(unsigned long)", module: "/usr/lib/libstdc++.so.6", offset: 0x400)
        d.alloc(ts: 10, address: 0x1000, size: 48, stack: d.stack(frames: [main, subscribe, create, new]))
        d.end(ts: 20)
        let g = graph(d)
        let sites = g.nodes.filter { $0.kind == .allocationSite }
        #expect(sites.map(\.function) == ["subscribe(Document*, bool)"])
        #expect(sites.first?.line == 87)
    }

    /// Rust's `HashMap` is the `hashbrown` crate vendored by the standard library: its frames
    /// (in `/rust/deps/…`, or the library's own `/rustc/…/library/…`) are the runtime's, so
    /// the table's site is the program's function that made the map.
    @Test func aFrameInTheRustLibrarySourcesIsNotASite() throws {
        var d = DumpBuilder()
        let main = d.codeFrame("app::main", module: "/bin/app", offset: 0x1100, file: "/src/main.rs", line: 80)
        let make = d.codeFrame("app::make_registry", module: "/bin/app", offset: 0x1200, file: "/src/main.rs", line: 84)
        let insert = d.codeFrame("hashbrown::map::HashMap<K,V,S,A>::insert", module: "/bin/app", offset: 0x1300,
                                 file: "/rust/deps/hashbrown-0.16.1/src/map.rs", line: 1843, inlined: true)
        let reserve = d.codeFrame("hashbrown::raw::RawTableInner::reserve_rehash_inner", module: "/bin/app", offset: 0x1400,
                                  file: "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/../../hashbrown/src/raw.rs", line: 3000)
        let alloc = d.codeFrame("__rust_alloc", module: "/bin/app", offset: 0x1500)
        d.alloc(ts: 10, address: 0x1000, size: 512, stack: d.stack(frames: [main, make, insert, reserve, alloc]))
        d.end(ts: 20)
        let sites = graph(d).nodes.filter { $0.kind == .allocationSite }
        #expect(sites.map(\.function) == ["app::make_registry"])
        #expect(sites.first?.type == "HashMap (hashbrown)", "the type still comes from the whole stack")
    }

    /// A hash table's words (read as it died) naming blocks are references, judged: a deleted
    /// entry's words stay in its bucket and may name a block allocated later at its address.
    @Test func referencesOutOfAHashTableAreJudged() throws {
        var d = DumpBuilder()
        d.append(Self.marker)
        let table = d.stack("main", "make_table", "hashbrown::raw::RawTableInner::fallible_with_capacity", "__rust_alloc")
        let key = d.stack("main", "make_key", "__rust_alloc")
        let list = d.stack("main", "make_list", "__rust_alloc")
        d.alloc(ts: 1_000, address: 0x10000, size: 256, stack: table)
        d.alloc(ts: 1_000 + Self.separate, address: 0x20000, size: 256, stack: list)
        for i in 0..<4 { d.alloc(ts: 1_000 + UInt64(i + 2) * Self.separate, address: UInt64(0x80000 + i * 0x100), size: 16, stack: key) }
        let t: UInt64 = 10 * Self.separate
        words(&d, ts: t, 0x10000, (0..<4).map { UInt64(0x80000 + $0 * 0x100) })
        d.free(ts: t, address: 0x10000)
        words(&d, ts: t + Self.separate, 0x20000, (0..<4).map { UInt64(0x80000 + $0 * 0x100) })
        d.free(ts: t + Self.separate, address: 0x20000)
        d.end(ts: t + 2 * Self.separate)
        let g = graph(d)
        let fromTable = try #require(edge(g, .references, "make_table", "make_key"))
        #expect(fromTable.provenance == .observed)
        #expect(fromTable.evidence == 4)
        #expect(fromTable.basis == .hashTable)
        #expect(fromTable.confidence == OwnershipCalibration.tunedRate(.references, .observed, .hashTable))
        #expect(fromTable.confidence < 0.9)
        let fromList = try #require(edge(g, .references, "make_list", "make_key"))
        #expect(fromList.basis == .fact)
        #expect(fromList.confidence == 1, "the same words in any other block are a fact")
    }
}
