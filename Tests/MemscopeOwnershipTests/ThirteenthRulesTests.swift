import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rule added at the thirteenth freeze (docs/OWNERSHIP.md), on hand-built dumps (times in
/// ns; 1 ms between phases), also with its switch off.
@Suite struct ThirteenthRulesTests: RuleFixtures {
    /// A build graph's targets, each but the first with a dependency list (`deps_new`) holding
    /// a raw pointer to the target before it. All are freed in one cascade: each target,
    /// released by a `unique_ptr` through `releasing` (its pointer nulled, so its owner's
    /// words no longer name it), then the next target's list, still naming it.
    func dependencyLists(_ count: Int, releasing: [String]) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let target = d.stack("main", "make_target", "target_new")
        let deps = d.stack("main", "make_target", "deps_new")
        let release = d.stack(["main"] + releasing)
        let listRelease = d.stack("main", "std::_Destroy<std::unique_ptr<Target>*>(std::unique_ptr<Target>*, std::unique_ptr<Target>*)",
                                  "Target::~Target()", "std::vector<Target*, std::allocator<Target*> >::~vector()",
                                  "operator delete(void*, unsigned long)", "free")
        func x(_ i: Int) -> UInt64 { UInt64(0x100000 + i * 0x100) }
        func l(_ i: Int) -> UInt64 { UInt64(0x800000 + i * 0x100) }
        var t: UInt64 = 1_000
        for i in 0..<count {
            d.alloc(ts: t, address: x(i), size: 64, stack: target)
            t += Self.separate
            if i > 0 {
                d.alloc(ts: t, address: l(i), size: 24, stack: deps)
                t += Self.separate
            }
        }
        for i in 0..<count {
            d.free(ts: t, address: x(i), stack: release)
            t += 10
            if i + 1 < count {
                words(&d, ts: t, l(i + 1), [x(i)])
                d.free(ts: t, address: l(i + 1), stack: listRelease)
                t += 10
            }
        }
        d.end(ts: t + Self.separate)
        return d
    }

    static let vectorElement = ["std::vector<std::unique_ptr<Target, std::default_delete<Target> > >::~vector()",
                                "std::_Destroy<std::unique_ptr<Target>*>(std::unique_ptr<Target>*, std::unique_ptr<Target>*)",
                                "std::unique_ptr<Target, std::default_delete<Target> >::~unique_ptr()",
                                "std::default_delete<Target>::operator()(Target*) const", "operator delete(void*, unsigned long)", "free"]
    static let reset = ["std::unique_ptr<Target, std::default_delete<Target> >::reset(Target*)",
                        "std::__uniq_ptr_impl<Target, std::default_delete<Target> >::reset(Target*)",
                        "std::default_delete<Target>::operator()(Target*) const", "operator delete(void*, unsigned long)", "free"]

    @Test func aBlockStillNamingWhatAUniquePtrNulledAndFreedIsNoOwner() throws {
        #expect(OwnershipOptions.default.nulledPointerTearers)
        var twelfth = OwnershipOptions.default
        twelfth.nulledPointerTearers = false
        for releasing in [Self.vectorElement, Self.reset] {
            let g = graph(dependencyLists(8, releasing: releasing))
            #expect(edge(g, .owns, "deps_new", "target_new") == nil, "a dependency list freed after its targets does not own them")
            let refers = try #require(edge(g, .references, "deps_new", "target_new"))
            #expect(refers.provenance == .observed)
            // The rule off: each list, freed after its target in the target's cascade, tore it down.
            let owns = try #require(edge(graph(dependencyLists(8, releasing: releasing), options: twelfth), .owns, "deps_new", "target_new"),
                                    "the twelfth rules read the list freed after its target as its owner")
            #expect(owns.provenance == .observed)
        }
        // A `unique_ptr` member released by its own destructor (no reset, no container) may not
        // have been nulled: the block freed after it still naming it can be its owner.
        let member = ["Holder::~Holder()", "std::unique_ptr<Target, std::default_delete<Target> >::~unique_ptr()",
                      "std::default_delete<Target>::operator()(Target*) const", "operator delete(void*, unsigned long)", "free"]
        #expect(edge(graph(dependencyLists(8, releasing: member)), .owns, "deps_new", "target_new") != nil)
    }
}
