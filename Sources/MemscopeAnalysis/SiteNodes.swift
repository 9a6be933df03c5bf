/// Where each site's costs sit in an analysis' call trees: the node its path through the
/// trees ends at. A figure kept per site (per time slice, say) can then be summed into the
/// trees' nodes exactly as the trees sum the sites' costs.
public struct SiteNodes: Sendable, Equatable {
    /// Per site (index in ``Analysis/sites``): its node in ``Analysis/topDown``, or -1 when
    /// the frame filter leaves the site out.
    public var topDown: [Int32]
    /// The same in ``Analysis/bottomUp``.
    public var bottomUp: [Int32]
}

extension FrameFilter {
    /// Each site's node in `analysis`' trees, which must be the trees this filter built
    /// (``apply(to:)-(Analysis)``; any trees for ``FrameFilter/none``). A path the trees do
    /// not hold (trees built otherwise) gives -1.
    ///
    /// - Complexity: O(total frames of the sites × siblings scanned per step).
    public func siteNodes(in analysis: Analysis) -> SiteNodes {
        let builder = CallTreeBuilder(symbols: analysis.symbols)
        var result = SiteNodes(topDown: Array(repeating: -1, count: analysis.sites.count),
                               bottomUp: Array(repeating: -1, count: analysis.sites.count))
        func walk(_ tree: CallTree, _ frames: some Sequence<UInt32>) -> Int32 {
            guard !tree.nodes.isEmpty else { return -1 }
            var node = 0
            for frame in frames {
                let wanted = builder.frameClass[Int(frame)]
                guard let next = tree.nodes[node].children.first(where: { builder.frameClass[Int(tree.nodes[$0].frame)] == wanted })
                else { return -1 }
                node = next
            }
            return Int32(node)
        }
        for (site, frames) in sitePaths(analysis) {
            result.topDown[site] = walk(analysis.topDown, frames.reversed())
            result.bottomUp[site] = walk(analysis.bottomUp, frames)
        }
        return result
    }
}
