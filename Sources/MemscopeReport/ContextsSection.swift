import MemscopeAnalysis
import MemscopeModel

/// The scopes and tasks the program named (the annotation ABI; `bindings/` has a C/C++
/// header and a Rust crate), with the allocations made in each. Exact: the program
/// marked them, memscope only counts.
enum ContextsSection {
    static func html(_ a: Analysis) -> String {
        contexts(a) + namedBlocks(a)
    }

    static func namedBlocks(_ a: Analysis) -> String {
        guard !a.namedBlocks.isEmpty || a.unmatchedAnnotations > 0 else { return "" }
        let shown = a.namedBlocks.prefix(TablesSection.maxRows * 2)
        let titles = Dictionary(zip(shown.map(\.stack), a.siteTitles(shown.map(\.stack))), uniquingKeysWith: { first, _ in first })
        let rows = shown.map { n in
            "<tr><td class=\"fn\">\(HTML.escape(n.name.isEmpty ? "(no name)" : n.name))</td>"
                + "<td>\(n.typeName.isEmpty ? "<span class=\"empty\">none given</span>" : HTML.escape(n.typeName))</td>"
                + TablesSection.site(a, n.stack, titles: titles) + "\(TablesSection.num(n.blocks))\(TablesSection.num(n.bytes, bytes: true))</tr>"
        }
        let unmatched = a.unmatchedAnnotations == 0 ? "" : "<p class=\"note\">\(Units.count(a.unmatchedAnnotations)) "
            + "annotation\(a.unmatchedAnnotations == 1 ? "" : "s") named an address that held no live block (not the start of a block, or already freed).</p>"
        return "<h3 id=\"named-blocks\">Named blocks (said by the program)</h3><p class=\"note\">Blocks the program named with "
            + "<code>memscope_annotate</code>, <code>MEMSCOPE_ANNOTATE</code>, <code>memscope::track</code> or <code>track_var!</code>, "
            + "by name, type and allocation site; bytes are the blocks' sizes when named.</p>"
            + TablesSection.table([("name", false), ("type", false), ("allocated at", false), ("blocks", true), ("bytes", true)],
                                  rows: Array(rows)) + unmatched
    }

    static func contexts(_ a: Analysis) -> String {
        guard !a.contexts.isEmpty else { return "" }
        let rows = a.contexts.prefix(TablesSection.maxRows * 2).map { c in
            let name = c.kind == .task ? "task \(c.name)" : c.name
            return "<tr><td>\(c.kind.rawValue)</td><td class=\"fn\">\(HTML.escape(name))</td>\(TablesSection.num(c.entries))"
                + "\(TablesSection.num(UInt64(c.threads)))\(TablesSection.num(c.allocations))"
                + "\(TablesSection.num(c.bytesAllocated, bytes: true))\(TablesSection.num(c.peakLiveBytes, bytes: true))"
                + "\(TablesSection.num(c.frees))\(TablesSection.num(c.liveBytes, bytes: true))\(TablesSection.num(c.liveBlocks))</tr>"
        }
        let more = a.contexts.count > rows.count
            ? "<p class=\"note\">The \(rows.count) listed of \(a.contexts.count) scopes and tasks.</p>" : ""
        return "<h3 id=\"contexts\">Scopes and tasks (said by the program)</h3><p class=\"note\">The program named these "
            + "through memscope's annotation API: each allocation counts for its thread's innermost open scope and current "
            + "task at that moment, and stays live there until it is freed, by whichever thread. Exact, not inferred.</p>"
            + TablesSection.table([("kind", false), ("name", false), ("entered", true), ("threads", true), ("calls", true),
                                   ("allocated", true), ("peak live", true), ("frees", true), ("live at end", true),
                                   ("live blocks", true)], rows: Array(rows)) + more
    }
}
