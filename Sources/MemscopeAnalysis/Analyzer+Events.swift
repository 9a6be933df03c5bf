import MemscopeModel

extension AnalyzerCore {
    // MARK: - Events

    mutating func allocate(address: UInt64, size: UInt64, stack: UInt32, thread: UInt32, ticks: UInt64,
                  chainLength: UInt32 = 0, chainRoot: UInt32? = nil, keepGeneration: Bool = false) {
        guard address != 0 else {
            totals.failedAllocations += 1
            return
        }
        let slot = blocks.findOrInsert(address)
        if blocks.slots[slot].isLive {
            diagnostics.warn(key: "alloc-at-live",
                             "a block was allocated at an address that is still live; the earlier block is taken as freed (its free is missing from the dump)",
                             at: "event \(totals.events), address 0x\(String(address, radix: 16))",
                             hint: "the recorder may have missed a free (e.g. from a custom allocator)")
            release(slot: slot, ticks: ticks, thread: thread, stack: 0)
        }
        var entry = blocks.slots[slot]
        if !keepGeneration {
            if entry.generation == 0 {
                reuse.distinctAddresses += 1
            } else {
                reuse.allocationsAtReusedAddresses += 1
                if entry.generation == 1 { reuse.reusedAddresses += 1 }
            }
            entry.generation += 1
            reuse.maxGeneration = max(reuse.maxGeneration, UInt64(entry.generation))
        }
        entry.size = size
        entry.timestamp = ticks
        entry.stack = stack
        entry.freeStack = 0
        let t = threads.index(of: thread, ticks: ticks)
        entry.thread = UInt32(t)
        entry.chainLength = chainLength
        entry.chainRoot = chainRoot ?? stack
        let s = site(of: stack)
        entry.site = Int32(s)
        entry.isLive = true
        blocks.slots[slot] = entry

        // Before a window's start a block is carried in: live, but not counted.
        let isCounted = counted(ticks)
        if isCounted {
            totals.allocations += 1
            let (bytes, overflow) = totals.bytesAllocated.addingReportingOverflow(size)
            totals.bytesAllocated = overflow ? UInt64.max : bytes
            if _slowPath(overflow) { totals.overflowed.insert("bytes_allocated") }
            if _slowPath(contexts.isActive) { contexts.allocated(address: address, size: size, thread: thread) }
        }
        lastAllocation = isCounted ? address : 0
        emit(LiveChange(ticks: ticks, size: size, lifetime: 0, site: Int32(s), thread: UInt32(t), owner: UInt32(t),
                        isRelease: false, counted: isCounted, temporary: false))
    }

    /// Frees the live block in `slot`: temporaries, lifetimes, hand-offs, chain ends.
    mutating func release(slot: Int, ticks: UInt64, thread: UInt32, stack: UInt32) {
        let entry = blocks.slots[slot]
        let s = Int(entry.site)
        let isCounted = counted(ticks)
        let temporary = lastAllocation == entry.address
        if temporary { totals.temporaryAllocations &+= 1 }
        lastAllocation = 0
        let lifetime = nanoseconds(ticks &- entry.timestamp)
        let t = threads.index(of: thread, ticks: ticks)
        if _slowPath(contexts.isActive) { contexts.released(address: entry.address) }
        if isCounted {
            totals.frees += 1
            if stack != 0 { modules.release(allocationStack: entry.stack, freeStack: stack, bytes: entry.size, symbols: symbols) }
        }
        emit(LiveChange(ticks: ticks, size: entry.size, lifetime: lifetime, site: Int32(s), thread: UInt32(t),
                        owner: entry.thread, isRelease: true, counted: isCounted, temporary: temporary))
        Self.markFreed(&blocks.slots[slot], stack: stack, ticks: ticks)
    }

    @inline(__always)
    static func markFreed(_ entry: inout BlockEntry, stack: UInt32, ticks: UInt64) {
        entry.isLive = false
        entry.freeStack = stack
        entry.timestamp = ticks
    }

    /// The process replaced its program (`exec`): every block of the old image is gone with
    /// it. Each leaves the live figures (the heap drops at the exec) without counting as a
    /// free, a temporary or a lifetime: the program never freed it, and did not leak it.
    mutating func releaseAtExec(ticks: UInt64) {
        lastAllocation = 0
        for slot in 0..<blocks.slots.count where blocks.slots[slot].isLive {
            let entry = blocks.slots[slot]
            endChain(entry)
            if _slowPath(contexts.isActive) { contexts.released(address: entry.address) }
            totals.releasedAtExecBlocks &+= 1
            totals.releasedAtExecBytes = saturatingAdd(totals.releasedAtExecBytes, entry.size)
            emit(LiveChange(ticks: ticks, size: entry.size, lifetime: 0, site: entry.site, thread: entry.thread,
                            owner: entry.thread, isRelease: true, counted: false, temporary: false))
            Self.markFreed(&blocks.slots[slot], stack: 0, ticks: ticks)
        }
    }

