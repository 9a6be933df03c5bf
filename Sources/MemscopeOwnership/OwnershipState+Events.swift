import MemscopeModel

extension OwnershipState {
    /// An allocation (or the new block of a realloc, keeping `origin`): joins or starts
    /// the thread's creation burst, which links it to the burst's first block.
    mutating func allocate(_ address: UInt64, size: UInt64, stack: UInt32, thread: UInt32, ticks: UInt64,
                           origin: Int32?) {
        guard address != 0 else { return }
        closeCascade(of: thread)
        if blocks[address] != nil { dropStale(address) }
        let site = siteNode(stack)
        nodes[Int(site)].blocks += 1
        nodes[Int(site)].bytes &+= size
        serials += 1
        var block = TrackedBlock(serial: serials, origin: origin ?? site, site: site, thread: thread, size: size, ticks: ticks)
        var state = threads[thread, default: ThreadState()]
        if state.task != 0 {
            let task = node(for: NodeKey(task: state.task))
            taskAllocations[NodePair(from: task, to: site), default: 0] += 1
        }
        if origin == nil {
            let context = resolver.resolve(stack, symbols).context
            let now = nanoseconds(ticks)
            let joins = state.hasBurst && state.burstContext == context && !state.burstSites.contains(site)
                && now &- state.lastAllocation <= options.gapNanoseconds
                && blocks[state.burstOwnerAddress]?.serial == state.burstOwner
            if joins {
                block.owner = state.burstOwner
                block.ownerNode = state.burstOwnerNode
                block.ownerThread = thread
                addDependant(to: state.burstOwnerAddress)
                state.burstSites.append(site)
            } else {
                state.hasBurst = true
                state.burstContext = context
                state.burstOwner = block.serial
                state.burstOwnerAddress = address
                state.burstOwnerNode = site
                state.burstSites = [site]
            }
            state.lastAllocation = now
        }
        threads[thread] = state
        blocks[address] = block
    }

    /// A free: judged against its owner when the thread's free cascade closes.
    mutating func release(_ address: UInt64, stack: UInt32, thread: UInt32, ticks: UInt64) {
        guard address != 0, let block = blocks.removeValue(forKey: address) else { return }
        let cascade = openCascade(of: thread, ticks: ticks)
        if block.thread != thread {
            let to = freeNode(stack)
            let key = HandOffKey(pair: NodePair(from: block.origin, to: to), fromThread: block.thread, toThread: thread)
            let known = handOffs[key] ?? (0, 0)
            handOffs[key] = (known.blocks + 1, known.bytes &+ block.size)
        }
        buried(block, cascade: cascade, thread: thread)
    }

    mutating func reallocate(_ r: Realloc) {
        if r.oldAddress == 0 {
            allocate(r.newAddress, size: r.newSize, stack: r.stack, thread: r.thread, ticks: r.timestamp, origin: nil)
            return
        }
        if r.newAddress == 0 {
            if r.newSize == 0 { release(r.oldAddress, stack: r.stack, thread: r.thread, ticks: r.timestamp) }
            return
        }
        guard var block = blocks.removeValue(forKey: r.oldAddress) else {
            allocate(r.newAddress, size: r.newSize, stack: r.stack, thread: r.thread, ticks: r.timestamp, origin: nil)
            return
        }
        closeCascade(of: r.thread)
        if blocks[r.newAddress] != nil { dropStale(r.newAddress) }
        let site = siteNode(r.stack)
        nodes[Int(site)].blocks += 1
        nodes[Int(site)].bytes &+= r.newSize
        reallocs[NodePair(from: block.origin, to: site), default: 0] += 1
        block.site = site
        block.size = r.newSize
        // The block keeps its identity (serial, owner links): one logical buffer.
        if block.dependants > 0 { ownerAddresses[block.serial] = r.newAddress }
        blocks[r.newAddress] = block
        for (thread, state) in threads where state.burstOwnerAddress == r.oldAddress && state.burstOwner == block.serial {
            threads[thread]!.burstOwnerAddress = r.newAddress
        }
    }

    mutating func annotate(_ a: Annotation) {
        guard let block = blocks[a.address] else { return }
        let name = symbols.string(a.name), type = symbols.string(a.typeName)
        if !type.isEmpty { nodes[Int(block.site)].annotatedTypes[type, default: 0] += 1 }
        if !name.isEmpty { nodes[Int(block.site)].variables[name, default: 0] += 1 }
    }

    // MARK: Cascades and judgements

