import MemscopeAnalysis

extension Analysis {
    /// The first `limit` of `sites.filter(include).sorted(by: order)`: ranked as indices, each
    /// site copied once at the end. A site is a dozen fields with arrays, which a sort of the
    /// sites themselves copied (retaining and releasing them) at every move, and a compiler's
    /// dump has a hundred thousand sites, ranked by several tables of the page.
    func rankedSites(where include: (SiteStats) -> Bool = { _ in true }, limit: Int = .max,
                     by order: (SiteStats, SiteStats) -> Bool) -> [SiteStats] {
        let sites = self.sites
        let ranked = sites.indices.filter { include(sites[$0]) }.sorted { order(sites[$0], sites[$1]) }
        return ranked.prefix(limit).map { sites[$0] }
    }
}
