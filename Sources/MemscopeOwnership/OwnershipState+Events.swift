import MemscopeAnalysis
import MemscopeModel

extension OwnershipState {
    /// An allocation (or the new block of a realloc, keeping `origin`): joins or starts
    /// the thread's creation burst, which links it to the burst's first block.
    mutating func allocate(_ address: UInt64, size: UInt64, stack: UInt32, thread: UInt32, ticks: UInt64,
                           origin: Int32?) {
        guard address != 0 else { return }
        closeCascade(of: thread)
        if blocks.contains(address) { dropStale(address) }
        reuse(address)
        let site = siteNode(stack)
        nodes[Int(site)].blocks += 1
        nodes[Int(site)].bytes &+= size
        serials += 1
        var block = TrackedBlock(serial: serials, size: size, ticks: ticks, origin: origin ?? site, site: site, thread: thread)
        let t = slot(thread)
        threads[t].lastSerial = serials
        if threads[t].task != 0 {
            let task = node(for: NodeKey(task: threads[t].task))
            taskAllocations[NodePair(from: task, to: site), default: 0] += 1
        }
        if origin == nil {
            let context = resolver.resolve(stack, symbols).context
            let now = nanoseconds(ticks)
            let joins = threads[t].hasBurst && threads[t].burstContext == context && !threads[t].burstSites.contains(site)
                && (options.burstsByEventOrder || now &- threads[t].lastAllocation <= options.gapNanoseconds)
                && blocks[threads[t].burstOwnerAddress]?.serial == threads[t].burstOwner
            if joins {
                block.owner = threads[t].burstOwner
                block.ownerNode = threads[t].burstOwnerNode
                block.ownerThread = thread
                addDependant(to: threads[t].burstOwnerAddress)
                threads[t].burstSites.append(site)
            } else {
                threads[t].hasBurst = true
                threads[t].burstContext = context
                threads[t].burstOwner = block.serial
                threads[t].burstOwnerAddress = address
                threads[t].burstOwnerNode = site
                // Emptied in place: a new one-element array per burst was an allocation and a
                // free per burst (most of a 1M-event dump's allocations start one).
                threads[t].burstSites.removeAll(keepingCapacity: true)
                threads[t].burstSites.append(site)
            }
            threads[t].lastAllocation = now
        }
        blocks[address] = block
        if observesDeaths { interior.insert(.init(start: address, size: size, serial: block.serial)) }
    }

    /// A free: judged against its owner when the thread's free cascade closes.
    mutating func release(_ address: UInt64, stack: UInt32, thread: UInt32, ticks: UInt64) {
        guard address != 0 else { return }
        guard blocks.contains(address) else {
            pendingWords[address] = nil
            return
        }
        let cascade = openCascade(of: thread, ticks: ticks)
        observeWords(of: address, ticks: ticks, cascade: cascade, after: threads[slot(thread)].cascadeAfter,
                     weak: options.weakHolders && observesDeaths && freedAsWeakReferences(stack))
        let block = blocks.removeValue(forKey: address)!
        if !lastHeld.isEmpty { lastHeld[block.serial] = nil }
        noteTeardown(node: block.origin, stack: stack, thread: slot(thread))
        let element = options.containerElements && observesDeaths && releasedAsContainerElement(stack)
        noteDeath(block, address: address, ticks: ticks, cascade: cascade, containerElement: element,
                  nulled: options.nulledPointerTearers && observesDeaths && (element || releasedByReset(stack)))
        if block.thread != thread {
            let to = freeNode(stack)
            let key = HandOffKey(pair: NodePair(from: block.origin, to: to), fromThread: block.thread, toThread: thread)
            handOffs.count(key, bytes: block.size)  // one lookup, at every cross-thread free
        }
        buried(block, cascade: cascade, thread: thread, uniqueRelease: options.nulledOwners && releasedByUniqueOwner(stack, site: block.site))
    }

    /// Whether a unique owner's release freed the block (``uniqueRelease(_:)``) outside the
    /// function that made it: a local dropped at the end of its own scope (a Rust `Vec`, a
    /// C++ `unique_ptr` variable) is released by no owner block.
    mutating func releasedByUniqueOwner(_ stack: UInt32, site: Int32) -> Bool {
        guard let releaser = uniqueRelease(stack) else { return false }
        return releaser != madeFunction(site)
    }

    /// A site node's function up to its first ` ← ` (its named caller's, for an unnamed
    /// site), found once per node.
    mutating func madeFunction(_ site: Int32) -> String {
        if let known = madeFunctionOfNode[UInt32(bitPattern: site)] { return known }
        let made = nodes[Int(site)].key.function
        let function = made.range(of: " ← ").map { String(made[..<$0.lowerBound]) } ?? made
        madeFunctionOfNode[UInt32(bitPattern: site)] = function
        return function
    }

