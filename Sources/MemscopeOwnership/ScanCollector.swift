import MemscopeModel

/// The references of the scan being read, resolved to the blocks live at its time.
struct ScanCollector {
    struct Pair: Comparable {
        var to: UInt64  // serial
        var from: UInt64  // serial
        var toAddress: UInt64
        var fromAddress: UInt64
        static func < (a: Pair, b: Pair) -> Bool { (a.to, a.from) < (b.to, b.from) }
    }

    var isOpen = false
    var pairs: [Pair] = []
    var rooted: Set<UInt64> = []
    /// The last scan's raw references and time, for memcheck's leak kinds at the end.
    var lastReferences: [PointerReference] = []
    var lastTime: UInt64?
}

extension OwnershipState {
    mutating func observe(_ reference: PointerReference) {
        if reference.to == 0 {  // a scan starts; it replaces the previous one
            if scan.isOpen { closeScan() }
            coverage.scans += 1
            scan.isOpen = true
            scan.lastTime = reference.timestamp
            scan.lastReferences.removeAll(keepingCapacity: true)
            return
        }
        scan.isOpen = true
        scan.lastReferences.append(reference)
        guard let target = blocks[reference.to] else { return }
        if reference.source != .block {
            // Only globals count against ownership: a local variable or a register
            // pointing at a block is how code uses what it owns (and stale stack words
            // would make it look shared).
            if reference.source == .moduleData { scan.rooted.insert(target.serial) }
            return
        }
        guard let source = blocks[reference.from], source.serial != target.serial else { return }
        scan.pairs.append(.init(to: target.serial, from: source.serial, toAddress: reference.to, fromAddress: reference.from))
    }

    /// Turns a whole scan into evidence: one `references` observation per distinct block
    /// pair; `shares` for blocks with two or more referrers (or of a reference-counted
    /// type); and, for a block whose only referrer is one other block and no root, that
    /// block becomes its owner candidate (replacing the creation burst's guess).
    mutating func closeScan() {
        scan.isOpen = false
        var pairs = scan.pairs
        scan.pairs = []
        pairs.sort()
        var start = 0
        while start < pairs.count {
            var end = start
            var distinct: [ScanCollector.Pair] = []
            while end < pairs.count && pairs[end].to == pairs[start].to {
                if distinct.last?.from != pairs[end].from { distinct.append(pairs[end]) }
                end += 1
            }
            judgeReferrers(distinct, rooted: scan.rooted.contains(pairs[start].to))
            start = end
        }
        // One pass over the blocks the scan saw: which a global refers to, and how many
        // each site had (the share a site-level reference needs).
        // Marked after the pass: a write while it iterates the table would copy the table.
        var rootedAddresses: [UInt64] = []
        for (address, block) in blocks {
            scannedBlocks[Int(block.origin)] += 1
            blocksInScans[Int(block.origin)] += 1
            if scan.rooted.contains(block.serial) {
                rootedAddresses.append(address)
                holdings[block.serial, default: Holdings(node: block.origin)].rooted = true
                rootedNodes.insert(block.origin)
            }
        }
        for address in rootedAddresses { blocks[address]!.rootReferenced = true }
        scan.rooted = []
    }

    private mutating func judgeReferrers(_ sighted: [ScanCollector.Pair], rooted: Bool) {
        guard let sample = sighted.first, var target = blocks[sample.toAddress], target.serial == sample.to else { return }
        // Every sighting is a reference; one likely stale (its address held a block of a site
        // the referrer's site refers to more often, eighth rules) is not a holder.
        var referrers: [ScanCollector.Pair] = []
        for pair in sighted {
            guard let source = blocks[pair.fromAddress], source.serial == pair.from else { continue }
            let elsewhere = sighted.contains { $0.from != pair.from } || (target.ownerByReference && target.owner != source.serial)
            if rewritten(holder: source.serial, holderNode: source.origin, holderBorn: source.ticks, address: pair.toAddress, serial: target.serial, node: target.origin, heldElsewhere: elsewhere) { continue }
            references[NodePair(from: source.origin, to: target.origin), default: 0] += 1
            if source.serial < target.serial { referencesToYounger[NodePair(from: source.origin, to: target.origin), default: 0] += 1 }
            if !noteAmbiguity(holder: source.origin, born: source.ticks, address: pair.toAddress, target: target.origin) {
                referrers.append(pair)
            }
        }
        guard let first = referrers.first else {
            if rooted {
                blocks[sample.toAddress]!.rootReferenced = true
                holdings[target.serial, default: Holdings(node: target.origin)].rooted = true
            }
            return
        }
        let shared = referrers.count >= 2 || isRefcounted(target.origin)
        for pair in referrers {
            guard let source = blocks[pair.fromAddress], source.serial == pair.from else { continue }
            let nodes = NodePair(from: source.origin, to: target.origin)
            var tally = shares[nodes] ?? SharesTally()
            if shared { tally.support += 1 } else { tally.against += 1 }
            if shared && referrers.count < 2 { tally.byType += 1 }
            if shared && referrers.count >= 2 { tally.byReferrers += 1 }
            shares[nodes] = tally
        }
        if referrers.count >= 2 { target.sharedReferrers = true }
        if rooted { target.rootReferenced = true }
        if rooted { holdings[target.serial, default: Holdings(node: target.origin)].rooted = true }
        if referrers.count == 1 && !rooted, let source = blocks[first.fromAddress], source.serial == first.from {
            // The sole referrer becomes (or confirms) the owner candidate.
            target.ownerByReference = true
            if target.owner == source.serial {
                blocks[first.toAddress] = target
                return
            }
            if target.owner != 0 {
                if target.ownerByReference && deadOwners[target.owner] != nil {
                    // Moved: the block its last scan saw as its only holder is gone, and
                    // another block now holds it alone (a grown array, a rehashed table).
                    judge(PendingDeath(owner: target.owner, ownerNode: target.ownerNode, node: target.origin, byReference: true,
                                       referredElsewhere: target.sharedReferrers || target.rootReferenced,
                                       thread: target.thread, ownerThread: target.ownerThread), .moved)
                }
                releaseDependant(owner: target.owner)
            }
            target.owner = source.serial
            target.ownerNode = source.origin
            target.ownerThread = source.thread
            blocks[first.toAddress] = target
            addDependant(to: first.fromAddress)
            return
        }
        blocks[first.toAddress] = target
    }
}
