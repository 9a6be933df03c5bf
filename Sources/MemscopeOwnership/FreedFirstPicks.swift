extension OwnershipState {
    /// Notes that `holder` (a block of another site than the target's, which was not made by a
    /// reference-counting constructor) was read as the owner of a target of `pair` because it
    /// died first in the target's free cascade, holding it while no other holder lived
    /// (``settle(_:)``). A counted target's holders freed first are a count's holders, which
    /// the sharing rules read, not a list's nodes.
    mutating func noteFreedFirst(holder: UInt64, pair: NodePair) {
        guard options.singleFreedFirstTargets else { return }
        freedFirstPicks[FreedFirstPick(holder: holder, pair: pair), default: 0] += 1
    }

    /// Fifteenth rules (``OwnershipOptions/singleFreedFirstTargets``): a list freed head first
    /// frees each node right after the one that named it, so a node freed first owns one
    /// next block. A block of another site read that way as the owner of two or more blocks
    /// of one site held words naming blocks it was not freeing: an index, or a cleared
    /// vector's spare capacity, still naming list nodes a later teardown frees. Those
    /// readings are dropped: the pair keeps no support and no contradiction from them.
    mutating func dropRepeatedFreedFirstPicks() {
        for (pick, count) in freedFirstPicks where count >= 2 {
            guard var roles = deathRoles[pick.pair] else { continue }
            roles.soleTearer -= min(count, roles.soleTearer)
            roles.beforeTarget -= min(count, roles.beforeTarget)
            deathRoles[pick.pair] = roles
        }
        freedFirstPicks = [:]
    }
}

/// One holder block read as a freed-first owner of targets of one site pair.
struct FreedFirstPick: Hashable {
    var holder: UInt64
    var pair: NodePair
}
