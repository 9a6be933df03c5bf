@testable import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

@Suite struct FrameFilterTests {
    func names(_ a: Analysis, _ tree: CallTree) -> [String] {
        tree.nodes.dropFirst().map { a.symbols.displayName(ofFrame: $0.frame) }
    }

    let analysis: Analysis = {
        var dump = DumpBuilder()
        let rust = dump.stack("_start", "__libc_start_main", "main", "std::rt::lang_start_internal", "app::main",
                              "app::load", "alloc::raw_vec::finish_grow", "malloc")
        let recursive = dump.stack("_start", "main", "walk", "walk", "walk", "malloc")
        dump.alloc(ts: 1, address: 0x10, size: 100, stack: rust)
        dump.alloc(ts: 2, address: 0x20, size: 50, stack: recursive)
        return MemscopeTestSupport.analyze(dump.records)
    }()

    @Test func defaultFilterTrimsBothEnds() {
        let shown = FrameFilter().apply(to: analysis)
        #expect(names(shown, shown.topDown) == ["app::main", "app::load", "main", "walk", "walk", "walk"])
        #expect(shown.topDown.nodes[0].totalCosts == analysis.topDown.nodes[0].totalCosts)
        #expect(shown.totals == analysis.totals)
    }

    @Test func collapseRecursionAndRegexFilters() {
        var filter = FrameFilter(collapseRecursion: true)
        var shown = filter.apply(to: analysis)
        #expect(names(shown, shown.topDown).filter { $0 == "walk" }.count == 1)
        filter.include = "^walk$"
        shown = filter.apply(to: analysis)
        #expect(shown.topDown.nodes[0].totalCosts.bytesAllocated == 50)
        filter.include = nil
        filter.exclude = "walk"
        shown = filter.apply(to: analysis)
        #expect(shown.topDown.nodes[0].totalCosts.bytesAllocated == 100)
    }

    /// C++'s main calling through the standard library keeps main and the std:: frame:
    /// only a language's start-up code down to its own inner main is hidden.
    @Test func mainCallingThroughTheRuntimeIsKept() {
        var dump = DumpBuilder()
        let cpp = dump.stack("_start", "__libc_start_main", "main", "std::function<void ()>::operator()()", "callback", "malloc")
        dump.alloc(ts: 1, address: 0x10, size: 100, stack: cpp)
        let shown = FrameFilter().apply(to: MemscopeTestSupport.analyze(dump.records))
        #expect(names(shown, shown.topDown) == ["main", "std::function<void ()>::operator()()", "callback"])
    }

    @Test func noFilterKeepsTheTrees() {
        #expect(FrameFilter.none.apply(to: analysis) == analysis)
        #expect(throws: (any Error).self) { try FrameFilter(include: "(").validate() }
    }
}
