import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rule added at the sixteenth freeze (docs/OWNERSHIP.md), on hand-built dumps (times in
/// ns; 1 ms between phases), also with its switch off.
@Suite struct SixteenthRulesTests: RuleFixtures {
    /// `configs` configurations made by `Rc::new` (`app::make_config`), each held by one server
    /// (`server_new`) and one middleware (`mw_new`) besides a logger (`logger_new`). At
    /// teardown, in one free cascade (Rust drops a Box's fields, then frees the Box): the
    /// logger is freed holding the configuration (its count dropped, the configuration left
    /// alive), then the middleware drops the last count, the configuration is freed, and the
    /// middleware and then the server are freed, both still naming it (the server's counted
    /// field was dropped first, its word not cleared). With `counted: false` the
    /// configurations are plain `malloc`ed blocks.
    func sharedConfigs(_ configs: Int, counted: Bool = true) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let config = counted ? d.stack("main", "app::make_config", "alloc::rc::Rc<app::Config>::new", "__rust_alloc")
            : d.stack("main", "app::make_config")
        let server = d.stack("main", "server_new")
        let logger = d.stack("main", "logger_new")
        let middleware = d.stack("main", "mw_new")
        var t: UInt64 = 1_000
        func base(_ i: Int) -> UInt64 { UInt64(0x100000 + i * 0x1000) }
        for i in 0..<configs {
            d.alloc(ts: t, address: base(i), size: 56, stack: config)
            d.alloc(ts: t + Self.separate, address: base(i) + 0x100, size: 32, stack: server)
            d.alloc(ts: t + 2 * Self.separate, address: base(i) + 0x200, size: 32, stack: logger)
            d.alloc(ts: t + 3 * Self.separate, address: base(i) + 0x300, size: 32, stack: middleware)
            t += 4 * Self.separate
        }
        for i in 0..<configs {
            let c = base(i)
            words(&d, ts: t, c + 0x200, [c])
            d.free(ts: t, address: c + 0x200)
            d.free(ts: t + 10, address: c)
            words(&d, ts: t + 20, c + 0x300, [c])
            d.free(ts: t + 20, address: c + 0x300)
            words(&d, ts: t + 30, c + 0x100, [c])
            d.free(ts: t + 30, address: c + 0x100)
            t += Self.separate
        }
        d.end(ts: t)
        return d
    }

    @Test func holdersOfACountFreedWithItShareIt() throws {
        #expect(OwnershipOptions.default.countedCoTearers)
        var fifteenth = OwnershipOptions.default
        fifteenth.countedCoTearers = false
        let dump = sharedConfigs(3)
        let g = graph(dump)
        // Both tearers held one count each; the logger that let go first held one too.
        for holder in ["server_new", "mw_new", "logger_new"] {
            let shares = try #require(edge(g, .shares, holder, "app::make_config"), "\(holder) shares the counted configuration")
            #expect(shares.provenance == .observed)
            #expect(shares.evidence == 3 && shares.contradictions == 0)
            #expect(shares.confidence < 0.9)
            #expect(edge(g, .owns, holder, "app::make_config") == nil)
        }
        // The rule off: two tearers, "no reference count has two last holders", and the
        // logger's letting go is not read at all.
        let off = graph(dump, options: fifteenth)
        for holder in ["server_new", "mw_new", "logger_new"] {
            #expect(edge(off, .shares, holder, "app::make_config") == nil)
        }
        // One configuration: each holder seen once, still a count's holder (a target made
        // by a reference-counting constructor, nothing against it).
        let once = try #require(edge(graph(sharedConfigs(1)), .shares, "server_new", "app::make_config"))
        #expect(once.evidence == 1 && once.basis == .refcountedTarget)
    }

    @Test func twoTearersOfAnUncountedTargetStillShareNothing() throws {
        // Plain blocks: two holders freed with the target are not a count's holders (a count
        // has one last holder), as before the rule.
        let g = graph(sharedConfigs(3, counted: false))
        for holder in ["server_new", "mw_new", "logger_new"] {
            #expect(edge(g, .shares, holder, "app::make_config") == nil)
        }
        #expect(edge(g, .owns, "server_new", "app::make_config")?.provenance != .observed)
        #expect(edge(g, .owns, "mw_new", "app::make_config")?.provenance != .observed)
    }
}
