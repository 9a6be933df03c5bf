import MemscopeAnalysis
import MemscopeLayout
import MemscopeModel
import MemscopeScene

/// Lanes of live bytes over time, the lifetime histogram, per-site lifetimes and churn.
enum LifetimesSection {
    static func html(_ input: ReportInput) -> String {
        let a = input.analysis
        let top = LifetimeLayout.topSites(a)
        var html = "<h3>Live bytes over time, per site</h3><p class=\"note\">One lane per site (the \(top.count) largest at "
            + "the peak): the stronger the shade, the closer to that site's own maximum, shown on the right. Each cell is "
            + "\(HTML.escape(Units.time(a.laneIntervalNanoseconds, unit: a.notes.timeUnit))) wide.</p>"
            + "<figure>\(input.pictures.lanesSVG)</figure>"
        html += "<div class=\"twocol\"><div><h3>Lifetimes of freed blocks</h3><figure>\(input.pictures.lifetimeHistogramSVG)</figure></div>"
        html += "<div><h3>Short-lived churn</h3>\(churn(a))</div></div>"
        html += perSite(a, top)
        return html
    }

    /// Sites whose blocks mostly live under a millisecond.
    static func churn(_ a: Analysis) -> String {
        let shortBuckets = 4  // <1µs … <1ms
        // Ranked as indices: a site copied into every pair retained its arrays.
        let sites = a.sites
        let ranked = sites.indices.map { i -> (Int, UInt64) in (i, sites[i].lifetimes.buckets.prefix(shortBuckets).reduce(0, +)) }
            .filter { $0.1 > 0 }
            .sorted { ($0.1, sites[$1.0].stack) > ($1.1, sites[$0.0].stack) }
            .prefix(8)
            .map { (sites[$0.0], $0.1) }
        guard !ranked.isEmpty else { return "<p class=\"empty\">No blocks lived under a millisecond.</p>" }
        let titles = TablesSection.titles(a, ranked.map(\.0))
        let rows = ranked.map { site, short in
            let share = Units.fixed(Double(short) * 100 / Double(max(site.lifetimes.count, 1)), decimals: 0)
            return "<tr>\(TablesSection.site(a, site.stack, titles: titles))\(TablesSection.num(short))<td class=\"num\">\(share)%</td></tr>"
        }
        return "<p class=\"note\">Sites whose blocks were freed within a millisecond of being allocated, most first.</p>"
            + TablesSection.table([("site", false), ("blocks < 1 ms", true), ("of its frees", true)], rows: rows, sortable: false)
    }

    /// The lifetime histogram of each top site, as coloured cells.
    static func perSite(_ a: Analysis, _ sites: [SiteStats]) -> String {
        guard !sites.isEmpty else { return "" }
        let head = LifetimeBuckets.labels.map { "<th class=\"num\">\(HTML.escape($0))</th>" }.joined()
        let titles = TablesSection.titles(a, sites)
        let rows = sites.map { site -> String in
            // A site none of whose blocks was freed (a buffer kept to the end) has no lifetimes:
            // say so rather than leave a row of empty cells.
            guard site.lifetimes.buckets.contains(where: { $0 > 0 }) else {
                let live = site.costs.leakedBlocks
                let text = live > 0 ? "no block freed: \(Units.count(live, "block")) live at the end" : "no block freed"
                return "<tr>\(TablesSection.site(a, site.stack, titles: titles))"
                    + "<td class=\"note\" colspan=\"\(LifetimeBuckets.labels.count)\">\(HTML.escape(text))</td></tr>"
            }
            let largest = max(site.lifetimes.buckets.max() ?? 0, 1)
            let cells = site.lifetimes.buckets.map { count -> String in
                let colour = Palette.heat(Double(count) / Double(largest)).hexString
                let text = count == 0 ? "" : Units.count(count)
                return "<td class=\"num\" style=\"background:\(colour)\(Double(count) / Double(largest) > 0.6 ? ";color:#fff" : "")\">\(text)</td>"
            }.joined()
            return "<tr>\(TablesSection.site(a, site.stack, titles: titles))\(cells)</tr>"
        }
        return "<h3>Lifetimes per site</h3><p class=\"note\">How long each top site's freed blocks lived (counts per bucket).</p>"
            + "<table><thead><tr><th>site</th>\(head)</tr></thead><tbody>\(rows.joined())</tbody></table>"
    }
}