    mutating func free(address: UInt64, thread: UInt32, stack: UInt32, ticks: UInt64) {
        guard address != 0 else {
            totals.nullFrees += 1
            return
        }
        if let slot = blocks.find(address) {
            if blocks.slots[slot].isLive {
                endChain(blocks.slots[slot])
                release(slot: slot, ticks: ticks, thread: thread, stack: stack)
            } else {
                let entry = blocks.slots[slot]
                reportError(.doubleFree, stack: stack, allocationStack: entry.stack,
                            firstFreeStack: entry.freeStack, address: address, ticks: ticks, thread: thread,
                            blockSize: entry.size)
            }
        } else {
            reportError(.invalidFree, stack: stack, allocationStack: 0, firstFreeStack: 0,
                        address: address, ticks: ticks, thread: thread)
        }
    }

    mutating func realloc(_ r: Realloc, ticks: UInt64) {
        if r.oldAddress == 0 {
            allocate(address: r.newAddress, size: r.newSize, stack: r.stack, thread: r.thread, ticks: ticks)
            return
        }
        guard let slot = blocks.find(r.oldAddress), blocks.slots[slot].isLive else {
            let entry = blocks.find(r.oldAddress).map { blocks.slots[$0] }
            reportError(entry == nil ? .invalidRealloc : .reallocAfterFree, stack: r.stack,
                        allocationStack: entry?.stack ?? 0, firstFreeStack: entry?.freeStack ?? 0,
                        address: r.oldAddress, ticks: ticks, thread: r.thread)
            if r.newAddress != 0 {
                allocate(address: r.newAddress, size: r.newSize, stack: r.stack, thread: r.thread, ticks: ticks)
            } else if r.newSize > 0 {
                totals.failedAllocations += 1
            }
            return
        }
        if r.newAddress == 0 && r.newSize > 0 {
            totals.failedAllocations += 1
            return
        }
        let old = blocks.slots[slot]
        release(slot: slot, ticks: ticks, thread: r.thread, stack: r.stack)
        if r.newAddress == 0 {
            endChain(old)
            return
        }
        let length = old.chainLength + 1
        if counted(ticks) {
            totals.reallocs += 1
            chains.reallocs += 1
            siteReallocs[site(of: r.stack)] += 1
            if r.newAddress != r.oldAddress { chains.moves += 1 }
        }
        allocate(address: r.newAddress, size: r.newSize, stack: r.stack, thread: r.thread, ticks: ticks,
                 chainLength: length, chainRoot: old.chainRoot, keepGeneration: r.newAddress == r.oldAddress)
    }

    /// Records the end of a block's realloc chain (when it is freed, or at the end).
    mutating func endChain(_ entry: BlockEntry) {
        guard entry.chainLength > 0 else { return }
        chains.chains += 1
        let length = UInt64(entry.chainLength)
        if length > chains.longest || (length == chains.longest && entry.chainRoot < chains.longestRootStack) {
            chains.longest = length
            chains.longestRootStack = entry.chainRoot
        }
    }

    /// Counts a memory error the recorder found in memory (a `memory_error` record).
    mutating func reportFound(_ error: MemoryError) {
        let kind: MemoryErrorSite.Kind = error.kind == .overflow ? .overflow : .writeAfterFree
        var found = MemoryErrorSite(kind: kind, stack: error.foundStack, allocationStack: error.allocationStack,
                                    firstFreeStack: error.freeStack, count: 1, firstAddress: error.address,
                                    firstTimeNanoseconds: 0, firstThread: error.thread)
        found.foundStack = error.foundStack
        found.side = error.side
        found.offset = error.offset
        found.bytesDamaged = error.bytes
        found.blockSize = error.size
        reportError(kind, stack: error.foundStack, allocationStack: error.allocationStack, firstFreeStack: error.freeStack,
                    address: error.address, ticks: error.timestamp, thread: error.thread, blockSize: error.size,
                    found: found)
    }

    mutating func reportError(_ kind: MemoryErrorSite.Kind, stack: UInt32, allocationStack: UInt32, firstFreeStack: UInt32,
                     address: UInt64, ticks: UInt64, thread: UInt32, blockSize: UInt64 = 0, found: MemoryErrorSite? = nil) {
        totals.errors += 1
        let key = ErrorKey(kind: kind, stack: stack, allocationStack: allocationStack, firstFreeStack: firstFreeStack,
                           foundStack: found?.foundStack ?? 0, side: found?.side?.rawValue ?? 0xFF)
        if let i = errorIndex[key] {
            errors[i].count += 1
            errors[i].bytesDamaged = max(errors[i].bytesDamaged, found?.bytesDamaged ?? 0)
            return
        }
        guard errors.count < options.maxErrorSites else {
            diagnostics.warn(key: "too-many-error-sites",
                             "more than \(options.maxErrorSites) distinct memory-error sites; later ones are counted but not listed",
                             at: "event \(totals.events)")
            return
        }
        errorIndex[key] = errors.count
        var site = found ?? MemoryErrorSite(kind: kind, stack: stack, allocationStack: allocationStack,
                                            firstFreeStack: firstFreeStack, count: 1, firstAddress: address,
                                            firstTimeNanoseconds: 0, firstThread: thread)
        site.firstTimeNanoseconds = nanoseconds(ticks)
        if site.blockSize == 0 { site.blockSize = blockSize }
        errors.append(site)
    }
}
