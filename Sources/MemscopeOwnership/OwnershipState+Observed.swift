import MemscopeModel

/// A block freed while dying blocks' words were recorded, kept until its address is
/// allocated again: until then, a word holding its address is a dangling pointer, held
/// by a block that lived when it was freed.
struct DeadBlock {
    var serial: UInt64
    var origin: Int32
    var died: UInt64
    /// Its owner candidate's serial (0: none), for the inferred rule's check.
    var owner: UInt64
    /// The free cascade it died in.
    var cascade: UInt64
}

/// A block seen holding the address of another one.
struct Holder: Equatable {
    var serial: UInt64
    var node: Int32
    /// When the holder was allocated, and when it was seen holding (its death, or the target's).
    var born: UInt64
    var seen: UInt64
    /// The free cascade the holder died in (0: it did not die, a realloc moved it).
    var cascade: UInt64
}

/// What was observed holding one target block.
struct Holdings {
    var node: Int32
    /// Blocks whose words, when they died, still held the target's address after it was freed
    /// (and were allocated before it was): they held it when it died, all at once.
    var atDeath: [Holder] = []
    /// Blocks that died holding it while it lived.
    var earlier: [Holder] = []
    /// A scan saw two or more blocks holding it, or a global.
    var sharedInScan = false
    var rooted = false
    /// The free cascade the target died in (0: not freed, or not seen).
    var cascade: UInt64 = 0
}

/// Block pairs for and against an observed `owns` or `shares` between two sites.
struct ObservedTally {
    var support: UInt64 = 0
    var against: UInt64 = 0
    /// Of the supporting pairs (owns): the target died while the owner alone held it; the
    /// owner died holding it while no other holder lived.
    var atTargetDeath: UInt64 = 0
    var atOwnerDeath: UInt64 = 0
}

struct SerialPair: Hashable {
    var owner: UInt64
    var target: UInt64
}

extension OwnershipState {
    /// A `block_references` record: the marker, or the words of a block about to die (the
    /// free or realloc that ends it follows).
    mutating func noteWords(_ words: BlockReferences) {
        if words.address == 0 {
            observesDeaths = true
            return
        }
        pendingWords[words.address] = words
    }

    /// Resolves the words recorded for the block at `address` (if any) as it dies in free
    /// cascade `cascade` or moves (a realloc, cascade 0): targets live now are held by it;
    /// targets freed before and not reused, when it lived then, were held by it when they died.
    mutating func observeWords(of address: UInt64, ticks: UInt64, cascade: UInt64) {
        let dies = cascade != 0
        let words = pendingWords.removeValue(forKey: address)
        guard observesDeaths, let holder = blocks[address] else { return }
        if dies { scannedBlocks[Int(holder.origin)] += 1 }
        guard let words else { return }
        coverage.blocksObservedAtDeath += dies ? 1 : 0
        let me = Holder(serial: holder.serial, node: holder.origin, born: holder.ticks, seen: ticks, cascade: cascade)
        var seen = Set<UInt64>()
        for (offset, target) in zip(words.offsets, words.targets) where offset &+ 8 <= holder.size {
            if let live = blocks[target], live.serial != holder.serial {
                guard seen.insert(live.serial).inserted else { continue }
                references[NodePair(from: holder.origin, to: live.origin), default: 0] += 1
                if !dies { continue }  // a moved buffer keeps holding it
                holdings[live.serial, default: Holdings(node: live.origin)].earlier.append(me)
                if live.owner == holder.serial { seenHolding.insert(SerialPair(owner: holder.serial, target: live.serial)) }
            } else if let gone = dead[target], holder.ticks <= gone.died {
                guard seen.insert(gone.serial).inserted else { continue }
                references[NodePair(from: holder.origin, to: gone.origin), default: 0] += 1
                var held = me
                held.seen = gone.died
                if holdings[gone.serial]?.atDeath.contains(where: { $0.serial == held.serial }) != true {
                    holdings[gone.serial, default: Holdings(node: gone.origin, cascade: gone.cascade)].atDeath.append(held)
                }
                if gone.owner == holder.serial { seenHolding.insert(SerialPair(owner: holder.serial, target: gone.serial)) }
            }
        }
    }

    /// A block freed while deaths are observed: dangling words may still name it.
    mutating func noteDeath(_ block: TrackedBlock, address: UInt64, ticks: UInt64, cascade: UInt64) {
        guard observesDeaths else { return }
        if let previous = dead.removeValue(forKey: address) { settle(previous.serial) }
        dead[address] = DeadBlock(serial: block.serial, origin: block.origin, died: ticks, owner: block.owner, cascade: cascade)
        holdings[block.serial]?.cascade = cascade
    }

    /// An address allocated again: words holding it name the new block from now on.
    mutating func reuse(_ address: UInt64) {
        guard let gone = dead.removeValue(forKey: address) else { return }
        settle(gone.serial)
    }

    /// Turns what was seen holding one target into observed `owns` and `shares` evidence.
    /// A holder *tore it down* when it died in the same free cascade as the target (same
    /// thread, no allocation between): a structure freed as a whole. Dangling words in a
    /// block freed later (a queue's ring still naming messages a consumer freed) only refer.
    /// - held at its death by two or more blocks that tore it down, or by several in one
    ///   scan: `shares`, for each of those holders;
    /// - held at its death by one block that tore it down, and by no global: `owns`;
    /// - held by a block that died holding it, in the cascade that freed it too, while no
    ///   other block seen holding it lived (and no global): `owns`.
    /// The sole holder of a target that was shared is a pair against `owns`.
    mutating func settle(_ target: UInt64) {
        guard let h = holdings.removeValue(forKey: target) else { return }
        let tore = h.cascade == 0 ? [] : h.atDeath.filter { $0.cascade == h.cascade }
        let shared = tore.count >= 2 || h.sharedInScan
        if tore.count >= 2 {
            for holder in tore {
                observedShares[NodePair(from: holder.node, to: h.node), default: ObservedTally()].support += 1
            }
        }
        func sole(_ holder: Holder, atTargetDeath: Bool) {
            let pair = NodePair(from: holder.node, to: h.node)
            if shared {
                observedOwns[pair, default: ObservedTally()].against += 1
            } else if !h.rooted {
                observedOwns[pair, default: ObservedTally()].support += 1
                if atTargetDeath { observedOwns[pair]!.atTargetDeath += 1 } else { observedOwns[pair]!.atOwnerDeath += 1 }
                observedShares[pair, default: ObservedTally()].against += 1
            }
        }
        if tore.count == 1 { sole(tore[0], atTargetDeath: true) }
        let everyone = h.atDeath + h.earlier
        for holder in h.earlier where h.cascade != 0 && holder.cascade == h.cascade {
            let alone = !everyone.contains { $0.serial != holder.serial && $0.born <= holder.seen && $0.seen >= holder.seen }
            if alone { sole(holder, atTargetDeath: false) }
        }
    }

    /// At the end: every target still open (live, or freed and not reused) is settled.
    mutating func settleAll() {
        dead.removeAll()
        for target in holdings.keys.sorted() { settle(target) }
    }
}
