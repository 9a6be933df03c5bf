import MemscopeAnalysis
import MemscopeModel

extension OwnershipState {
    mutating func finish() -> OwnershipGraph {
        if scan.isOpen { closeScan() }
        settleImage()
        dropRepeatedFreedFirstPicks()
        countLeaks()
        return assemble()
    }

    /// The end of a program image: open cascades closed and settled, and the blocks alive at
    /// the end whose owner died before them judged as having outlived it.
    private mutating func settleImage() {
        for thread in threadIDs.sorted() { closeCascade(of: thread) }
        settleAll()
        for block in blocks.values where block.owner != 0 && deadOwners[block.owner] != nil {
            judge(PendingDeath(owner: block.owner, ownerNode: block.ownerNode, node: block.origin,
                               byReference: block.ownerByReference, referredElsewhere: false,
                               thread: block.thread, ownerThread: block.ownerThread), .apart)
        }
    }

    /// The process replaced its program (`exec`): the old image ended there, and is settled
    /// as at the end of a dump. Its live blocks are forgotten, neither deaths nor leaks (gone
    /// with the image, as the analysis counts them), and so are the words of its freed blocks:
    /// the new program's blocks, at the same addresses, must not be matched against them.
    mutating func endImage() {
        settleImage()
        blocks = BlockTable()
        lastHeld = WordMap()
        pendingWords = WordMap()
        dead = WordMap()
        holdings = WordMap()
        interior = InteriorIndex()
    }

    private mutating func countLeaks() {
        for block in blocks.values {
            nodes[Int(block.site)].leakedBlocks += 1
            nodes[Int(block.site)].leakedBytes &+= block.size
        }
        guard let time = scan.lastTime else { return }
        // Only when a scan can tell leak kinds apart (24 bytes a live block).
        var live: [(address: UInt64, size: UInt64, ticks: UInt64)] = []
        live.reserveCapacity(blocks.count)  // grown by appends, it peaked at 1.5 times its size
        for (address, block) in blocks { live.append((address, block.size, block.ticks)) }
        for entry in LeakKind.classify(references: scan.lastReferences, scanTime: time, live: live) {
            guard let block = blocks[entry.block.address] else { continue }
            var kinds = nodes[Int(block.site)].leakKinds ?? LeakKinds()
            kinds.add(entry.kind, size: entry.block.size)
            nodes[Int(block.site)].leakKinds = kinds
        }
    }

