import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rules added at the seventh freeze (docs/OWNERSHIP.md), one situation each, on
/// hand-built dumps (times in ns; 1 ms between phases, far more than the 100 µs gaps).
@Suite struct SeventhRulesTests: RuleFixtures {
    /// An order book's orders: each held by a `unique_ptr` in a hash map's node (the node
    /// nulls it as the `unique_ptr` is destroyed), and threaded through `prev` / `next` in the
    /// orders themselves. The map is torn down: each order, released by its node's
    /// `unique_ptr` through `releasing`, dies holding its neighbours (the previous one
    /// already freed, a dangling word), then its node dies holding nothing.
    func orderBook(lists: Int, releasing: [String]) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let order = d.stack("main", "submit", "order_new")
        let node = d.stack("main", "rest", "index_node_new")
        let release = d.stack(["main", "Book::~Book()"] + releasing)
        var t: UInt64 = 1_000
        let perList = 4
        func orderAddress(_ l: Int, _ i: Int) -> UInt64 { UInt64(0x100000 + l * 0x1000 + i * 0x100) }
        func nodeAddress(_ l: Int, _ i: Int) -> UInt64 { UInt64(0x800000 + l * 0x1000 + i * 0x100) }
        for l in 0..<lists {
            for i in 0..<perList {
                d.alloc(ts: t, address: orderAddress(l, i), size: 64, stack: order)
                t += Self.separate
                d.alloc(ts: t, address: nodeAddress(l, i), size: 32, stack: node)
                t += Self.separate
            }
        }
        for l in 0..<lists {
            for i in 0..<perList {
                let neighbours = [i > 0 ? orderAddress(l, i - 1) : 0, i + 1 < perList ? orderAddress(l, i + 1) : 0].filter { $0 != 0 }
                words(&d, ts: t, orderAddress(l, i), neighbours)
                d.free(ts: t, address: orderAddress(l, i), stack: release)
                d.free(ts: t + 10, address: nodeAddress(l, i), stack: release)
                t += 20
            }
        }
        d.end(ts: t + Self.separate)
        return d
    }

    static let mapElement = ["std::unordered_map<unsigned long, std::unique_ptr<Order, std::default_delete<Order> > >::~unordered_map()",
                             "std::_Hashtable<unsigned long, std::pair<unsigned long const, std::unique_ptr<Order> > >::clear()",
                             "std::unique_ptr<Order, std::default_delete<Order> >::~unique_ptr()",
                             "std::default_delete<Order>::operator()(Order*) const", "operator delete(void*, unsigned long)", "free"]

    @Test func blocksOfAContainerElementsOwnSiteAreLinksNotOwners() throws {
        let g = graph(orderBook(lists: 6, releasing: Self.mapElement))
        #expect(edge(g, .owns, "order_new", "order_new") == nil, "an intrusive list's links do not own")
        #expect(edge(g, .shares, "order_new", "order_new") == nil)
        let links = try #require(edge(g, .references, "order_new", "order_new"))
        #expect(links.provenance == .observed)
        #expect(OwnershipOptions.default.containerElements)
        // The rule off: the orders' own links read as a list that owns its next order.
        var off = OwnershipOptions.default
        off.containerElements = false
        #expect(edge(graph(orderBook(lists: 6, releasing: Self.mapElement), options: off), .owns, "order_new", "order_new") != nil)
        // A `unique_ptr` member released by the program's own code (no container in between)
        // is not a container's element: the list owning its next node stays possible.
        let member = ["std::unique_ptr<Order, std::default_delete<Order> >::~unique_ptr()",
                      "std::default_delete<Order>::operator()(Order*) const", "operator delete(void*, unsigned long)", "free"]
        #expect(edge(graph(orderBook(lists: 6, releasing: member)), .owns, "order_new", "order_new") != nil)
    }

    /// CPython's `gc_alloc` is a wrapper helper: under `_PyObject_GC_New` it is skipped, but a
    /// program's own `gc_alloc`, called by the program, is the allocation site.
    @Test func aWrapperHelpersNameCalledByTheProgramIsTheSite() throws {
        var d = DumpBuilder()
        d.alloc(ts: 10, address: 0x1000, size: 48, stack: d.stack("main", "gc_alloc", "calloc"))
        d.alloc(ts: 20, address: 0x2000, size: 48, stack: d.stack("main", "make_list", "_PyObject_GC_New", "gc_alloc", "PyObject_Malloc", "malloc"))
        d.end(ts: 30)
        let sites = graph(d).nodes.filter { $0.kind == .allocationSite }.map(\.function)
        #expect(Set(sites) == ["gc_alloc", "make_list"])
        // Only helpers: a library's own API stays a wrapper wherever it is called from.
        var e = DumpBuilder()
        e.alloc(ts: 10, address: 0x1000, size: 48, stack: e.stack("main", "sqlite3Malloc", "malloc"))
        e.end(ts: 20)
        #expect(graph(e).nodes.filter { $0.kind == .allocationSite }.map(\.function) == ["main"])
    }
}
