import MemscopeAnalysis
import MemscopeModel

/// Per node, what the finished graph reports.
struct NodeAccumulator {
    var key: NodeKey
    var blocks: UInt64 = 0
    var bytes: UInt64 = 0
    var leakedBlocks: UInt64 = 0
    var leakedBytes: UInt64 = 0
    var leakKinds: LeakKinds?
    var annotatedTypes: [String: UInt64] = [:]
    var variables: [String: UInt64] = [:]
    var containerTypes: [String: (count: UInt64, rule: String, refcounted: Bool)] = [:]
    var threads: Set<UInt32> = []
    /// A reference-counting constructor made its blocks (``OwnershipState/noteContainer(_:node:)``).
    var refcountedConstructor = false
    /// A reference count's control block apart from its object made its blocks: `shared_ptr`'s
    /// count constructor from a raw pointer (`std::__shared_count`), not `make_shared`'s
    /// in-place block (tenth rules).
    var controlBlock = false
}

/// The rules' state; see ``OwnershipInference``.
struct OwnershipState {
    let options: OwnershipOptions
    var clockUnit: UInt64 = 1
    var symbols = SymbolTable()
    var resolver = SiteResolver()
    var nodes: [NodeAccumulator] = []
    var nodeIndex: [NodeKey: Int32] = [:]
    /// Per stack id: its allocation-site node, and its free-site node.
    var siteNodeOfStack = NodeOfStack()
    var freeNodeOfStack = NodeOfStack()
    /// Per frame id: the container its function reveals (recognised once per frame).
    var containerOfFrame = DenseCache<ContainerType?>()
    /// Per stack id: the frame of its innermost container type, -1: none
    /// (``innermostContainer(_:)``).
    var containerFrameOfStack = ContainerFrameCache()
    /// Per frame id, whether it is a runtime's or allocator's (``isRuntimeFrame(_:)`` of its
    /// name), found once: every new site's callers are checked (8% of a render's CPU time
    /// on the 1M benchmark, recomputed per stack).
    var runtimeFrame = DenseCache<Bool>()
    /// Per frame id, what the control-block rule reads of its qualified name
    /// (``ControlBlockFrame``), found once per settled frame: every new stack walks its frames.
    var controlBlockFrame = DenseCache<ControlBlockFrame>()
    /// Per free stack id: whether a unique owner's release freed the block (``releasedByUniqueOwner(_:)``).
    var uniqueReleaseOfStack = StringOfStackCache()
    /// Per node: its function up to the first ` ← ` (what a unique owner's release is told apart from).
    var madeFunctionOfNode = DenseCache<String>()
    /// Per free stack id: whether a container's element released the block (``releasedAsContainerElement(_:)``).
    var containerElementOfStack = DenseCache<Bool>()
    /// Per free stack id: whether a buffer of weak references was freed (``freedAsWeakReferences(_:)``).
    var weakReleaseOfStack = DenseCache<Bool>()
    var resetReleaseOfStack = DenseCache<Bool>()
    /// Per stack id: whether it runs a destructor or drop glue; per frame id: whether it is one
    /// (fourteenth rules, ``isDestructor(_:)``).
    var destructorOfStack = DenseCache<Bool>()
    var destructorFrame = DenseCache<Bool>()
    /// Per pair of free stacks (target's high, holder's low): ``tornDownOnce(_:by:)``.
    var tornDownOfStacks: [UInt64: Bool] = [:]
    /// Per pair: blocks of the target's site freed inside a destructor that the code freeing a
    /// block of the source's site ran just before (fourteenth rules).
    var teardowns: [NodePair: UInt64] = [:]
    var blocks = BlockTable()
    var serials: UInt64 = 0
    /// Per thread, densely: its burst and cascade (``slot(_:)`` finds a thread's index).
    var threads: [ThreadState] = []
    var threadSlots: [UInt32: Int] = [:]
    /// The last thread ``slot(_:)`` was asked for (`UInt64.max`: none) and its slot.
    var lastSlotThread: UInt64 = .max
    var lastSlot = 0
    var threadIDs: [UInt32] = []
    var cascades: UInt64 = 0
    /// Owners that died while blocks linked to them were alive: their cascade and how many
    /// of those blocks are still to be judged.
    var deadOwners = WordMap<(cascade: UInt64, dependants: UInt32)>()
    /// Where the live owners with dependants are (by serial; realloc moves them).
    var ownerAddresses = WordMap<UInt64>()

