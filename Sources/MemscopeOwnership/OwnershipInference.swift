import MemscopeAnalysis
import MemscopeModel

/// Settings of the inference rules.
public struct OwnershipOptions: Sendable, Equatable {
    /// Two frees on one thread belong to one cascade only when no more than this many
    /// nanoseconds separate them (and, before the eleventh rules, two allocations to one
    /// burst; ``burstsByEventOrder``).
    public var gapNanoseconds: UInt64
    /// Judged edges (inferred ones, observed owns and shares) whose evidence share is below
    /// this are rejected (counted, not shown): ``OwnershipEdge/evidenceShare``.
    public var minimumConfidence: Double
    /// Sixth rules: an accepted `owns` or `shares` edge implies an inferred `references`
    /// between the same sites when none was observed.
    public var impliedReferences: Bool
    /// Sixth rules: a block freed by a unique owner's release (`unique_ptr`, `Box`, a
    /// container's own buffer) before its linked owner, in the owner's free cascade, while no
    /// block's words held it, supports the link even though the owner's words, read as it
    /// died, no longer held it (the owner nulled its pointer first).
    public var nulledOwners: Bool
    /// Sixth rules: a block of the target's own site that died holding it in the target's
    /// free cascade (a list's previous node) did not leave it alive.
    public var listNeighbours: Bool
    /// Seventh rules: a block a `unique_ptr` released as a standard container's element (a
    /// map's value) was owned by that container's storage: blocks of its own site that held
    /// it (an intrusive list's links) neither owned it nor left it alive.
    public var containerElements: Bool
    /// Eighth rules: an observed `references` that only scans saw, where dying blocks' words
    /// were recorded and never held it, is judged (``OwnershipBasis/scanOnly``).
    public var scanOnlyReferences: Bool
    /// Eighth rules: a word read at an address whose previous block was of a site the holder's
    /// site refers to, and died while the holder lived, is taken for a stale word written for
    /// that block, not a reference to the one there now.
    public var previousOccupants: Bool
    /// Eighth rules: a block freed as a buffer of weak references (`Vec<Weak<T>>`,
    /// `std::vector<std::weak_ptr<T>>`) neither owned nor shared what its words held.
    public var weakHolders: Bool
    /// Eighth rules: where deaths are observed, a block a scan saw held by one block alone,
    /// freed by another thread while that block lived and held by no block's words nor a
    /// global, supports that block's `owns` (it handed the block out, or cleared its slot).
    public var releasedByHolder: Bool
    /// Eighth rules: a site-level reference is rare (left out) only when it is rare both among
    /// the source's blocks read in scans and among those read as they died.
    public var sparsePerReading: Bool
    /// Eighth rules: a block a scan saw held by its owner alone, freed before it in its free
    /// cascade while no block's words held it, supports the owner's `owns` whatever freed it
    /// (C's `free` after `p->field = NULL` too): the scan saw the pointer the owner cleared.
    public var scannedNulledOwners: Bool
    /// Ninth rules: a word a holder was last seen holding for a block of one site, read again
    /// naming a block of another site made at that address since, is stale (the program did
    /// not write it for the new block: a drained vector's slot past its length).
    public var staleSlots: Bool
    /// Tenth rules: where deaths are observed, an observed `references` from the one site
    /// seen referring to a target site (blocks of the target's own site aside), whose blocks
    /// were mostly made before the targets they held, implies an inferred `owns` when
    /// nothing else owns or shares the target site and nothing observed speaks against it
    /// (``OwnershipBasis/soleHolderSite``).
    public var soleHolderSites: Bool
    /// Tenth rules: an observed `shares` resting on one target block is kept when the target
    /// was made by a reference-counting constructor and nothing contradicts it (a count seen
    /// once: one `Arc` or `shared_ptr` shared by a single holder site's one block).
    public var singleCountedShares: Bool
    /// Tenth rules: of the holders freed with a target not made by a reference-counting
    /// constructor, one block of a reference count's control block site (`std::__shared_count`)
    /// owns it and the others share it (a `shared_ptr` made from a raw pointer).
    public var controlBlocks: Bool
    /// Eleventh rules: an allocation joins its thread's creation burst by event order alone
    /// (the same caller, no repeated site, the owner still live), whatever time passed since
    /// the thread's previous allocation: a preempted or slowed recording groups the same
    /// blocks as a quick one.
    public var burstsByEventOrder: Bool
    /// Eleventh rules: of a target made by a reference-counting constructor that holders of
    /// a site left alive, the blocks of that site freed with it (alone, or handing it on)
    /// held a count too: they count for the pair's `shares`, not against it.
    public var countedTargetHolders: Bool
    /// Eleventh rules: a target made by a reference-counting constructor whose last holder
    /// was no heap block (a stack's `Rc`, a global), or was not seen, was left alive by the
    /// blocks that died holding it.
    public var unseenLastHolders: Bool
    /// Eleventh rules: the one site seen referring (``soleHolderSites``) also owns the roots of
    /// a recursive structure: `owns` or `shares` edges from the target's site to itself (a
    /// node owning its children) do not keep it from owning the target's site.
    public var recursiveRoots: Bool
    /// Eleventh rules: for the one site seen referring (``soleHolderSites``), sites none of
    /// whose blocks were made before a target they held (an index built over existing blocks,
    /// a report's array, back pointers) do not count as referring.
    public var laterReferrers: Bool
    /// Twelfth rules: no inferred `owns` of a site whose blocks are made by a reference-counting
    /// constructor (`Rc::new`, `Arc::new`, `make_shared`): a counted block's holders share it,
    /// and a scan's only holder of one may hold it weakly (a `weak_ptr` handle).
    public var countedTargetsUnowned: Bool
    /// Twelfth rules: the one site seen referring (``soleHolderSites``) is no owner when its own
    /// blocks are made by a reference-counting constructor (a shared observer or view pointing
    /// at what it watches).
    public var countedSoleHolders: Bool
    /// Twelfth rules: the one site seen referring (``soleHolderSites``) owns targets handed off
    /// between threads when its own blocks were handed off too (they crossed together: a
    /// transaction and its memo); a holder that stays behind is the channel, not the owner.
    public var handedOffTogether: Bool
    /// Thirteenth rules: a block a `unique_ptr` freed after its pointer was nulled (`reset`,
    /// or a standard container's element, ``containerElements``) has no tearer: its owner's
    /// word no longer named it, so a block that died after it in its free cascade still
    /// naming it held a raw pointer (a dependency list freed after what it lists).
    public var nulledPointerTearers: Bool
    /// Fourteenth rules: a block freed inside a destructor (or drop glue) that the code freeing
    /// another block ran just before freeing it, in one free cascade, was owned by that block
    /// (``OwnershipState/noteTeardown(node:stack:thread:)``): an inferred `owns` where nothing
    /// was observed for the pair.
    public var destructorTeardowns: Bool
    /// Fifteenth rules: a site whose blocks another site's blocks shared as a reference count
    /// (both roles, several times) keeps a count by hand: a block of a third site freed with
    /// one of its blocks held one count, and shares it rather than owning it
    /// (``OwnershipState/handCountedHolders()``).
    public var handCountedTargets: Bool
    /// Fifteenth rules: a block of another site read as the freed-first owner (a list freed
    /// head first) of two or more blocks of one site owns none of them by that reading: it
    /// held an index's or spare capacity's words (``OwnershipState/dropRepeatedFreedFirstPicks()``).
    public var singleFreedFirstTargets: Bool
    /// Sixteenth rules: a target made by a reference-counting constructor that two or more
    /// holders died holding in its free cascade: each held one count (a struct whose counted
    /// field was released before its own block was freed still names the target), so they
    /// share it, and those that let it go earlier left it alive, rather than no role at all.
    public var countedCoTearers: Bool
    public init(gapNanoseconds: UInt64 = 100_000, minimumConfidence: Double = 0.75,
                impliedReferences: Bool = true, nulledOwners: Bool = true, listNeighbours: Bool = true,
                containerElements: Bool = true, scanOnlyReferences: Bool = true,
                previousOccupants: Bool = true, weakHolders: Bool = true,
                releasedByHolder: Bool = true, sparsePerReading: Bool = true,
                scannedNulledOwners: Bool = true, staleSlots: Bool = true, soleHolderSites: Bool = true, singleCountedShares: Bool = true, controlBlocks: Bool = true,
                burstsByEventOrder: Bool = true, countedTargetHolders: Bool = true, unseenLastHolders: Bool = true,
                recursiveRoots: Bool = true, laterReferrers: Bool = true,
                countedTargetsUnowned: Bool = true, countedSoleHolders: Bool = true, handedOffTogether: Bool = true,
                nulledPointerTearers: Bool = true, destructorTeardowns: Bool = true, handCountedTargets: Bool = true,
                singleFreedFirstTargets: Bool = true, countedCoTearers: Bool = true) {
        self.gapNanoseconds = gapNanoseconds
        self.minimumConfidence = minimumConfidence
        self.impliedReferences = impliedReferences
        self.nulledOwners = nulledOwners
        self.listNeighbours = listNeighbours
        self.containerElements = containerElements
        self.scanOnlyReferences = scanOnlyReferences
        self.previousOccupants = previousOccupants
        self.weakHolders = weakHolders
        self.releasedByHolder = releasedByHolder
        self.sparsePerReading = sparsePerReading
        self.scannedNulledOwners = scannedNulledOwners
        self.staleSlots = staleSlots
        self.soleHolderSites = soleHolderSites
        self.singleCountedShares = singleCountedShares
        self.controlBlocks = controlBlocks
        self.burstsByEventOrder = burstsByEventOrder
        self.countedTargetHolders = countedTargetHolders
        self.unseenLastHolders = unseenLastHolders
        self.recursiveRoots = recursiveRoots
        self.laterReferrers = laterReferrers
        self.countedTargetsUnowned = countedTargetsUnowned
        self.countedSoleHolders = countedSoleHolders
        self.handedOffTogether = handedOffTogether
        self.nulledPointerTearers = nulledPointerTearers
        self.destructorTeardowns = destructorTeardowns
        self.handCountedTargets = handCountedTargets
        self.singleFreedFirstTargets = singleFreedFirstTargets
        self.countedCoTearers = countedCoTearers
    }