    /// Nodes in a stable order (kind, bytes, location), edges between them.
    private func assemble() -> OwnershipGraph {
        var edges: [(NodePair, OwnershipEdge)] = []
        var coverage = self.coverage
        coverage.deathsObserved = observesDeaths
        func accept(_ pair: NodePair, _ edge: OwnershipEdge) {
            let judged = edge.provenance == .inferred || edge.kind == .owns || edge.kind == .shares
            if judged && edge.evidenceShare < options.minimumConfidence {
                coverage.rejectedHypotheses += 1
            } else {
                edges.append((pair, edge))
            }
        }
        // A reference between sites must recur: rarer ones look like stale words in memory the
        // program never wrote (a reused block still holding an old pointer).
        // Words read where a block of a site the holder refers to was before, which died while
        // the holder lived, are taken for stale words written for that block (eighth rules).
        var references = self.references
        for (pair, count) in staleReferences() {
            let left = (references[pair] ?? 0) - min(count, references[pair] ?? 0)
            references[pair] = left == 0 ? nil : left
            if left == 0 { coverage.staleReferences += 1 }
        }
        var sparse = Set<NodePair>()
        for (pair, count) in references where count * Self.referenceShare < scannedBlocks[Int(pair.from)] {
            // Scans and dying words are two ways of reading a site's blocks: a reference that
            // recurs in one of them is the program's, though the other rarely shows it (an
            // owner that nulls its pointer before the free, seen holding it only in scans;
            // eighth rules).
            if options.sparsePerReading {
                let atDeath = min(referencesAtDeath[pair] ?? 0, count), inScans = count - atDeath
                let scanned = blocksInScans[Int(pair.from)], died = scannedBlocks[Int(pair.from)] - scanned
                if (inScans > 0 && inScans * Self.referenceShare >= scanned) || (atDeath > 0 && atDeath * Self.referenceShare >= died) { continue }
            }
            sparse.insert(pair)
        }
        coverage.sparseReferences = sparse.count
        for (pair, count) in references where !sparse.contains(pair) {
            var edge = OwnershipEdge(from: 0, to: 0, kind: .references,
                                     rule: "a scan saw blocks of the source holding the addresses of blocks of the target",
                                     evidence: count, detail: "block pairs, counted per scan")
            if nodes[Int(pair.from)].containerTypes.keys.contains(Self.openHashTable) {
                edge.basis = .hashTable
            } else if options.scanOnlyReferences && observesDeaths && referencesAtDeath[pair] == nil {
                edge.basis = .scanOnly
            } else if count < Self.minimumObservedPairs {
                edge.basis = .singleSighting
            }
            accept(pair, edge)
        }
        // Observed owns and shares: the roles blocks' words showed as they or their targets
        // died (``DeathRoles``). One block pair is not enough for `shares`, nor for an `owns`
        // with a contradiction: a block's unwritten bytes can still hold an older block's
        // pointer (a stale word), which its words at death cannot tell from a real one. An
        // `owns` resting on one target and nothing against it (a struct's one buffer) is
        // kept in a class of its own (``OwnershipBasis/singleTarget``, fourth rules).
        var observedPairs = Set<NodePair>()
        // Holders of targets counted by hand (fifteenth rules): a site whose blocks another
        // site's blocks shared in both roles of a reference count, several times each.
        let handCounted = options.handCountedTargets ? handCountedHolders() : []
        func counted(_ pair: NodePair) -> Bool { isRefcounted(pair.to) || handCounted.contains(pair) }
        func observed(_ pair: NodePair, _ edge: OwnershipEdge, basis: OwnershipBasis) {
            let once = edge.evidence < Self.minimumObservedPairs
            // A reference count seen once, nothing against it (tenth rules): a target made by a
            // reference-counting constructor, its one sighted holder freed with it or after it
            // (not freed first, as a parent holding its child in a tree of counted nodes is).
            let countedOnce = options.singleCountedShares && edge.kind == .shares && edge.contradictions == 0 && counted(pair)
                && deathRoles[pair]?.beforeTarget == 0
            if once && !countedOnce && (edge.kind != .owns || edge.contradictions > 0) {
                coverage.rejectedHypotheses += 1
                return
            }
            observedPairs.insert(pair)
            var edge = edge
            edge.provenance = .observed
            edge.basis = once ? (countedOnce ? .refcountedTarget : .singleTarget) : basis
            accept(pair, edge)
        }
        for pair in deathRoles.keys.sorted() {
            let roles = deathRoles[pair]!
            let refcounted = counted(pair)
            // A reference-counted target some of the source's blocks left alive: those freed
            // with it, alone or handing it on, were its count's last holders, not owners
            // (eleventh rules).
            let countedHolders = options.countedTargetHolders && refcounted && roles.leftAlive > 0
            let sharing = roles.lastOfSeveral + roles.leftAlive + roles.countedHolder + (countedHolders ? roles.soleTearer + roles.handedOn : 0)
            let sole = (countedHolders ? 0 : roles.soleTearer) + roles.coTearer + roles.link + roles.weak + roles.rawHolder
            if (roles.lastOfSeveral > 0 && roles.leftAlive > 0) || (refcounted && sharing > 0) || roles.countedHolder > 0,
               Double(sharing) >= options.minimumConfidence * Double(sharing + sole) {
                // Both roles of a reference count: its blocks were sometimes the last holder,
                // and sometimes let go while others kept the target. Or one of them, when the
                // target was made by a reference-counting constructor (Rc::new, make_shared).
                // The rule says what was seen; the counts go in the detail, so the report lists
                // each rule once, not once per edge.
                observed(pair, OwnershipEdge(from: 0, to: 0, kind: .shares,
                                         rule: "observed: several blocks held each target; blocks of the source died holding it and left it alive, or were the last holder and were freed with it, as with a reference count" + (isRefcounted(pair.to) ? "; the target is of a reference-counted type" : refcounted ? "; the target's count is kept by hand (another site's blocks shared it as a reference count)" : ""),
                                         evidence: sharing, contradictions: sole,
                                         detail: "\(roles.leftAlive) left it alive; \(roles.lastOfSeveral) were the last holder; against: targets the source freed as their only holder, or together with another holder"),
                         basis: .referenceCount)
                continue
            }
            let support = roles.soleTearer + roles.lastOfSeveral + roles.handedOn
            guard support > 0 else { continue }
            var counts: [String] = []
            let atTarget = roles.soleTearer - roles.beforeTarget
            if atTarget > 0 { counts.append("\(atTarget) still held it when it was freed") }
            if roles.beforeTarget > 0 { counts.append("\(roles.beforeTarget) were freed first, holding it") }
            if roles.lastOfSeveral > 0 { counts.append("\(roles.lastOfSeveral) after blocks that only referred to it had died") }
            let kept = counts.isEmpty ? "" : "the owner was the one holder of the target freed with it, in the same free cascade"
            let handed = roles.handedOn == 0 ? "" : "the owner held it until it was freed right after a new holder of it was made, which took it over"
            if roles.handedOn > 0 { counts.append("\(roles.handedOn) taken over by a new holder") }
            if roles.coTearer > 0 { counts.append("\(roles.coTearer) other targets were freed together with another holder (not counted)") }
            let tally = counts.joined(separator: "; ") + "; "
            if refcounted {
                // A reference count that one holder held at a time is still a reference count:
                // its holder shares the target (an `Rc` or `shared_ptr` copied to no one else),
                // which another holder may join at any time (fourth rules).
                let type = isRefcounted(pair.to) ? "the target is of a reference-counted type (made by Rc::new, Arc::new or make_shared)"
                    : "the target's count is kept by hand (another site's blocks shared it as a reference count: several freed holding it and leaving it alive, the last one freed with it)"
                observed(pair, OwnershipEdge(from: 0, to: 0, kind: .shares,
                                             rule: "observed: " + type + ", and "
                                                 + [kept, handed].filter { !$0.isEmpty }.joined(separator: "; or "),
                                             evidence: support, contradictions: roles.leftAlive,
                                             detail: tally + "against: target blocks the source died holding and left alive"),
                         basis: .refcountedTarget)
                continue
            }
            let links = (roles.link == 0 ? "" : ", or held as links while a container's element owned them (\(roles.link))")
                + (roles.rawHolder == 0 ? "" : ", or still named after a unique_ptr nulled and freed them (\(roles.rawHolder))")
            observed(pair, OwnershipEdge(from: 0, to: 0, kind: .owns,
                                         rule: "observed: " + [kept, handed].filter { !$0.isEmpty }.joined(separator: "; or ") + "; and no global held it",
                                         evidence: support, contradictions: roles.leftAlive + roles.link + roles.weak + roles.rawHolder,
                                         detail: tally + "against: target blocks the source died holding and left alive" + links),
                     basis: Self.ownsBasis(atTarget: atTarget, roles))
        }
        for (pair, var tally) in owns where tally.support > 0 && !observedPairs.contains(pair) {
            // Handed-out targets count only where dying blocks' words also showed the source
            // holding the target's site: scans alone read stale slots too (eighth rules).
            if tally.released > 0 && referencesAtDeath[pair] == nil {
                tally.support -= tally.released
                tally.byReference -= tally.released
                tally.early += tally.released
                tally.released = 0
                if tally.support == 0 { continue }
            }
            // Targets freed by C's `free` right before a holder a scan saw hold them alone
            // count from two on: one is also what an intrusive count's last holder looks
            // like, releasing its reference and then dying (eighth rules: from three; ninth
            // rules: two, no false edge from two targets on the ten sets).
            if tally.scannedNulled > 0 && tally.scannedNulled < Self.minimumScannedNulled {
                tally.support -= tally.scannedNulled
                tally.nulled -= tally.scannedNulled
                tally.byReference -= min(tally.byReference, tally.scannedNulled)
                tally.against += tally.scannedNulled
                tally.notHeld += tally.scannedNulled
                tally.scannedNulled = 0
                if tally.support == 0 { continue }
            }
            // The rule names the ways seen; their counts go in the detail (one rule, many edges).
            var ways: [String] = [], counts: [String] = []
            func way(_ count: Int, _ text: String) {
                guard count > 0 else { return }
                ways.append(text)
                counts.append("\(count) \(text)")
            }
            way(Int(tally.byCreation), "created right after it (same thread and caller)")
            way(Int(tally.byReference), "held only by it in a scan")
            let linked = ways
            ways = []
            way(Int(tally.support - tally.replaced - tally.moved - tally.nulled - tally.released), "freed in the same free cascade")
            if ways.isEmpty { ways.append("freed in the same free cascade") }
            way(Int(tally.replaced), "freed by its thread while it lived and held it alone")
            way(Int(tally.moved), "held alone by it, then by another block after it was freed")
            way(Int(tally.nulled), "freed by a unique owner's release (unique_ptr, Box, a container's buffer) before it, in its free cascade, held by no block's words")
            way(Int(tally.released), "freed by another thread while it lived and held it alone in a scan, held then by no block's words nor a global")
            var edge = OwnershipEdge(from: 0, to: 0, kind: .owns,
                                     rule: "inferred, as no block's words were seen holding the target: linked to an owner block (\(linked.joined(separator: "; or "))), \(ways.joined(separator: ", or ")), and referred to by no other block nor global",
                                     evidence: tally.support, contradictions: tally.against,
                                     detail: counts.joined(separator: "; ") + "; against: freed apart from the owner, or also referred to elsewhere"
                                         + (tally.notHeld > 0 ? ", or freed with an owner whose words did not hold it (\(tally.notHeld))" : "")
                                         + "; \(tally.early) neutral: freed while the owner lived")
            edge.basis = tally.byReference >= tally.byCreation ? .soleReferrer : .createdAfter
            // A counted target's holders share it; a scan's only holder may hold it weakly
            // (twelfth rules).
            if options.countedTargetsUnowned && isRefcounted(pair.to) {
                coverage.rejectedHypotheses += 1
                continue
            }
            accept(pair, edge)
        }
        // Siblings of one creation burst: an inferred `owns B → C` resting on creation, where
        // some site A owns both B and C, is the burst split between A's B and C (A's blocks
        // came more than 100 µs before them), not B owning C (sixth rules). Only where
        // deaths were observed, beside the rule for owners that null their pointer, which
        // made such pairs (without deaths it dropped as many true edges as false ones).
        if options.nulledOwners && observesDeaths {
            let owned = Set(edges.filter { $0.1.kind == .owns }.map(\.0))
            let owners = Dictionary(grouping: owned, by: \.to).mapValues { Set($0.map(\.from)) }
            let before = edges.count
            edges.removeAll { pair, edge in
                guard edge.kind == .owns, edge.provenance == .inferred, edge.basis == .createdAfter, pair.from != pair.to else { return false }
                return !(owners[pair.from] ?? []).intersection(owners[pair.to] ?? []).subtracting([pair.from, pair.to]).isEmpty
            }
            coverage.rejectedHypotheses += before - edges.count
        }
        // The one site seen referring to a target site (tenth rules): where nothing observed
        // owns or shares the target's site, the only other site whose blocks held its blocks,
        // mostly made before them (an owner is made before what it owns; a back pointer
        // names an older block), owns them. This is the owner that clears its pointer before
        // C's `free` (a ring's slot, a root), or whose targets die in cascades of their own,
        // which neither dying words nor a scan's sole-holder link show owning.
        if options.soleHolderSites && observesDeaths {
            // Edges of the target's own site (a node owning its children) leave its roots to
            // the one outside site that holds them (eleventh rules).
            let covered = Set(edges.filter { ($0.1.kind == .owns || $0.1.kind == .shares) && !(options.recursiveRoots && $0.0.from == $0.0.to) }.map(\.0.to))
            var referrers: [Int32: Int] = [:]
            for (pair, count) in self.references where pair.from != pair.to && count > 0 {
                // A site none of whose blocks was made before a target it held (an index or a
                // report built over blocks that exist, a back pointer) is no owner (eleventh rules).
                if options.laterReferrers && (referencesToYounger[pair] ?? 0) == 0 { continue }
                referrers[pair.to, default: 0] += 1
            }
            let candidates = edges.filter { $0.1.kind == .references && $0.1.provenance == .observed }.map(\.0)
            // Targets freed on another thread than the one that made them were handed off
            // (`hands_off`): the holder was the channel, not the owner; unless the holder's
            // blocks were handed off too (twelfth rules): then they went to the other thread
            // together, the holder with what it owns (a transaction and its memo).
            let handedOff = Set(handOffs.entries.map(\.key.pair.from))
            for pair in candidates where pair.from != pair.to && !covered.contains(pair.to) && referrers[pair.to] == 1
                && !rootedNodes.contains(pair.to) && !isRefcounted(pair.to) && (!handedOff.contains(pair.to) || (options.handedOffTogether && handedOff.contains(pair.from)))
                // A holder made by a reference-counting constructor (a shared view pointing at
                // what it watches) is no sole owner (twelfth rules).
                && !(options.countedSoleHolders && isRefcounted(pair.from)) {
                let count = references[pair] ?? 0
                let younger = min(referencesToYounger[pair] ?? 0, count)
                guard count > 0, younger * Self.referenceShare >= count * (Self.referenceShare - 1) else { continue }
                if let roles = deathRoles[pair], roles.leftAlive + roles.link + roles.weak + roles.rawHolder > 0 { continue }
                var edge = OwnershipEdge(from: 0, to: 0, kind: .owns,
                                         rule: "inferred: the only site seen referring to the target's site (besides its own), its blocks made before the targets they held (nine in ten block pairs), "
                                             + (handedOff.contains(pair.to) ? "handed off to another thread as its own blocks were" : "freed on the thread that made them")
                                             + ", and nothing observed owns or shares the target",
                                         evidence: younger, contradictions: count - younger,
                                         detail: "block pairs; against: pairs whose holder was made after the target")
                edge.basis = .soleHolderSite
                observedPairs.insert(pair)
                accept(pair, edge)
            }
        }
        // A target freed inside the destructor that the code freeing the source's block ran just
        // before (fourteenth rules): where nothing observed owns or shares the target's site
        // from another site, and nothing observed speaks against the pair.
        if options.destructorTeardowns {
            let covered = Set(edges.filter { ($0.1.kind == .owns || $0.1.kind == .shares) }.map(\.0))
            let coveredTargets = Dictionary(grouping: covered, by: \.to).mapValues { Set($0.map(\.from)) }
            var tornDownOf: [Int32: UInt64] = [:]
            // (Blocks of the target's own site claimed by its own blocks, a node's children, do
            // not speak against an outer owner of its roots, as for the one site seen referring.)
            for (pair, count) in teardowns where pair.from != pair.to { tornDownOf[pair.to, default: 0] += count }
            for pair in teardowns.keys.sorted() where !covered.contains(pair) && !observedPairs.contains(pair) {
                if let owners = coveredTargets[pair.to], !owners.subtracting([pair.to]).isEmpty { continue }
                if options.countedTargetsUnowned && isRefcounted(pair.to) { continue }
                if let roles = deathRoles[pair], roles.leftAlive + roles.link + roles.weak + roles.rawHolder > 0 { continue }
                let count = teardowns[pair]!
                var edge = OwnershipEdge(from: 0, to: 0, kind: .owns,
                                         rule: "inferred: the target's blocks were freed inside a destructor (or drop glue) that the code freeing the source's block ran just before freeing it, in one free cascade; no block's words were seen owning them",
                                         evidence: count, contradictions: (tornDownOf[pair.to] ?? count) - min(count, tornDownOf[pair.to] ?? count),
                                         detail: "target blocks; against: blocks of the target's site torn down so by blocks of other sites")
                edge.basis = .destructorTeardown
                observedPairs.insert(pair)
                accept(pair, edge)
            }
        }
        // Holding at once is seen in a scan, but whether the holders own the target jointly or
        // some of them merely point at it (a back pointer, an index) is not: inferred, and only
        // when the dump has no words of dying blocks (which tell them apart, above).
        for (pair, tally) in shares where tally.support > 0 && !sparse.contains(pair) && !observedPairs.contains(pair)
            && !observesDeaths {
            var ways: [String] = [], counts: [String] = []
            if tally.byReferrers > 0 { ways.append("referred to by two or more blocks in a scan"); counts.append("\(tally.byReferrers) referred to by two or more blocks in a scan") }
            if tally.byType > 0 { ways.append("of a reference-counted type"); counts.append("\(tally.byType) of a reference-counted type") }
            var edge = OwnershipEdge(from: 0, to: 0, kind: .shares,
                                     rule: "inferred: the target's blocks are held by several blocks (\(ways.joined(separator: "; or "))); whether they own them jointly was not seen",
                                     evidence: tally.support, contradictions: tally.against,
                                     detail: counts.joined(separator: "; ") + "; against: target blocks this source alone referred to")
            edge.basis = .heldBySeveral
            accept(pair, edge)
        }
        // Every owner and sharer holds its target's address: an `owns` or `shares` edge whose
        // source's words were never seen holding the target (an owner that nulls its pointer
        // before freeing it: unique_ptr::reset, Option::take) implies an inferred `references`,
        // with the owning edge's evidence and class (sixth rules).
        // Only where deaths were observed: without dying blocks' words, `owns` rests on
        // creation bursts alone, wrong about half the time.
        if options.impliedReferences && observesDeaths {
            var referenced = Set<NodePair>()
            for (pair, edge) in edges where edge.kind == .references { referenced.insert(pair) }
            let owning = edges.filter { $0.1.kind == .owns || $0.1.kind == .shares }
                .sorted { ($0.1.confidence, $0.1.kind == .owns ? 1 : 0) > ($1.1.confidence, $1.1.kind == .owns ? 1 : 0) }
            for (pair, edge) in owning where referenced.insert(pair).inserted {
                var implied = OwnershipEdge(from: 0, to: 0, kind: .references,
                                            rule: "inferred from the `\(edge.kind.rawValue)` edge between the same sites: an owner or sharer holds its target's address, though no word was seen holding it (or too rarely)",
                                            evidence: edge.evidence, contradictions: edge.contradictions,
                                            detail: "the \(edge.kind.rawValue) edge's " + edge.detail)
                implied.provenance = .inferred
                implied.basis = edge.basis
                accept(pair, implied)
            }
        }
        for (pair, count) in reallocs {
            accept(pair, OwnershipEdge(from: 0, to: 0, kind: .reallocates,
                                       rule: "realloc moved or resized a buffer first allocated at the source",
                                       evidence: count, detail: "realloc calls"))
        }
        for (key, value) in handOffs.entries {
            var edge = OwnershipEdge(from: 0, to: 0, kind: .handsOff, rule: "allocated on one thread, freed on another",
                                     evidence: value.blocks,
                                     detail: "thread \(key.fromThread) → thread \(key.toThread), \(value.bytes) bytes")
            edge.threads = .init(from: key.fromThread, to: key.toThread)
            accept(key.pair, edge)
        }
        for (pair, count) in taskAllocations {
            accept(pair, OwnershipEdge(from: 0, to: 0, kind: .task,
                                       rule: "allocated while the thread ran the task (task annotations)",
                                       evidence: count, detail: "allocations"))
        }

        // Node order: allocation sites by bytes, then the rest; only nodes with blocks or edges.
        var used = Set<Int32>()
        for (pair, _) in edges {
            used.insert(pair.from)
            used.insert(pair.to)
        }
        var order = nodes.indices.filter { nodes[$0].blocks > 0 || used.contains(Int32($0)) }
        // Read in place: a node is a dozen fields with strings and sets, which a copy per
        // comparison retained and released.
        nodes.withUnsafeBufferPointer { nodes in
            order.sort { a, b in
                let x = nodes[a].key, y = nodes[b].key
                if x.kind != y.kind { return kindRank(x.kind) < kindRank(y.kind) }
                if nodes[a].bytes != nodes[b].bytes { return nodes[a].bytes > nodes[b].bytes }
                return (x.function, x.file, x.line, x.module, x.task, x.code)
                    < (y.function, y.file, y.line, y.module, y.task, y.code)
            }
        }
        var idOf = [Int](repeating: -1, count: nodes.count)
        for (id, index) in order.enumerated() { idOf[index] = id + 1 }
        var graphNodes = order.map { index in makeNode(nodes[index], id: idOf[index]) }
        var perLine: [String: Int] = [:]
        for node in graphNodes where node.kind == .allocationSite && node.line > 0 { perLine["\(node.file):\(node.line)", default: 0] += 1 }
        for i in graphNodes.indices where (perLine["\(graphNodes[i].file):\(graphNodes[i].line)"] ?? 0) > 1 {
            graphNodes[i].sharesLine = graphNodes[i].kind == .allocationSite
        }
        var graphEdges = edges.map { pair, edge in
            var e = edge
            e.from = idOf[Int(pair.from)]
            e.to = idOf[Int(pair.to)]
            return e
        }
        // Sorted as indices, ties kept in their order (as the stable sort of the edges did): an
        // edge is a dozen words with two strings, which the sort's merges copied at every move.
        var edgeOrder = Array(graphEdges.indices)
        graphEdges.withUnsafeBufferPointer { e in
            edgeOrder.sort { a, b in
                if e[a].kind != e[b].kind { return e[a].kind < e[b].kind }
                if e[a].from != e[b].from { return e[a].from < e[b].from }
                if e[a].to != e[b].to { return e[a].to < e[b].to }
                if e[a].detail != e[b].detail { return e[a].detail < e[b].detail }
                return a < b
            }
        }
        graphEdges = edgeOrder.map { graphEdges[$0] }
        return OwnershipGraph(nodes: graphNodes, edges: graphEdges, coverage: coverage)
    }