    var owns: [NodePair: Tally] = [:]
    var shares: [NodePair: SharesTally] = [:]
    var references: [NodePair: UInt64] = [:]
    /// Of those, the block pairs seen in dying blocks' words (the rest: in scans).
    var referencesAtDeath: [NodePair: UInt64] = [:]
    /// Of the references, the block pairs whose holder was made before the block it held
    /// (tenth rules: an owner is made before what it owns; a back pointer names an older block).
    var referencesToYounger: [NodePair: UInt64] = [:]
    /// Sites a global was seen holding a block of, in a scan.
    var rootedNodes: Set<Int32> = []
    /// While deaths are observed: per address allocated again, the last sites whose blocks
    /// were there before, and when the last of each died (eighth rules).
    var previousOccupants = WordMap<OccupantHistory>()
    /// Of the references, those read at an address where blocks of other sites had been
    /// and died while the holder lived: per pair, per set of those sites, how many. The word
    /// may be one the holder wrote for such a block and never cleared (a vector's slot past
    /// its length), ``OwnershipState/staleReferences()``.
    var ambiguousReferences: [NodePair: [[Int32]: UInt64]] = [:]
    /// Per live holder (by serial), per address it was seen holding: the block that was
    /// there when it was last read (ninth rules, ``OwnershipState/rewritten(holder:holderNode:holderBorn:address:serial:node:heldElsewhere:)``).
    var lastHeld = WordMap<WordMap<HeldWord>>()
    var reallocs: [NodePair: UInt64] = [:]
    var handOffs = HandOffTable()
    var taskAllocations: [NodePair: UInt64] = [:]
    var scan = ScanCollector()
    /// Dying blocks' words (block_references): whether the dump records them, the words of
    /// blocks about to die, the freed blocks dangling words may still name, what was seen
    /// holding each target (by serial), and the owner candidates seen holding their block.
    var observesDeaths = false
    var pendingWords = WordMap<BlockReferences>()
    var dead = WordMap<DeadBlock>()
    var holdings = WordMap<Holdings>()
    /// While deaths are observed: the live and dead blocks by page, for words pointing inside.
    var interior = InteriorIndex()
    var seenHolding: Set<SerialPair> = []
    var deathRoles: [NodePair: DeathRoles] = [:]
    /// Per holder block and site pair: how often it was read as a freed-first owner (fifteenth
    /// rules, ``dropRepeatedFreedFirstPicks()``).
    var freedFirstPicks: [FreedFirstPick: UInt64] = [:]
    /// Per node: its blocks live at a scan, summed over the scans.
    var scannedBlocks: [UInt64] = []
    /// Of those, the blocks live at a scan (the rest: blocks whose words were read as they died).
    var blocksInScans: [UInt64] = []
    var coverage = OwnershipCoverage()

    init(options: OwnershipOptions) {
        self.options = options
    }

    /// Every record of `batch`, in order. A method of the state, not of the inference that
    /// holds it: one access to the state for the batch, and the block table is read in place
    /// for its prefetches (through the inference, each event's prefetch copied the table's
    /// header and retained its buffers).
    mutating func consume(_ batch: RecordBatch) {
        // The block table's slots are scattered over tens of MB: the home slot of an event a
        // few ahead is asked for now, so its miss overlaps this event's work.
        let events = batch.events
        let count = batch.eventCount
        var e = 0
        batch.forEachInOrder(event: { event in
            if e + Self.lookahead < count {
                let ahead = events[e + Self.lookahead]
                blocks.prefetch(ahead.kind == .realloc ? ahead.oldAddress : ahead.address)
            }
            e += 1
            consume(event.record)
        }, record: { consume($0) })
    }

    /// How many events ahead the block table's slots are prefetched.
    static let lookahead = 8

