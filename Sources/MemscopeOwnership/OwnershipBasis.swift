/// What a judged edge (`owns`, `shares`) rests on: with its kind and provenance, the class
/// its confidence is calibrated by (``OwnershipCalibration``). Defined by the mechanism that
/// produced the edge, before any program was scored: edges resting on different kinds of
/// sighting are right at different rates (a scan seeing the one holder of a block against a
/// block created right after another; a holder freed with its target against one freed
/// before it), however much evidence each has.
public enum OwnershipBasis: String, Sendable, CaseIterable, Comparable {
    /// Observed facts (`references` seen in two or more block pairs, `reallocates`,
    /// `hands_off`, `task`): not judged.
    case fact
    /// Observed `references` resting on one block pair: a single word holding an address,
    /// which a stale word (memory the program never wrote) also is.
    case singleSighting = "single_sighting"
    /// Observed `references` out of an open-addressing hash table's buckets (Rust's
    /// `HashMap`, `hashbrown`): a deleted entry's words stay in its bucket, and once the
    /// address they hold is allocated again they name a block the table never held (sixth
    /// rules).
    case hashTable = "hash_table"
    /// Observed `references` that only pointer scans saw, in a dump where dying blocks' words
    /// never held them (eighth rules): a scan reads a block's every word, past a vector's
    /// length and in cleared slots too, where pointers the program stopped using stay.
    case scanOnly = "scan_only"
    /// Observed `owns`: mostly the one holder still holding the target when it was freed.
    case heldAtDeath = "held_at_death"
    /// Observed `owns`: mostly freed first in the target's free cascade, holding it while
    /// nothing else did (a list freed head first).
    case freedFirst = "freed_first"
    /// Observed `owns`: mostly the last holder, freed with the target after blocks that
    /// held it too had died leaving it alive.
    case lastOfSeveral = "last_of_several"
    /// Observed `owns`: mostly held the target until a new holder of it was made.
    case handedOn = "handed_on"
    /// Observed `owns` resting on one target block (an owner with a single buffer): one
    /// word, which a stale word could also be.
    case singleTarget = "single_target"
    /// Observed `shares` of blocks made by a reference-counting constructor (`Rc::new`,
    /// `make_shared`) whose holders were seen one at a time: a count with one holder looks
    /// owned, and is still a count.
    case refcountedTarget = "refcounted_target"
    /// Observed `shares`: a reference count's signature.
    case referenceCount = "reference_count"
    /// Inferred `owns`: mostly a scan saw the owner hold the target alone.
    case soleReferrer = "sole_referrer"
    /// Inferred `owns`: mostly the target was created right after the owner.
    case createdAfter = "created_after"
    /// Inferred `owns` (tenth rules): the source is the one site seen referring to the
    /// target's site (besides the target's own), its blocks made before the targets they
    /// held, and nothing observed owns, shares or contradicts it: the owner that cleared its
    /// pointer before the free, or whose targets died apart from it.
    case soleHolderSite = "sole_holder_site"
    /// Inferred `owns` (fourteenth rules): the target's blocks were freed inside a destructor
    /// (or drop glue) that the code freeing the source's block ran just before it, in one free
    /// cascade: a member a `unique_ptr` nulled, a map node's value.
    case destructorTeardown = "destructor_teardown"
    /// Inferred `shares`: several blocks held the target in a scan, or it is of a
    /// reference-counted type.
    case heldBySeveral = "held_by_several"

    public static func < (a: OwnershipBasis, b: OwnershipBasis) -> Bool { a.rawValue < b.rawValue }

    /// The kind and provenance of the judged `owns` or `shares` edges resting on this basis
    /// (nil for facts and single sightings). An inferred `references` implied by such an edge
    /// (sixth rules) keeps its basis and is scored at that class's rate: every owner and
    /// sharer holds its target's address, so the reference is true at least as often.
    public var owningClass: (kind: OwnershipEdgeKind, provenance: Provenance)? {
        switch self {
        case .fact, .singleSighting, .hashTable, .scanOnly: nil
        case .heldAtDeath, .freedFirst, .lastOfSeveral, .handedOn, .singleTarget: (.owns, .observed)
        case .referenceCount, .refcountedTarget: (.shares, .observed)
        case .soleReferrer, .createdAfter, .soleHolderSite, .destructorTeardown: (.owns, .inferred)
        case .heldBySeveral: (.shares, .inferred)
        }
    }

    /// The basis in words, for the report's rule column.
    public var words: String {
        switch self {
        case .fact: "an observed fact"
        case .singleSighting: "references seen in one block pair only"
        case .hashTable: "references read in a hash table's buckets, where deleted entries' words stay"
        case .scanOnly: "references seen only by pointer scans, never in dying blocks' words"
        case .heldAtDeath: "owners seen holding their target alone when it was freed"
        case .freedFirst: "owners freed first in their target's free cascade"
        case .lastOfSeveral: "owners freed last, with their target, after other holders"
        case .handedOn: "owners seen handing their target on to a new holder"
        case .singleTarget: "owners seen with one target block only"
        case .refcountedTarget: "holders of targets made by a reference-counting constructor, seen one at a time"
        case .referenceCount: "sharers seen dying one by one, as with a reference count"
        case .soleReferrer: "owners seen by a scan as their target's only holder"
        case .createdAfter: "owners whose targets were created right after them"
        case .soleHolderSite: "the one site seen referring to the target's site, made before its targets"
        case .destructorTeardown: "targets freed inside the destructor run by the code that freed the owner right after"
        case .heldBySeveral: "targets held by several blocks in a scan, or of a reference-counted type"
        }
    }
}
