extension OwnershipState {
    /// Holders of a count the program keeps by hand (fifteenth rules,
    /// ``OwnershipOptions/handCountedTargets``). A target site is counted by hand when another
    /// site's blocks were seen in both roles of a count on its blocks, several times each
    /// (died holding a target and left it alive; were its last holder, freed with it), and
    /// those roles are at least ``OwnershipOptions/minimumConfidence`` of that pair's. Such a
    /// target is freed by whichever holder lets go last, so a block of a third site freed
    /// with one of them (which reads as its owner: alone, last of several, or handing it on)
    /// held one count too. Returns those third sites' pairs; not a site's pair to itself (a
    /// list's links), and not a pair that only left targets alive.
    func handCountedHolders() -> Set<NodePair> {
        var counters: [Int32: Set<Int32>] = [:]
        for (pair, roles) in deathRoles where pair.from != pair.to
            && roles.lastOfSeveral >= Self.minimumObservedPairs && roles.leftAlive >= Self.minimumObservedPairs {
            let sharing = roles.lastOfSeveral + roles.leftAlive + roles.countedHolder
            let sole = roles.soleTearer + roles.coTearer + roles.link + roles.weak + roles.rawHolder
            if Double(sharing) >= options.minimumConfidence * Double(sharing + sole) { counters[pair.to, default: []].insert(pair.from) }
        }
        var holders = Set<NodePair>()
        for (pair, roles) in deathRoles where pair.from != pair.to && !isRefcounted(pair.to)
            && roles.soleTearer + roles.lastOfSeveral + roles.handedOn > 0 {
            if let sites = counters[pair.to], !sites.contains(pair.from) { holders.insert(pair) }
        }
        return holders
    }
}