    mutating func consume(_ record: Record) {
        if scan.isOpen, !record.isPointerReference { closeScan() }
        switch record {
        case .meta(let meta): clockUnit = max(1, meta.clockUnitNanoseconds)
        case .string, .frame, .stack: symbols.apply(record)
        case .alloc(let a): allocate(a.address, size: a.size, stack: a.stack, thread: a.thread, ticks: a.timestamp, origin: nil)
        case .free(let f): release(f.address, stack: f.stack, thread: f.thread, ticks: f.timestamp)
        case .realloc(let r): reallocate(r)
        case .annotation(let a): annotate(a)
        case .task(_, let thread, let task):
            threads[slot(thread)].task = task
            if task != 0 {
                coverage.taskAnnotations = true
                nodes[Int(node(for: NodeKey(task: task)))].threads.insert(thread)
            }
        case .pointerReference(let reference): observe(reference)
        case .blockReferences(let words): noteWords(words)
        case .exec: endImage()
        default: break
        }
    }

    /// Up to how many threads ``slot(_:)`` finds a thread in ``threadIDs`` by a scan.
    static let threadsScanned = 16

    /// The index of a thread's state, created on first use.
    mutating func slot(_ thread: UInt32) -> Int {
        // Consecutive events are mostly one thread's, and an event asks several times.
        if UInt64(thread) == lastSlotThread { return lastSlot }
        let found: Int
        // A few threads are looked for in their list (events of several threads interleave:
        // the dictionary's hash was most of this function's time); many in the dictionary.
        if threadIDs.count <= Self.threadsScanned, let known = threadIDs.firstIndex(of: thread) {
            found = known
        } else if threadIDs.count > Self.threadsScanned, let known = threadSlots[thread] {
            found = known
        } else {
            threads.append(ThreadState())
            threadIDs.append(thread)
            threadSlots[thread] = threads.count - 1
            found = threads.count - 1
        }
        lastSlotThread = UInt64(thread)
        lastSlot = found
        return found
    }

    // MARK: Nodes

    mutating func node(for key: NodeKey) -> Int32 {
        if let known = nodeIndex[key] { return known }
        let index = Int32(nodes.count)
        nodes.append(NodeAccumulator(key: key))
        scannedBlocks.append(0)
        blocksInScans.append(0)
        nodeIndex[key] = index
        return index
    }

    /// The allocation-site node of a stack.
    mutating func siteNode(_ stack: UInt32) -> Int32 {
        if let known = siteNodeOfStack[stack] { return known }
        let node = resolveNode(stack, kind: .allocationSite)
        siteNodeOfStack[stack] = node
        noteContainer(stack, node: node)
        return node
    }

    /// The free-site node of a stack.
    mutating func freeNode(_ stack: UInt32) -> Int32 {
        if let known = freeNodeOfStack[stack] { return known }
        let node = resolveNode(stack, kind: .freeSite)
        freeNodeOfStack[stack] = node
        return node
    }

    /// Whether frame `frame` is runtime code (``isRuntimeFrame(_:)`` of its name), found once
    /// per frame; `name` is evaluated only the first time.
    mutating func isRuntime(_ frame: UInt32, named name: @autoclosure () -> String) -> Bool {
        if let known = runtimeFrame[frame] { return known }
        let found = isRuntimeFrame(name())
        runtimeFrame[frame] = found
        return found
    }

    /// A frame's name as a release rule matches it: without a leading return type, and
    /// without the `<` of a Rust trait implementation (`<alloc::boxed::Box<T> as Drop>::drop`).
    static func qualifiedName(_ name: String) -> Substring {
        let bare = nameAfterReturnType(name).map(String.init) ?? name
        return bare.hasPrefix("<") ? bare.dropFirst() : Substring(bare)
    }

    private mutating func resolveNode(_ stack: UInt32, kind: OwnershipNodeKind) -> Int32 {
        let site = resolver.resolve(stack, symbols).siteStack
        let frame = symbols.frame(site == 0 ? 0 : symbols.stackFrames[Int(site)])
        var key = NodeKey(kind: kind, frame: frame, symbols: symbols)
        if site == 0 { key.function = "(no stack)" }
        // A frame without a symbol may be a stripped library's own allocation wrapper
        // (sqlite's static sqlite3MemMalloc), which would fold every block of the library
        // into one node: such a site is told apart by its first named caller outside
        // allocators (past further unnamed frames, sqlite's sqlite3Malloc and the like),
        // else its first caller outside allocators.
        let table = symbols
        let named = { (id: UInt32) in !table.string(table.frame(id).function).isEmpty }
        // Only an unnamed site looks for its caller: the first named caller outside allocators,
        // else the first outside them (a stack's callers were all classified for every site).
        if site != 0, !named(frame.id) {
            var firstCaller: UInt32?
            var namedCaller: UInt32?
            var current = symbols.stackParents[Int(site)]
            while current != 0, Int(current) < symbols.stackParents.count {
                let id = symbols.stackFrames[Int(current)]
                if !isRuntime(id, named: table.displayName(ofFrame: id)) {
                    if firstCaller == nil { firstCaller = id }
                    if named(id) {
                        namedCaller = id
                        break
                    }
                }
                current = symbols.stackParents[Int(current)]
            }
            if let caller = namedCaller ?? firstCaller {
                key.function += " ← " + symbols.displayName(ofFrame: caller)
                key.code += " ← " + symbols.stableCodeKey(ofFrame: caller)
            }
        }
        return node(for: key)
    }

