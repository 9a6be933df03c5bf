import MemscopeModel

/// A block freed while dying blocks' words were recorded, kept until its address is
/// allocated again: until then, a word holding its address is a dangling pointer, held
/// by a block that lived when it was freed.
struct DeadBlock {
    var serial: UInt64
    var size: UInt64
    var origin: Int32
    var died: UInt64
    /// Its owner candidate's serial (0: none), for the inferred rule's check.
    var owner: UInt64
    /// The free cascade it died in.
    var cascade: UInt64
    /// A `unique_ptr` that was a standard container's element released it (seventh rules).
    var containerElement = false
    /// A `unique_ptr` nulled before freeing it (thirteenth rules).
    var nulled = false
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
    /// The serial of the block its thread allocated last before that cascade began (0:
    /// none): when it is another holder of the target, the target moved to it (a grown array).
    var after: UInt64 = 0
    /// It was freed as a buffer of weak references (eighth rules).
    var weak = false
}

/// What was observed holding one target block.
struct Holdings {
    var node: Int32
    /// Blocks whose words, when they died, still held the target's address after it was freed
    /// (and were allocated before it was): they held it when it died, all at once.
    var atDeath: [Holder] = []
    /// Blocks that died holding it while it lived.
    var earlier: [Holder] = []
    /// A scan saw a global holding it.
    var rooted = false
    /// The blocks its own words named when it died (by serial): a holder it named back,
    /// allocated after it, holds a back pointer (a doubly linked list's `prev`, a child's
    /// parent), not a share of it.
    var names: [UInt64] = []
    /// The free cascade the target died in (0: not freed, or not seen).
    var cascade: UInt64 = 0
    /// A `unique_ptr` that was an element of a standard container (a map's value, a vector's
    /// element) released it: that container's storage owned it, so a block of its own site
    /// that held it was an intrusive link, not its owner (seventh rules).
    var containerElement = false
    /// A `unique_ptr` freed it after its pointer was nulled (`reset`, a container's element):
    /// a holder still naming it after it died was not that owner (thirteenth rules).
    var nulled = false
}

/// What the blocks of one site were seen doing to the blocks of another as those died: the
/// roles that tell an owner, a sharer and a mere referrer apart (``OwnershipState/settle(_:)``).
struct DeathRoles {
    /// It was the one holder freed with the target (same free cascade), and no other block
    /// held the target before: an owner tearing down what it owns.
    var soleTearer: UInt64 = 0
    /// Of those, when the owner died before the target (a list freed head first).
    var beforeTarget: UInt64 = 0
    /// It was the one holder freed with the target, after other blocks died holding the
    /// target and left it alive: the last holder of a reference count, or an owner whose
    /// borrowers went first.
    var lastOfSeveral: UInt64 = 0
    /// It died holding the target and left it alive, and a later holder was freed with it
    /// (not a move: no holder was allocated just before it died).
    var leftAlive: UInt64 = 0
    /// Two or more holders were freed with the target: a reference count has one last
    /// holder, so this is not sharing, and which one owned it is not seen.
    var coTearer: UInt64 = 0
    /// It held a target of its own site that a standard container's element released (an
    /// intrusive list's link, a child's parent pointer): a link, not an owner (seventh rules).
    var link: UInt64 = 0
    /// It held the target as a weak reference (a buffer of `Weak` or `weak_ptr`): neither an
    /// owner nor a sharer (eighth rules).
    var weak: UInt64 = 0
    /// It died holding the target right after another holder of it was allocated (an array
    /// replaced by a bigger one): it held the target until it handed it on.
    var handedOn: UInt64 = 0
    /// It was freed with the target together with a reference count's control block that
    /// held the target (a `shared_ptr` made from a raw pointer): a holder of the count,
    /// sharing it (tenth rules).
    var countedHolder: UInt64 = 0
    /// It died after the target in the target's free cascade still naming it, when a
    /// `unique_ptr` had nulled its pointer before freeing it: a raw pointer's holder, not
    /// the owner (thirteenth rules).
    var rawHolder: UInt64 = 0
}

/// The serials one block's words named, told apart: a short array searched in order while
/// it is short (most blocks hold a few pointers; a `Set` per dying block hashed each word
/// with SipHash), with a set beside it past ``limit``.
struct SmallSerialSet {
    private var list: [UInt64] = []
    private var set: Set<UInt64>?
    private static let limit = 16

    var isEmpty: Bool { list.isEmpty }