    public static let `default` = OwnershipOptions()
}

/// Builds the ``OwnershipGraph`` of a dump in one pass over its records.
///
/// Memory grows with live blocks, distinct sites and site pairs, and the references of one
/// scan; never with the number of events.
///
/// ```swift
/// let inference = OwnershipInference()
/// inference.consume(batch)          // every batch, in order
/// let graph = inference.finish()
/// ```
public final class OwnershipInference: RecordConsumer {
    var state: OwnershipState

    /// - Parameter expectedLiveBlocks: how many blocks the dump holds live at once, when a
    ///   first read knows it (the blocks live at its end are a lower bound): the table of
    ///   live blocks is made that big at once, instead of growing to it with a copy beside
    ///   the full one (``BlockTable``).
    public init(options: OwnershipOptions = .default, expectedLiveBlocks: UInt64 = 0) {
        state = OwnershipState(options: options)
        if expectedLiveBlocks > 0 { state.blocks = BlockTable(expected: expectedLiveBlocks) }
    }

    public func consume(_ batch: [Record]) {
        for record in batch { state.consume(record) }
    }

    public func consume(_ batch: RecordBatch) {
        state.consume(batch)
    }

    public func finish() -> OwnershipGraph { state.finish() }
}

/// One live block, as the rules see it.
/// Fields ordered widest first: 64 bytes a block instead of 72. ``BlockTable`` keeps it in a
/// 48-byte slot, with the owner link (rarely set) beside.
struct TrackedBlock {
    var serial: UInt64
    var size: UInt64
    var ticks: UInt64
    /// The block this one is linked to as its owner candidate (serial 0: none).
    var owner: UInt64 = 0
    /// The node of the logical buffer (its first allocation, kept across reallocs).
    var origin: Int32
    /// The node that made its current allocation (the realloc's, after a realloc).
    var site: Int32
    var thread: UInt32
    var ownerNode: Int32 = -1
    var ownerThread: UInt32 = 0
    /// Whether the link came from a scan (sole referrer) rather than from the creation burst.
    var ownerByReference = false
    /// Blocks linked to this one as their owner, not yet judged.
    var dependants: UInt32 = 0
    /// Seen referred to by two or more blocks, or from a module's data (a global), in some scan.
    var sharedReferrers = false
    var rootReferenced = false
}