    /// Types recognised from the stack's functions, counted per node. A reference-counting
    /// constructor anywhere between the allocator and the site's own frame (`Arc::new`
    /// calling `Box::new`) makes the node reference-counted; one further out does not (a
    /// member vector built inside `make_shared`'s constructor call is not shared).
    private mutating func noteContainer(_ stack: UInt32, node: Int32) {
        if options.controlBlocks && !nodes[Int(node)].controlBlock {
            let site = resolver.resolve(stack, symbols).siteStack
            var count = false, inPlace = false
            var current = stack
            while current != 0, Int(current) < symbols.stackFrames.count {
                let flags = controlBlockFlags(symbols.stackFrames[Int(current)])
                if flags.contains(.sharedCount) { count = true }
                if flags.contains(.inPlace) { inPlace = true }
                if current == site { break }
                current = symbols.stackParents[Int(current)]
            }
            if count && !inPlace { nodes[Int(node)].controlBlock = true }
        }
        if !nodes[Int(node)].refcountedConstructor {
            let site = resolver.resolve(stack, symbols).siteStack
            var current = stack
            while current != 0, Int(current) < symbols.stackFrames.count {
                let frame = symbols.stackFrames[Int(current)]
                if containerOfFrame[frame] == nil {
                    containerOfFrame[frame] = .some(ContainerTypes.recognise(symbols.displayName(ofFrame: frame)))
                }
                if let type = containerOfFrame[frame] ?? nil, type.refcounted {
                    nodes[Int(node)].refcountedConstructor = true
                    break
                }
                if current == site { break }
                current = symbols.stackParents[Int(current)]
            }
        }
        guard let type = innermostContainer(stack) else { return }
        let known = nodes[Int(node)].containerTypes[type.name]
        nodes[Int(node)].containerTypes[type.name] = ((known?.count ?? 0) + 1, known?.rule ?? type.rule, type.refcounted)
    }

    /// The container type of the innermost frame of `stack` that reveals one (frames
    /// innermost first, as frames(ofStack:) lists them), found once per node of the stack
    /// trie: a stack's answer is its own frame's, else its caller's (a compiler's stacks
    /// are 30–80 frames deep, and each new stack walked all of them).
    private mutating func innermostContainer(_ stack: UInt32) -> ContainerType? {
        var walked: [UInt32] = []
        var found: Int64 = -1  // the frame; -1: none
        var settled = true
        var current = stack
        while true {
            if current == 0 { break }
            guard Int(current) < symbols.stackParents.count else {
                // A stack not defined yet: no answer is kept for the stacks below it.
                settled = false
                break
            }
            if let known = containerFrameOfStack[current] {
                found = known
                break
            }
            let frame = symbols.stackFrames[Int(current)]
            if containerOfFrame[frame] == nil {
                containerOfFrame[frame] = .some(ContainerTypes.recognise(symbols.displayName(ofFrame: frame)))
            }
            walked.append(current)
            if (containerOfFrame[frame] ?? nil) != nil {
                found = Int64(frame)
                break
            }
            current = symbols.stackParents[Int(current)]
        }
        if settled {
            for node in walked { containerFrameOfStack[node] = found }
        }
        return found < 0 ? nil : containerOfFrame[UInt32(found)] ?? nil
    }