    /// Whether a free's stack shows a unique owner releasing the block: between the allocator
    /// and the program's first own frame, a `unique_ptr`'s deleter, a `Box`'s drop, or a
    /// container freeing its own buffer or node (`std::vector`, `std::string`, `std::function`,
    /// `RawVec`, `hashbrown`, …), and no reference count (`Rc`, `Arc`, `shared_ptr`).
    /// Found once per stack.
    /// Found once per stack; the function of the program's first own frame when it is one.
    mutating func uniqueRelease(_ stack: UInt32) -> String? {
        if let known = uniqueReleaseOfStack[stack] { return known }
        var unique = false, counted = false, releaser = ""
        for frame in symbols.frames(ofStack: stack) {
            let name = symbols.displayName(ofFrame: frame)
            let runtime = isRuntime(frame, named: name)
            if !runtime {
                releaser = name
                break
            }
            let own = name.hasPrefix("<") ? name.dropFirst() : Substring(name)
            if Self.countedReleases.contains(where: { own.hasPrefix($0) }) { counted = true }
            if Self.uniqueReleases.contains(where: { own.hasPrefix($0) }) { unique = true }
        }
        let found: String? = unique && !counted ? releaser : nil
        uniqueReleaseOfStack[stack] = .some(found)
        return found
    }

    /// Whether a free's stack shows a `unique_ptr` released as an element of a standard
    /// container: between the allocator and the program's first own frame, the deleter
    /// (`std::default_delete`, `std::unique_ptr`) and, outside it, a container destroying or
    /// erasing its elements (`std::_Hashtable`, `std::_Rb_tree`, `std::vector`, `std::list`,
    /// `std::deque`, `std::_Destroy`). Found once per stack (seventh rules).
    mutating func releasedAsContainerElement(_ stack: UInt32) -> Bool {
        if let known = containerElementOfStack[stack] { return known }
        var deleter = false
        let found = runtimeFrameVerdict(stack) { own in
            if Self.countedReleases.contains(where: { own.hasPrefix($0) }) { return false }
            if own.hasPrefix("std::default_delete<") || own.hasPrefix("std::unique_ptr<") {
                deleter = true
            } else if deleter && Self.containerElementReleases.contains(where: { own.hasPrefix($0) }) {
                return true
            }
            return nil
        }
        containerElementOfStack[stack] = found
        return found
    }

    /// Walks a stack's frames between the allocator and the program's first own frame,
    /// innermost first, handing each one's qualified name to `decide` until it answers;
    /// false when it never does. The walk the per-stack release tests below share.
    mutating func runtimeFrameVerdict(_ stack: UInt32, _ decide: (Substring) -> Bool?) -> Bool {
        for frame in symbols.frames(ofStack: stack) {
            let name = symbols.displayName(ofFrame: frame)
            guard isRuntime(frame, named: name) else { return false }
            if let verdict = decide(Self.qualifiedName(name)) { return verdict }
        }
        return false
    }

    /// Whether a free's stack shows a `unique_ptr`'s `reset` (or its assignment) freeing the
    /// block: between the allocator and the program's first own frame, `reset` or
    /// `operator=` of `std::unique_ptr` or `std::__uniq_ptr_impl`, which null the pointer
    /// before deleting what it held. Found once per stack (thirteenth rules).
    mutating func releasedByReset(_ stack: UInt32) -> Bool {
        if let known = resetReleaseOfStack[stack] { return known }
        let found = runtimeFrameVerdict(stack) { own in
            if Self.countedReleases.contains(where: { own.hasPrefix($0) }) { return false }
            if (own.hasPrefix("std::unique_ptr<") || own.hasPrefix("std::__uniq_ptr_impl<"))
                && (own.contains(">::reset(") || own.contains(">::operator=(")) {
                return true
            }
            return nil
        }
        resetReleaseOfStack[stack] = found
        return found
    }

    /// Whether a free's stack shows a buffer of weak references being freed: the innermost
    /// frame that names the buffer's type (Rust's drop glue, `std::vector`'s base or its
    /// allocator) names a vector of `Weak` (`Rc`'s or `Arc`'s) or of `std::weak_ptr`. Its
    /// words were weak references, which keep a block's memory but not its value: not a share
    /// nor an owner (eighth rules). Found once per stack.
    mutating func freedAsWeakReferences(_ stack: UInt32) -> Bool {
        if let known = weakReleaseOfStack[stack] { return known }
        let found = runtimeFrameVerdict(stack) { own in
            guard let prefix = Self.bufferTypeFrames.first(where: { own.hasPrefix($0) }) else { return nil }
            let element = own.dropFirst(prefix.count)
            return Self.weakElements.contains { element.hasPrefix($0) }
        }
        weakReleaseOfStack[stack] = found
        return found
    }