    /// The thread's open free cascade, or a new one when none is open or the last free
    /// is too long ago.
    mutating func openCascade(of thread: UInt32, ticks: UInt64) -> UInt64 {
        let now = nanoseconds(ticks)
        if let state = threads[thread], state.cascade != 0, now &- state.lastFree <= options.gapNanoseconds {
            threads[thread]!.lastFree = now
            return state.cascade
        }
        closeCascade(of: thread)
        cascades += 1
        threads[thread, default: ThreadState()].cascade = cascades
        threads[thread]!.lastFree = now
        return cascades
    }

    /// Judges the deaths left open in the thread's cascade: an owner that died in the
    /// same cascade supports the link; one that died elsewhere contradicts it; one that
    /// lives on supports it only when the link was seen in a scan and the owner's thread
    /// freed the block (an owner replacing what it holds), and says nothing otherwise.
    mutating func closeCascade(of thread: UInt32) {
        guard let state = threads[thread], state.cascade != 0 else { return }
        threads[thread]!.cascade = 0
        let pending = state.pending
        threads[thread]!.pending = []
        for death in pending {
            if let ownerCascade = deadOwners[death.owner]?.cascade {
                judge(death, ownerCascade == state.cascade ? .together : .apart)
            } else {
                judge(death, death.byReference && death.thread == death.ownerThread ? .byOwner : .early)
            }
            releaseDependant(owner: death.owner)
        }
    }

    /// A block died in `cascade`: its own dependants learn their owner's cascade, and its
    /// link to its owner is judged now (owner already dead) or when the cascade closes.
    mutating func buried(_ block: TrackedBlock, cascade: UInt64, thread: UInt32) {
        if block.dependants > 0 {
            deadOwners[block.serial] = (cascade, block.dependants)
            ownerAddresses[block.serial] = nil
        }
        guard block.owner != 0 else { return }
        let death = PendingDeath(owner: block.owner, ownerNode: block.ownerNode,
                                 node: block.origin, byReference: block.ownerByReference,
                                 referredElsewhere: block.sharedReferrers || block.rootReferenced,
                                 thread: thread, ownerThread: block.ownerThread)
        if let dead = deadOwners[block.owner], dead.cascade != cascade {
            judge(death, .apart)
            releaseDependant(owner: block.owner)
        } else {
            threads[thread]!.pending.append(death)
        }
    }

    enum Death { case together, byOwner, apart, early }

    /// One linked pair's evidence: freed together, or freed by the owner's thread while
    /// the owner held it alone (and referred to by nothing else), supports ownership;
    /// freed apart (the block outlived its owner, or died in another cascade) or referred
    /// to elsewhere contradicts it; freed early otherwise is neutral.
    mutating func judge(_ death: PendingDeath, _ outcome: Death) {
        let pair = NodePair(from: death.ownerNode, to: death.node)
        var tally = owns[pair] ?? Tally()
        switch outcome {
        case .together where !death.referredElsewhere, .byOwner where !death.referredElsewhere:
            tally.support += 1
            if death.byReference { tally.byReference += 1 } else { tally.byCreation += 1 }
            if outcome == .byOwner { tally.replaced += 1 }
        case .together, .byOwner, .apart: tally.against += 1
        case .early: tally.early += 1
        }
        owns[pair] = tally
    }

    /// Links a block to the live block at `address` as its owner.
    mutating func addDependant(to address: UInt64) {
        guard let owner = blocks[address] else { return }
        blocks[address]!.dependants += 1
        if owner.dependants == 0 { ownerAddresses[owner.serial] = address }
    }

    /// One dependant of `owner` judged or relinked: forget the owner's death once none is left.
    mutating func releaseDependant(owner: UInt64) {
        if let dead = deadOwners[owner] {
            if dead.dependants <= 1 { deadOwners[owner] = nil } else { deadOwners[owner] = (dead.cascade, dead.dependants - 1) }
        } else if let address = ownerAddresses[owner], blocks[address]?.serial == owner {
            blocks[address]!.dependants -= 1
            if blocks[address]!.dependants == 0 { ownerAddresses[owner] = nil }
        }
    }

    /// A block at an address that is allocated again without a free (a lost free, or a
    /// dump that starts mid-run): forgotten without judgement.
    mutating func dropStale(_ address: UInt64) {
        guard let stale = blocks.removeValue(forKey: address) else { return }
        if stale.dependants > 0 {
            deadOwners[stale.serial] = (0, stale.dependants)
            ownerAddresses[stale.serial] = nil
        }
    }
}