    /// What the control-block rule reads of frame `frame`'s qualified name: a `shared_ptr`'s
    /// count constructor, and an in-place control block's maker.
    mutating func controlBlockFlags(_ frame: UInt32) -> ControlBlockFrame {
        if let known = controlBlockFrame[frame] { return known }
        let name = Self.qualifiedName(symbols.displayName(ofFrame: frame))
        var flags: ControlBlockFrame = []
        if name.hasPrefix("std::__shared_count<") { flags.insert(.sharedCount) }
        if name.contains("make_shared<") || name.contains("allocate_shared<") || name.contains("_Sp_counted_ptr_inplace<") { flags.insert(.inPlace) }
        if symbols.isSettled(frame: frame) { controlBlockFrame[frame] = flags }
        return flags
    }

    func nanoseconds(_ ticks: UInt64) -> UInt64 { ticks.multipliedReportingOverflow(by: clockUnit).partialValue }

    func isRefcounted(_ node: Int32) -> Bool {
        nodes[Int(node)].refcountedConstructor || nodes[Int(node)].containerTypes.values.contains { $0.refcounted }
    }
}

/// What the control-block rule (tenth rules) reads of one frame's qualified name.
struct ControlBlockFrame: OptionSet {
    var rawValue: UInt8
    /// `std::__shared_count<…>`: a `shared_ptr`'s count constructor.
    static let sharedCount = ControlBlockFrame(rawValue: 1)
    /// `make_shared<`, `allocate_shared<` or `_Sp_counted_ptr_inplace<`: a block made in place.
    static let inPlace = ControlBlockFrame(rawValue: 2)
}

/// A node per stack id, dense (stack ids are small and dense).
struct NodeOfStack {
    private var nodes: [Int32] = []

    subscript(stack: UInt32) -> Int32? {
        get { Int(stack) < nodes.count && nodes[Int(stack)] >= 0 ? nodes[Int(stack)] : nil }
        set {
            let index = Int(stack)
            if index >= nodes.count { nodes += [Int32](repeating: -1, count: index - nodes.count + 1) }
            nodes[index] = newValue ?? -1
        }
    }
}

extension Record {
    var isPointerReference: Bool {
        if case .pointerReference = self { return true }
        return false
    }
}

/// The block a word of a holder named when it was last read.
struct HeldWord {
    var serial: UInt64
    var node: Int32
}

/// The last few sites whose blocks were at one address, each with when its last block there
/// died: four slots inline (no allocation per address), the oldest replaced.
struct OccupantHistory {
    private var nodes: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
    private var died: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    mutating func note(_ node: Int32, died time: UInt64) {
        var slot = 0, oldest = UInt64.max
        for i in 0..<4 {
            let n = withUnsafeBytes(of: nodes) { $0.load(fromByteOffset: i * 4, as: Int32.self) }
            let t = withUnsafeBytes(of: died) { $0.load(fromByteOffset: i * 8, as: UInt64.self) }
            if n == node { slot = i; oldest = 0; break }
            if n == -1 { if oldest > 0 { slot = i; oldest = 0 }; continue }
            if t < oldest { slot = i; oldest = t }
        }
        withUnsafeMutableBytes(of: &nodes) { $0.storeBytes(of: node, toByteOffset: slot * 4, as: Int32.self) }
        withUnsafeMutableBytes(of: &died) { $0.storeBytes(of: time, toByteOffset: slot * 8, as: UInt64.self) }
    }

    /// The sites other than `target` whose last block here died at or after `since`, sorted.
    func others(than target: Int32, since: UInt64) -> [Int32] {
        var found: [Int32] = []
        for i in 0..<4 {
            let n = withUnsafeBytes(of: nodes) { $0.load(fromByteOffset: i * 4, as: Int32.self) }
            let t = withUnsafeBytes(of: died) { $0.load(fromByteOffset: i * 8, as: UInt64.self) }
            if n >= 0 && n != target && t >= since { found.append(n) }
        }
        found.sort()
        return found
    }

    /// Whether one of ``others(than:since:)`` satisfies `predicate` (no array made: a scan asks
    /// at each of its references).
    func containsOther(than target: Int32, since: UInt64, where predicate: (Int32) -> Bool) -> Bool {
        for i in 0..<4 {
            let n = withUnsafeBytes(of: nodes) { $0.load(fromByteOffset: i * 4, as: Int32.self) }
            let t = withUnsafeBytes(of: died) { $0.load(fromByteOffset: i * 8, as: UInt64.self) }
            if n >= 0 && n != target && t >= since && predicate(n) { return true }
        }
        return false
    }
}
