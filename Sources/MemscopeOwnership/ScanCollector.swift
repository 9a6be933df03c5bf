import MemscopeModel

/// The references of the scan being read, resolved to the blocks live at its time.
///
/// The references are kept as read (memcheck's leak kinds need the last scan's); the block
/// pairs are resolved from them when the scan closes, into an array of the scan's size
/// (appended to as references came, the pairs' array doubled past it and held a python3
/// scan's 3 million pairs at 99 MB beside the references' 82 MB). No event comes between a
/// scan's references and its close, so the blocks they resolve to are the same then.
struct ScanCollector {
    struct Pair: Comparable {
        var to: UInt64  // serial
        var from: UInt64  // serial
        /// The reference's index in `lastReferences` (its addresses).
        var reference: Int
        static func < (a: Pair, b: Pair) -> Bool { (a.to, a.from) < (b.to, b.from) }
    }

    /// A referrer that survived a target's first look, with what its slot held.
    struct Referrer {
        var serial: UInt64
        var address: UInt64
        var origin: Int32
        var thread: UInt32
    }

    var isOpen = false
    /// Where the open scan's references start in `lastReferences` (references with no scan
    /// marker before them are appended to the last scan's).
    var openStart = 0
    /// The referrers of the target being judged: one buffer reused for every target.
    var referrers: [Referrer] = []
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
            scan.openStart = 0
            return
        }
        if !scan.isOpen {
            scan.isOpen = true
            scan.openStart = scan.lastReferences.count
        }
        scan.lastReferences.append(reference)
    }

    /// Turns a whole scan into evidence: one `references` observation per distinct block
    /// pair; `shares` for blocks with two or more referrers (or of a reference-counted
    /// type); and, for a block whose only referrer is one other block and no root, that
    /// block becomes its owner candidate (replacing the creation burst's guess).
    mutating func closeScan() {
        scan.isOpen = false
        let read = scan.lastReferences
        // Serials only, read from the slots (3 million references in a python3 run's scans).
        var pairs: [ScanCollector.Pair] = []
        pairs.reserveCapacity(read.count - scan.openStart)
        var rooted = Set<UInt64>()
        for index in scan.openStart..<read.count {
            let reference = read[index]
            guard let target = blocks.serial(at: reference.to) else { continue }
            if reference.source != .block {
                // Only globals count against ownership: a local variable or a register
                // pointing at a block is how code uses what it owns (and stale stack words
                // would make it look shared).
                if reference.source == .moduleData { rooted.insert(target) }
                continue
            }
            guard let source = blocks.serial(at: reference.from), source != target else { continue }
            pairs.append(.init(to: target, from: source, reference: index))
        }
        pairs.sort()
        // One sighting per distinct block pair, kept in place (the first of each run).
        var kept = 0
        for i in pairs.indices where kept == 0 || pairs[i].to != pairs[kept - 1].to || pairs[i].from != pairs[kept - 1].from {
            pairs[kept] = pairs[i]
            kept += 1
        }
        var start = 0
        while start < kept {
            var end = start + 1
            while end < kept && pairs[end].to == pairs[start].to { end += 1 }
            judgeReferrers(pairs[start..<end], of: read, rooted: rooted.contains(pairs[start].to))
            start = end
        }
        // One pass over the blocks the scan saw: which a global refers to, and how many
        // each site had (the share a site-level reference needs).
        // Marked after the pass: a write while it iterates the table would copy the table.
        pairs = []
        var rootedAddresses: [UInt64] = []
        var scanned = scannedBlocks, inScans = blocksInScans
        scannedBlocks = []
        blocksInScans = []
        blocks.forEachResident { address, serial, origin in
            scanned[Int(origin)] += 1
            inScans[Int(origin)] += 1
            if !rooted.isEmpty && rooted.contains(serial) { rootedAddresses.append(address) }
        }
        scannedBlocks = scanned
        blocksInScans = inScans
        for address in rootedAddresses {
            let block = blocks.resident(at: address)!
            holdings[block.serial, default: Holdings(node: block.origin)].rooted = true
            rootedNodes.insert(block.origin)
        }
        for address in rootedAddresses { blocks[address]!.rootReferenced = true }
    }

    /// `sighted`: the scan's distinct referrers of one target, by serial, read in `read`.
    private mutating func judgeReferrers(_ sighted: ArraySlice<ScanCollector.Pair>, of read: [PointerReference], rooted: Bool) {
        guard let sample = sighted.first else { return }
        let targetAddress = read[sample.reference].to
        guard var target = blocks[targetAddress], target.serial == sample.to else { return }
        // Every sighting is a reference; one likely stale (its address held a block of a site
        // the referrer's site refers to more often, eighth rules) is not a holder.
        // Nothing below changes the table until the owner is set: what a referrer's slot held
        // at the first look is kept for the rest.
        var referrers = scan.referrers
        scan.referrers = []
        referrers.removeAll(keepingCapacity: true)
        defer { scan.referrers = referrers }
        let several = sighted.count >= 2  // the referrers are distinct
        for pair in sighted {
            let sourceAddress = read[pair.reference].from
            guard let source = blocks.resident(at: sourceAddress), source.serial == pair.from else { continue }
            let elsewhere = several || (target.ownerByReference && target.owner != source.serial)
            if rewritten(holder: source.serial, holderNode: source.origin, holderBorn: source.ticks, address: targetAddress, serial: target.serial, node: target.origin, heldElsewhere: elsewhere) { continue }
            references[NodePair(from: source.origin, to: target.origin), default: 0] += 1
            if source.serial < target.serial { referencesToYounger[NodePair(from: source.origin, to: target.origin), default: 0] += 1 }
            if !noteAmbiguity(holder: source.origin, born: source.ticks, address: targetAddress, target: target.origin) {
                referrers.append(.init(serial: source.serial, address: sourceAddress, origin: source.origin, thread: source.thread))
            }
        }
        guard let first = referrers.first else {
            if rooted {
                blocks[targetAddress]!.rootReferenced = true
                holdings[target.serial, default: Holdings(node: target.origin)].rooted = true
            }
            return
        }
        let shared = referrers.count >= 2 || isRefcounted(target.origin)
        for source in referrers {
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
        if referrers.count == 1 && !rooted {
            let source = first
            // The sole referrer becomes (or confirms) the owner candidate.
            target.ownerByReference = true
            if target.owner == source.serial {
                blocks[targetAddress] = target
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
            blocks[targetAddress] = target
            addDependant(to: first.address)
            return
        }
        blocks[targetAddress] = target
    }
}