    mutating func insert(_ serial: UInt64) -> (inserted: Bool, memberAfterInsert: UInt64) {
        if set != nil {
            guard set!.insert(serial).inserted else { return (false, serial) }
        } else {
            if list.contains(serial) { return (false, serial) }
            if list.count >= Self.limit { set = Set(list + [serial]) }
        }
        list.append(serial)
        return (true, serial)
    }

    func sorted() -> [UInt64] { list.sorted() }
}

struct SerialPair: Hashable {
    var owner: UInt64
    var target: UInt64
    /// A fixed integer hash, not SipHash (see ``NodePair``): nothing reads the set in its order.
    func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: mixWord(owner &* 0x9E37_79B9_7F4A_7C15 ^ target))
    }
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
    mutating func observeWords(of address: UInt64, ticks: UInt64, cascade: UInt64, after: UInt64 = 0, weak: Bool = false) {
        let dies = cascade != 0
        let words = pendingWords.removeValue(forKey: address)
        guard observesDeaths, let holder = blocks[address] else { return }
        if dies { scannedBlocks[Int(holder.origin)] += 1 }
        guard let words else { return }
        coverage.blocksObservedAtDeath += dies ? 1 : 0
        let me = Holder(serial: holder.serial, node: holder.origin, born: holder.ticks, seen: ticks, cascade: cascade, after: after, weak: weak)
        var seen = SmallSerialSet()
        defer {
            if dies && !seen.isEmpty { holdings[holder.serial, default: Holdings(node: holder.origin)].names = seen.sorted() }
        }
        for (offset, word) in zip(words.offsets, words.targets) where offset &+ 8 <= holder.size {
            // A word pointing inside a block names that block (an intrusive link, a member).
            var target = word
            var found = blocks[word]
            if found == nil && dead[word] == nil, let inside = interior.containing(word) {
                target = inside.start
                found = blocks[target]
            }
            if let live = found, live.serial != holder.serial {
                guard seen.insert(live.serial).inserted else { continue }
                let elsewhere = live.sharedReferrers || (live.ownerByReference && live.owner != holder.serial)
                    || holdings[live.serial]?.earlier.contains { $0.serial != holder.serial } == true
                if rewritten(holder: holder.serial, holderNode: holder.origin, holderBorn: holder.ticks, address: target, serial: live.serial, node: live.origin, heldElsewhere: elsewhere, remembered: !dies) { continue }
                references[NodePair(from: holder.origin, to: live.origin), default: 0] += 1
                if holder.serial < live.serial { referencesToYounger[NodePair(from: holder.origin, to: live.origin), default: 0] += 1 }
                let stale = noteAmbiguity(holder: holder.origin, born: holder.ticks, address: target, target: live.origin)
                referencesAtDeath[NodePair(from: holder.origin, to: live.origin), default: 0] += 1
                if !dies || stale { continue }  // a moved buffer keeps holding it
                holdings[live.serial, default: Holdings(node: live.origin)].earlier.append(me)
                if live.owner == holder.serial { seenHolding.insert(SerialPair(owner: holder.serial, target: live.serial)) }
            } else if let gone = dead[target], holder.ticks <= gone.died {
                guard seen.insert(gone.serial).inserted else { continue }
                let elsewhere = holdings[gone.serial].map { h in (h.atDeath + h.earlier).contains { $0.serial != holder.serial } } ?? false
                if rewritten(holder: holder.serial, holderNode: holder.origin, holderBorn: holder.ticks, address: target, serial: gone.serial, node: gone.origin, heldElsewhere: elsewhere, remembered: !dies) { continue }
                references[NodePair(from: holder.origin, to: gone.origin), default: 0] += 1
                if holder.serial < gone.serial { referencesToYounger[NodePair(from: holder.origin, to: gone.origin), default: 0] += 1 }
                let stale = noteAmbiguity(holder: holder.origin, born: holder.ticks, address: target, target: gone.origin)
                referencesAtDeath[NodePair(from: holder.origin, to: gone.origin), default: 0] += 1
                if stale { continue }
                var held = me
                held.seen = gone.died
                if holdings[gone.serial]?.atDeath.contains(where: { $0.serial == held.serial }) != true {
                    holdings[gone.serial, default: Holdings(node: gone.origin, cascade: gone.cascade, containerElement: gone.containerElement, nulled: gone.nulled)].atDeath.append(held)
                }
                if gone.owner == holder.serial { seenHolding.insert(SerialPair(owner: holder.serial, target: gone.serial)) }
            }
        }
    }

    /// Whether a word of holder `holder` naming the block `serial` (of site `node`) at
    /// `address` is stale (ninth rules): when the holder was last read, the word named
    /// another block there, of another site, which has died since. The program wrote it for
    /// that block and left it (a vector drained by `pop`, whose buffer keeps the popped
    /// pointers past its length, while blocks of another site are made at their addresses).
    /// Only when another block holds (or held) the new block too, so the word is not
    /// what makes it held: a field replaced by a block of another site, which malloc puts
    /// where the freed one was (a renamed node's name), is rewritten, and nothing else holds
    /// the new block. A slot rewritten for a block of the same site (a ring's reused
    /// message) is taken as written. A word never read before is stale on the same terms
    /// when a block of a site the holder's site was seen referring to (in two block pairs)
    /// was at the address and died while the holder lived, and another block holds the new
    /// one (the drained buffer read only as it dies). Otherwise notes what the word names now.
    /// `remembered`: false for a holder that dies now (its words are not read again: nothing is noted).
    mutating func rewritten(holder: UInt64, holderNode: Int32, holderBorn: UInt64, address: UInt64, serial: UInt64, node: Int32, heldElsewhere: Bool,
                            remembered: Bool = true) -> Bool {
        guard options.staleSlots else { return false }
        let last = lastHeldWord(holder: holder, address: address)
        if let before = last, before.serial != serial, before.node != node, heldElsewhere { return true }
        if heldElsewhere && options.previousOccupants && last == nil,
           let history = previousOccupants[address] {
            // Never read before at this address: a block of a site the holder's site refers
            // to was here and died while the holder lived, and another block holds the one
            // here now: the word is taken for one written for that earlier block.
            if history.containsOther(than: node, since: holderBorn, where: { (references[NodePair(from: holderNode, to: $0)] ?? 0) >= Self.minimumObservedPairs }) { return true }
        }
        if remembered { lastHeld[holder, default: WordMap()][address] = HeldWord(serial: serial, node: node) }
        return false
    }

    /// What holder `holder`'s word at `address` named when it was last read.
    func lastHeldWord(holder: UInt64, address: UInt64) -> HeldWord? {
        lastHeld.value(holder, address)
    }

    /// A block freed while deaths are observed: dangling words may still name it.
    mutating func noteDeath(_ block: TrackedBlock, address: UInt64, ticks: UInt64, cascade: UInt64, containerElement: Bool = false, nulled: Bool = false) {
        guard observesDeaths else { return }
        if let previous = dead.removeValue(forKey: address) {
            interior.remove(start: address, size: previous.size, serial: previous.serial)
            settle(previous.serial)
        }
        dead[address] = DeadBlock(serial: block.serial, size: block.size, origin: block.origin, died: ticks, owner: block.owner,
                                  cascade: cascade, containerElement: containerElement, nulled: nulled)
        holdings[block.serial]?.cascade = cascade
        if containerElement { holdings[block.serial]?.containerElement = true }
        if nulled { holdings[block.serial]?.nulled = true }
    }

    /// An address allocated again: words holding it name the new block from now on.
    mutating func reuse(_ address: UInt64) {
        guard let gone = dead.removeValue(forKey: address) else { return }
        interior.remove(start: address, size: gone.size, serial: gone.serial)
        if options.previousOccupants { previousOccupants[address, default: OccupantHistory()].note(gone.origin, died: gone.died) }
        settle(gone.serial)
    }

    /// A word of a block born at `born`, of site `holder`, read at `address` where a block of
    /// site `target` is: when blocks of other sites were there before and died while the
    /// holder lived, the word may be one written for them (eighth rules), counted aside.
    /// Returns whether the word is likely stale already: a previous site is one the holder's
    /// site was seen referring to far more often so far (then it takes no role either).
    @discardableResult
    mutating func noteAmbiguity(holder: Int32, born: UInt64, address: UInt64, target: Int32) -> Bool {
        guard options.previousOccupants, let history = previousOccupants[address],
              history.containsOther(than: target, since: born, where: { _ in true }) else { return false }
        let others = history.others(than: target, since: born)
        let pair = NodePair(from: holder, to: target)
        ambiguousReferences[pair, default: [:]][others, default: 0] += 1
        // A container may hold blocks of several sites (a stack of commands of three kinds):
        // only a previous site far more often referred to (four times, so far) makes the word
        // stale here; the site-level count is judged again at the end (staleReferences).
        let own = references[pair] ?? 0
        return others.contains { node in
            let other = references[NodePair(from: holder, to: node)] ?? 0
            return other >= Self.minimumObservedPairs && other > 4 * own
        }
    }

    /// Per pair, the references that are likely stale words: read where a previous block at
    /// the address was of a site the holder's site is seen referring to more often (and in
    /// two or more block pairs). The program wrote the word for that block and left it when
    /// it let go (a vector's slot past its length after `clear`, a queue's popped slot), and
    /// the block now at that address is another site's (eighth rules).
    func staleReferences() -> [NodePair: UInt64] {
        var stale: [NodePair: UInt64] = [:]
        for (pair, sets) in ambiguousReferences {
            let own = references[pair] ?? 0
            for (others, count) in sets where others.contains(where: { node in
                let other = references[NodePair(from: pair.from, to: node)] ?? 0
                return other >= Self.minimumObservedPairs && other > own
            }) {
                stale[pair, default: 0] += count
            }
        }
        return stale
    }

    /// Turns what was seen holding one target into the roles of its holders' sites. A holder
    /// *tore it down* when it died in the target's free cascade (same thread, no allocation
    /// between) holding its address after the target was freed: the last block to let go.
    /// Other holders died holding it while it lived and *left it alive*; not when a holder
    /// of the target was allocated right before their free cascade began (an array replaced
    /// by a bigger one: the target moved to it), and not when the target named them back and
    /// they were allocated after it (a back pointer). Then:
    /// - one tearer, nobody left it alive: the tearer owned it (`soleTearer`);
    /// - one tearer after others left it alive: a reference count's last holder, or an owner
    ///   whose borrowers went first (`lastOfSeveral`; the others `leftAlive`);
    /// - two or more tearers: no reference count has two last holders (`coTearer`);
    /// - no tearer: the holder that died first in the cascade, holding it while no other
    ///   block seen holding it lived, owned it (a list freed head first); of another site,
    ///   only when it is older than the target (third freeze: a younger one freed first, as
    ///   an index's node is, had been handed a raw pointer while something else owned it);
    /// - a holder that moved it on owned it until then (`handedOn`).
    /// Dangling words in a block freed in a later cascade only refer. A global holding the
    /// target (seen in a scan) keeps its holders from owning it.
    mutating func settle(_ target: UInt64) {
        guard let h = holdings.removeValue(forKey: target) else { return }
        // Seen holding nothing (a dying block's own entry, a rooted block): no role.
        if h.atDeath.isEmpty && h.earlier.isEmpty { return }
        let backPointer = { (holder: Holder) in holder.serial > target && h.names.contains(holder.serial) }
        // A container's element released it: blocks of its own site held it as intrusive
        // links (an order's `prev` and `next`), neither owning it nor leaving it alive.
        let link = { (holder: Holder) in h.containerElement && holder.node == h.node }
        // A `unique_ptr` nulled its pointer before freeing it: blocks still naming it when they
        // died after it, in its cascade, held raw pointers (thirteenth rules).
        let raw = { (holder: Holder) in h.nulled && h.cascade != 0 && holder.cascade == h.cascade }
        let atDeath = h.atDeath.filter { !backPointer($0) && !link($0) && !$0.weak && !raw($0) }
        for pair in Set(h.atDeath.filter { !backPointer($0) && !link($0) && !$0.weak && raw($0) }.map { NodePair(from: $0.node, to: h.node) }) {
            deathRoles[pair, default: DeathRoles()].rawHolder += 1
        }
        let earlier = h.earlier.filter { !backPointer($0) && !link($0) && !$0.weak }
        // Weak references (eighth rules) keep the block's memory, not its value: no role, and
        // they count against their pair's owning or sharing.
        if h.atDeath.contains(where: \.weak) || h.earlier.contains(where: \.weak) {
            for pair in Set((h.atDeath + h.earlier).filter(\.weak).map { NodePair(from: $0.node, to: h.node) }) {
                deathRoles[pair, default: DeathRoles()].weak += 1
            }
        }
        if h.containerElement {
            for pair in Set((h.atDeath + h.earlier).filter(link).map { NodePair(from: $0.node, to: h.node) }) {
                deathRoles[pair, default: DeathRoles()].link += 1
            }
        }
        let everyone = atDeath + earlier
        let tore = h.cascade == 0 ? [] : atDeath.filter { $0.cascade == h.cascade }
        func pairs(_ holders: [Holder]) -> Set<NodePair> { Set(holders.map { NodePair(from: $0.node, to: h.node) }) }
        if tore.count >= 2 {
            // A reference count's control block kept apart from its target (`shared_ptr<T>(new
            // T)`: `_Sp_counted_ptr` holds the pointer and deletes it when the count drops)
            // dies with it, as does the last `shared_ptr`'s holder: the control block owns
            // the target, the other tearers held the count (tenth rules).
            if options.controlBlocks && !isRefcounted(h.node) {
                let controls = tore.filter { nodes[Int($0.node)].controlBlock && $0.node != h.node }
                if controls.count == 1 && Set(tore.map(\.node)).count == tore.count {
                    deathRoles[NodePair(from: controls[0].node, to: h.node), default: DeathRoles()].soleTearer += 1
                    for pair in pairs(tore.filter { $0.serial != controls[0].serial }) { deathRoles[pair, default: DeathRoles()].countedHolder += 1 }
                    return
                }
            }
            // A count made by Rc::new, Arc::new or make_shared has one last holder, but a
            // struct whose counted field was released before its own block was freed (Rust
            // drops a Box's fields, then frees it) still names the target as it dies in the
            // same cascade: each tearer held one count, and those gone before left it alive
            // (sixteenth rules).
            if options.countedCoTearers && isRefcounted(h.node) {
                for pair in pairs(tore) { deathRoles[pair, default: DeathRoles()].countedHolder += 1 }
                for pair in pairs(earlier).subtracting(pairs(tore)) { deathRoles[pair, default: DeathRoles()].leftAlive += 1 }
                return
            }
            for pair in pairs(tore) { deathRoles[pair, default: DeathRoles()].coTearer += 1 }
            return
        }
        var tearer: Holder?
        var before = false
        if tore.count == 1 {
            tearer = tore[0]
        } else if h.cascade != 0 && !h.containerElement {
            // (Not for a container's element: the container frees the storage that held it
            // after it, so a holder freed before it was not its owner.)
            tearer = earlier.first { holder in
                holder.cascade == h.cascade && (holder.node == h.node || holder.serial < target)
                    && !everyone.contains { $0.serial != holder.serial && $0.born <= holder.seen && $0.seen >= holder.seen }
            }
            before = true
        }
        // A reference-counted target whose last holder no dying block shows (a stack's `Rc`
        // dropped last, a count released by code the words do not show): every block that
        // died holding it left it alive, as a count's holders do (eleventh rules).
        if tearer == nil && !h.rooted && options.unseenLastHolders && isRefcounted(h.node) {
            for other in pairs(earlier) { deathRoles[other, default: DeathRoles()].leftAlive += 1 }
            return
        }
        guard let tearer, !h.rooted else { return }
        let pair = NodePair(from: tearer.node, to: h.node)
        let serials = Set(everyone.map(\.serial))
        let moved = { (holder: Holder) in holder.after != holder.serial && serials.contains(holder.after) }
        for other in pairs(earlier.filter(moved)) { deathRoles[other, default: DeathRoles()].handedOn += 1 }
        // A block of the target's own site that died holding it in the target's own free
        // cascade is the list's previous node, freed just before it in one teardown: it did
        // not leave it alive as a reference count's holder does (sixth rules). The last
        // holder then tore down what its neighbours let go: last of several, not alone.
        let neighbours = options.listNeighbours
        let neighbour = { (holder: Holder) in neighbours && h.cascade != 0 && holder.cascade == h.cascade && holder.node == h.node }
        let leftAlive = before ? [] : earlier.filter { !moved($0) && !neighbour($0) }
        if leftAlive.isEmpty && !before && earlier.contains(where: { !moved($0) && neighbour($0) }) {
            deathRoles[pair, default: DeathRoles()].lastOfSeveral += 1
        } else if leftAlive.isEmpty {
            deathRoles[pair, default: DeathRoles()].soleTearer += 1
            if before { deathRoles[pair]!.beforeTarget += 1 }
            if before && tearer.node != h.node && !isRefcounted(h.node) { noteFreedFirst(holder: tearer.serial, pair: pair) }
        } else {
            deathRoles[pair, default: DeathRoles()].lastOfSeveral += 1
            for other in pairs(leftAlive) { deathRoles[other, default: DeathRoles()].leftAlive += 1 }
        }
    }

    /// At the end: every target still open (live, or freed and not reused) is settled.
    mutating func settleAll() {
        dead.removeAll()
        for target in holdings.keys.sorted() { settle(target) }
    }
}