    static let bufferTypeFrames = ["core::ptr::drop_in_place<alloc::raw_vec::RawVec<", "core::ptr::drop_in_place<alloc::vec::Vec<",
                                   "core::ptr::drop_in_place<alloc::collections::vec_deque::VecDeque<",
                                   "std::_Vector_base<", "std::vector<", "std::__new_allocator<", "__gnu_cxx::new_allocator<",
                                   "std::allocator_traits<std::allocator<"]
    static let weakElements = ["alloc::rc::Weak<", "alloc::sync::Weak<", "std::weak_ptr<"]

    static let containerElementReleases = ["std::_Hashtable<", "std::__detail::_Hashtable_alloc<", "std::unordered_map<",
                                           "std::_Rb_tree<", "std::map<", "std::vector<", "std::_Vector_base<",
                                           "std::_Destroy", "std::deque<", "std::_Deque_base<", "std::__cxx11::list<",
                                           "std::__cxx11::_List_base<", "std::list<", "std::_List_base<"]

    static let uniqueReleases = ["std::default_delete<", "std::unique_ptr<", "std::_Vector_base<", "std::vector<",
                                 "std::__cxx11::basic_string<", "std::basic_string<", "std::_Function_base",
                                 "std::_Hashtable<", "std::_Rb_tree<", "std::_Deque_base<", "std::__cxx11::_List_base<",
                                 "alloc::boxed::Box<", "alloc::raw_vec::", "alloc::vec::", "alloc::string::",
                                 "alloc::collections::", "hashbrown::"]
    static let countedReleases = ["std::_Sp_", "std::__shared_count", "std::__shared_ptr", "std::shared_ptr",
                                  "std::__weak_count", "alloc::rc::", "alloc::sync::"]