    /// The basis of an observed `owns`: the role most of its targets showed, the weaker
    /// one on a tie (freed first, last of several, handed on, held at death).
    static func ownsBasis(atTarget: UInt64, _ roles: DeathRoles) -> OwnershipBasis {
        let counts: [(OwnershipBasis, UInt64)] = [(.freedFirst, roles.beforeTarget), (.lastOfSeveral, roles.lastOfSeveral),
                                                  (.handedOn, roles.handedOn), (.heldAtDeath, atTarget)]
        var best = counts[0]
        for entry in counts.dropFirst() where entry.1 > best.1 { best = entry }
        return best.0
    }

    /// The container type of open-addressing hash tables (``ContainerTypes``), whose buckets
    /// keep deleted entries' words.
    static let openHashTable = "HashMap (hashbrown)"
    /// A site-level reference needs at least one of this many scanned source blocks to hold one.
    static let referenceShare: UInt64 = 10
    /// An observed owns or shares edge needs this many supporting block pairs.
    static let minimumObservedPairs: UInt64 = 2
    /// An inferred `owns` resting on targets a scan saw held alone and C's `free` released
    /// before their holder needs this many of them (eighth rules: 3; ninth rules: 2).
    static let minimumScannedNulled: UInt64 = 2

    private func kindRank(_ kind: OwnershipNodeKind) -> Int {
        switch kind {
        case .allocationSite: 0
        case .freeSite: 1
        case .task: 2
        }
    }

    private func makeNode(_ n: NodeAccumulator, id: Int) -> OwnershipNode {
        var node = OwnershipNode(id: id, kind: n.key.kind, function: n.key.function, file: n.key.file, line: n.key.line,
                                 module: n.key.module, blocks: n.blocks, bytes: n.bytes, leakedBlocks: n.leakedBlocks,
                                 leakedBytes: n.leakedBytes, leakKinds: n.leakKinds, threads: n.threads.sorted())
        node.column = n.key.column
        node.variables = mostFrequentFirst(n.variables)
        if let annotated = mostFrequentFirst(n.annotatedTypes).first {
            node.type = annotated
            node.typeProvenance = .observed
            node.typeRule = "annotated by the program (memscope_annotate)"
        } else if let best = n.containerTypes.sorted(by: { ($0.value.count, $1.key) > ($1.value.count, $0.key) }).first {
            node.type = best.key
            node.typeProvenance = .inferred
            node.typeRule = best.value.rule
        }
        return node
    }

    private func mostFrequentFirst(_ counts: [String: UInt64]) -> [String] {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
    }
}
