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
    /// - Complexity: O(tree nodes + total frames of the sites).
    public func siteNodes(in analysis: Analysis) -> SiteNodes {
        let builder = CallTreeBuilder(symbols: analysis.symbols)
        var result = SiteNodes(topDown: Array(repeating: -1, count: analysis.sites.count),
                               bottomUp: Array(repeating: -1, count: analysis.sites.count))
        // Each node by its parent and frame class: what the builder looked children up by.
        func index(_ tree: CallTree) -> [UInt64: Int] {
            var index: [UInt64: Int] = [:]
            index.reserveCapacity(tree.nodeCount)
            for i in 1..<max(1, tree.nodeCount) {
                index[UInt64(tree.parent(i)) << 32 | UInt64(builder.frameClass[Int(tree.frame(i))])] = i
            }
            return index
        }
        func walk(_ tree: CallTree, _ index: [UInt64: Int], _ frames: some Sequence<UInt32>) -> Int32 {
            guard tree.nodeCount > 0 else { return -1 }
            var node = 0
            for frame in frames {
                guard let next = index[UInt64(node) << 32 | UInt64(builder.frameClass[Int(frame)])] else { return -1 }
                node = next
            }
            return Int32(node)
        }
        let topDown = index(analysis.topDown), bottomUp = index(analysis.bottomUp)
        for (site, frames) in sitePaths(analysis) {
            result.topDown[site] = walk(analysis.topDown, topDown, frames.reversed())
            result.bottomUp[site] = walk(analysis.bottomUp, bottomUp, frames)
        }
        return result
    }
}