/// One judgement left open until a free cascade closes.
struct PendingDeath {
    var owner: UInt64
    var ownerNode: Int32
    var node: Int32
    var byReference: Bool
    var referredElsewhere: Bool
    /// The thread that freed the block, and the owner's.
    var thread: UInt32
    var ownerThread: UInt32
    /// The dying block's serial (0: unknown).
    var target: UInt64 = 0
    /// A unique owner's release freed it (``OwnershipState/releasedByUniqueOwner(_:)``) while
    /// its linked owner lived: the owner may have nulled its pointer first (sixth rules).
    var releasedBeforeOwner = false
    /// Its linked owner was alive when it was freed (eighth rules).
    var freedBeforeOwner = false
}

/// Per thread: the current allocation burst and free cascade.
struct ThreadState {
    var burstContext: UInt32 = 0
    var burstOwner: UInt64 = 0
    var burstOwnerAddress: UInt64 = 0
    var burstOwnerNode: Int32 = -1
    var burstSites: [Int32] = []
    var lastAllocation: UInt64 = 0
    /// The serial of the thread's last allocation, and of the last one before its open cascade.
    var lastSerial: UInt64 = 0
    var cascadeAfter: UInt64 = 0
    var hasBurst = false
    /// 0 while no cascade is open.
    var cascade: UInt64 = 0
    var lastFree: UInt64 = 0
    var pending: [PendingDeath] = []
    /// Blocks freed in the open cascade inside a destructor, waiting for their owner's free
    /// (fourteenth rules).
    var teardown: [TeardownCandidate] = []
    var task: UInt64 = 0
}

