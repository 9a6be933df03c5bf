import MemscopeAnalysis
import MemscopeLayout
import MemscopeModel
import MemscopeScene

/// Allocation sizes: the histogram of the whole run, per top site, and the sites making
/// many tiny allocations.
enum SizesSection {
    static func html(_ input: ReportInput) -> String {
        let a = input.analysis
        var html = "<div class=\"twocol\"><div><h3>All allocations by size</h3><figure>\(input.pictures.sizeHistogramSVG)</figure></div>"
        html += "<div><h3>Many tiny allocations</h3>\(tiny(a))</div></div>"
        html += perSite(a)
        return html
    }

    /// Sites whose allocations are mostly ≤ 32 bytes, by how many they make.
    static func tiny(_ a: Analysis) -> String {
        let ranked = a.rankedSites(where: { a.sites[$0].sizes.tiny > 0 }, limit: 8) { (a.sites[$0].sizes.tiny, a.sites[$1].stack) > (a.sites[$1].sizes.tiny, a.sites[$0].stack) }
        guard !ranked.isEmpty else { return "<p class=\"empty\">No allocations of 32 bytes or less.</p>" }
        let titles = TablesSection.titles(a, ranked)
        let rows = ranked.map { s -> String in
            let share = Units.fixed(Double(s.sizes.tiny) * 100 / Double(max(s.costs.allocations, 1)), decimals: 0)
            return "<tr>\(TablesSection.site(a, s.stack, titles: titles))\(TablesSection.num(s.sizes.tiny))<td class=\"num\">\(share)%</td></tr>"
        }
        return "<p class=\"note\">Allocations of 32 bytes or less cost allocator overhead out of proportion to their size; "
            + "an arena, a small-buffer optimisation or a reused object often removes them.</p>"
            + TablesSection.table([("site", false), ("≤ 32 B", true), ("of its calls", true)], rows: rows, sortable: false)
    }

    /// The size histogram of each top site (by calls), as coloured cells.
    static func perSite(_ a: Analysis) -> String {
        let sites = a.rankedSites(limit: 12) { (a.sites[$0].costs.allocations, a.sites[$1].stack) > (a.sites[$1].costs.allocations, a.sites[$0].stack) }
        guard !sites.isEmpty else { return "" }
        let used = (0..<SizeBuckets.count).filter { b in sites.contains { $0.sizes.counts[b] > 0 } }
        let head = used.map { "<th class=\"num\">\(HTML.escape(SizeBuckets.labels[$0]))</th>" }.joined()
        let titles = TablesSection.titles(a, sites)
        let rows = sites.map { site -> String in
            let largest = max(site.sizes.counts.max() ?? 0, 1)
            let cells = used.map { b -> String in
                let count = site.sizes.counts[b]
                let fraction = Double(count) / Double(largest)
                return "<td class=\"num\" style=\"background:\(Palette.heat(fraction).hexString)\(fraction > 0.6 ? ";color:#fff" : "")\">"
                    + "\(count == 0 ? "" : Units.count(count))</td>"
            }.joined()
            return "<tr>\(TablesSection.site(a, site.stack, titles: titles))\(cells)</tr>"
        }
        return "<h3>Sizes per site</h3><p class=\"note\">Calls per size for the 12 sites with the most calls "
            + "(counts of calls).</p><table><thead><tr><th>site</th>\(head)</tr></thead><tbody>\(rows.joined())</tbody></table>"
    }
}
