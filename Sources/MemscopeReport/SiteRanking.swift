import MemscopeAnalysis

extension Analysis {
    /// The first `limit` sites of those whose index passes `include`, in the order `order`
    /// gives their indices: ranked as indices, each site copied once at the end. The
    /// closures read the fields they need (`sites[i].costs.leakedBytes`): a site handed to
    /// a closure whole, or moved by a sort, is a dozen fields with arrays, copied (retained
    /// and released) at every test and move, and a compiler's dump has a hundred thousand
    /// sites, ranked by several tables of the page.
    func rankedSites(where include: (Int) -> Bool = { _ in true }, limit: Int = .max,
                     by order: (Int, Int) -> Bool) -> [SiteStats] {
        sites.indices.filter(include).sorted(by: order).prefix(limit).map { sites[$0] }
    }
}