    mutating func reallocate(_ r: Realloc) {
        if r.oldAddress == 0 {
            allocate(r.newAddress, size: r.newSize, stack: r.stack, thread: r.thread, ticks: r.timestamp, origin: nil)
            return
        }
        if r.newAddress == 0 {
            if r.newSize == 0 { release(r.oldAddress, stack: r.stack, thread: r.thread, ticks: r.timestamp) }
            return
        }
        if r.newAddress != r.oldAddress { observeWords(of: r.oldAddress, ticks: r.timestamp, cascade: 0) }
        if let moving = blocks[r.oldAddress] { interior.remove(start: r.oldAddress, size: moving.size, serial: moving.serial) }
        guard var block = blocks.removeValue(forKey: r.oldAddress) else {
            allocate(r.newAddress, size: r.newSize, stack: r.stack, thread: r.thread, ticks: r.timestamp, origin: nil)
            return
        }
        closeCascade(of: r.thread)
        if blocks.contains(r.newAddress) { dropStale(r.newAddress) }
        reuse(r.newAddress)
        let site = siteNode(r.stack)
        nodes[Int(site)].blocks += 1
        nodes[Int(site)].bytes &+= r.newSize
        reallocs[NodePair(from: block.origin, to: site), default: 0] += 1
        block.site = site
        block.size = r.newSize
        // The block keeps its identity (serial, owner links): one logical buffer.
        if block.dependants > 0 { ownerAddresses[block.serial] = r.newAddress }
        blocks[r.newAddress] = block
        if observesDeaths { interior.insert(.init(start: r.newAddress, size: r.newSize, serial: block.serial)) }
        for t in threads.indices where threads[t].burstOwnerAddress == r.oldAddress && threads[t].burstOwner == block.serial {
            threads[t].burstOwnerAddress = r.newAddress
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
        let t = slot(thread)
        if threads[t].cascade != 0, now &- threads[t].lastFree <= options.gapNanoseconds {
            threads[t].lastFree = now
            return threads[t].cascade
        }
        closeCascade(of: thread)
        cascades += 1
        threads[t].cascade = cascades
        threads[t].cascadeAfter = threads[t].lastSerial
        threads[t].lastFree = now
        return cascades
    }

    /// Judges the deaths left open in the thread's cascade: an owner that died in the
    /// same cascade supports the link; one that died elsewhere contradicts it; one that
    /// lives on supports it only when the link was seen in a scan and the owner's thread
    /// freed the block (an owner replacing what it holds), and says nothing otherwise.
    mutating func closeCascade(of thread: UInt32) {
        let t = slot(thread)
        let cascade = threads[t].cascade
        guard cascade != 0 else { return }
        threads[t].cascade = 0
        threads[t].teardown = []
        let pending = threads[t].pending
        threads[t].pending = []
        for death in pending {
            if let ownerCascade = deadOwners[death.owner]?.cascade {
                judge(death, ownerCascade == cascade ? .together : .apart)
            } else {
                judge(death, death.byReference && death.thread == death.ownerThread ? .byOwner
                      : death.byReference && observesDeaths && options.releasedByHolder && !isRefcounted(death.node) ? .released : .early)
            }
            releaseDependant(owner: death.owner)
        }
    }

    /// A block died in `cascade`: its own dependants learn their owner's cascade, and its
    /// link to its owner is judged now (owner already dead) or when the cascade closes.
    mutating func buried(_ block: TrackedBlock, cascade: UInt64, thread: UInt32, uniqueRelease: Bool = false) {
        if block.dependants > 0 {
            deadOwners[block.serial] = (cascade, block.dependants)
            ownerAddresses[block.serial] = nil
        }
        guard block.owner != 0 else { return }
        let death = PendingDeath(owner: block.owner, ownerNode: block.ownerNode,
                                 node: block.origin, byReference: block.ownerByReference,
                                 referredElsewhere: block.sharedReferrers || block.rootReferenced,
                                 thread: thread, ownerThread: block.ownerThread, target: block.serial,
                                 releasedBeforeOwner: uniqueRelease && deadOwners[block.owner] == nil,
                                 freedBeforeOwner: deadOwners[block.owner] == nil)
        if let dead = deadOwners[block.owner], dead.cascade != cascade {
            judge(death, .apart)
            releaseDependant(owner: block.owner)
        } else {
            threads[slot(thread)].pending.append(death)
        }
    }

    enum Death { case together, byOwner, moved, apart, early, released }

    /// One linked pair's evidence: freed together, freed by the owner's thread while the
    /// owner held it alone, or moved to a new sole holder once the owner was gone (and
    /// referred to by nothing else), supports ownership;
    /// freed apart (the block outlived its owner, or died in another cascade) or referred
    /// to elsewhere contradicts it; freed early otherwise is neutral.
    mutating func judge(_ death: PendingDeath, _ outcome: Death) {
        let pair = NodePair(from: death.ownerNode, to: death.node)
        var tally = owns[pair] ?? Tally()
        // Freed with its owner, but the owner's words, read as it died, did not hold it: the
        // observation speaks against the guess.
        let heldByOwner = seenHolding.remove(SerialPair(owner: death.owner, target: death.target)) != nil
        if outcome == .together && observesDeaths && !heldByOwner {
            // Unless a unique owner's release freed it before its owner died, and no block's
            // words held it when it died: the owner nulled its pointer, then freed it
            // (`unique_ptr::reset`, a vector swapped empty), and was freed itself (sixth rules).
            let held = holdings[death.target].map { !$0.atDeath.isEmpty || !$0.earlier.isEmpty || $0.rooted } ?? false
            let scanned = options.scannedNulledOwners && death.byReference && death.freedBeforeOwner
            if (death.releasedBeforeOwner || scanned) && !held && !death.referredElsewhere {
                tally.support += 1
                tally.nulled += 1
                if !death.releasedBeforeOwner { tally.scannedNulled += 1 }
                if death.byReference { tally.byReference += 1 } else { tally.byCreation += 1 }
                owns[pair] = tally
                return
            }
            tally.against += 1
            tally.notHeld += 1
            owns[pair] = tally
            return
        }
        if outcome == .released {
            // A scan saw the owner hold it alone; another thread freed it while the owner lived,
            // and no block's words held it then nor a global: the owner handed it out (a queue
            // popped it to a worker) or cleared its slot before the free (eighth rules).
            let held = holdings[death.target].map { !$0.atDeath.isEmpty || !$0.earlier.isEmpty || $0.rooted } ?? false
            if held || death.referredElsewhere {
                tally.early += 1
            } else {
                tally.support += 1
                tally.byReference += 1
                tally.released += 1
            }
            owns[pair] = tally
            return
        }
        switch outcome {
        case .together where !death.referredElsewhere, .byOwner where !death.referredElsewhere,
             .moved where !death.referredElsewhere:
            tally.support += 1
            if death.byReference { tally.byReference += 1 } else { tally.byCreation += 1 }
            if outcome == .byOwner { tally.replaced += 1 }
            if outcome == .moved { tally.moved += 1 }
        case .together, .byOwner, .moved, .apart: tally.against += 1
        case .early, .released: tally.early += 1
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
        interior.remove(start: address, size: stale.size, serial: stale.serial)
        if stale.dependants > 0 {
            deadOwners[stale.serial] = (0, stale.dependants)
            ownerAddresses[stale.serial] = nil
        }
    }
}