/// Block pairs for and against one `shares` hypothesis, and why they were for it.
struct SharesTally {
    var support: UInt64 = 0
    var against: UInt64 = 0
    /// Supporting pairs whose target two or more blocks referred to in a scan.
    var byReferrers: UInt64 = 0
    /// Supporting pairs whose target is of a reference-counted type (one referrer).
    var byType: UInt64 = 0
}

/// Supporting and contradicting block pairs of one `owns` hypothesis.
struct Tally {
    var support: UInt64 = 0
    var against: UInt64 = 0
    var byCreation: UInt64 = 0
    var byReference: UInt64 = 0
    /// Owns hypotheses: linked blocks freed while their owner lived (neutral).
    var early: UInt64 = 0
    /// Owns hypotheses: of the supporting pairs, blocks their owner freed while it lived.
    var replaced: UInt64 = 0
    /// Owns hypotheses: of the supporting pairs, blocks moved to a new sole holder after the owner died.
    var moved: UInt64 = 0
    /// Owns hypotheses: of the pairs against, blocks freed with their owner whose words, read as
    /// it died, did not hold them.
    var notHeld: UInt64 = 0
    /// Owns hypotheses: of the supporting pairs, blocks a unique owner's release freed before
    /// their owner, in its cascade, while no block's words held them (sixth rules).
    var nulled: UInt64 = 0
    /// Owns hypotheses: of the supporting pairs, blocks a scan saw held by their owner alone
    /// that another thread freed while the owner lived, held by no block's words nor a global
    /// (eighth rules).
    var released: UInt64 = 0
    /// Owns hypotheses: of the `nulled` pairs, those freed by no unique owner's release (C's
    /// `free`), supported by the scan that saw the owner hold the target alone (eighth rules).
    var scannedNulled: UInt64 = 0
}

struct NodePair: Hashable, Comparable {
    var from: Int32
    var to: Int32
    static func < (a: NodePair, b: NodePair) -> Bool { (a.from, a.to) < (b.from, b.to) }
    /// One word hashed, not two (the maps keyed by pairs are looked up per event).
    func hash(into hasher: inout Hasher) { hasher.combine(UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: to))) }
    /// A fixed integer hash, not SipHash: the pair maps (`owns`, `references`…) are updated
    /// several times per observed word. Nothing reads them in their stored order.
    func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: mixWord(UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: to))))
    }
}

/// A 64-bit finalizer (murmur3's fmix64): every bit of `x` reaches the low bits a hashed
/// collection's buckets are taken from.
@inline(__always) func mixWord(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h &*= 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
}

/// A hand-off's key in ``HandOffTable``, which hashes it.
struct HandOffKey: Equatable {
    var pair: NodePair
    var fromThread: UInt32
    var toThread: UInt32
}
