import MemscopeModel

/// What the code of one module (executable or shared library) allocated, freed and leaked.
/// An allocation or free belongs to the module of its stack's first frame that is not an
/// allocator or runtime frame (``ModuleMap/module(ofStack:symbols:)``).
public struct ModuleStats: Sendable, Equatable {
    /// The module's path; empty when unknown (no frame with a module).
    public var path: String
    public var allocations: UInt64 = 0
    public var bytesAllocated: UInt64 = 0
    /// Blocks freed by code in this module (whoever allocated them).
    public var frees: UInt64 = 0
    /// Blocks allocated by code in this module and still live at the end (less suppressed ones).
    public var leakedBytes: UInt64 = 0
    public var leakedBlocks: UInt64 = 0
}

/// Blocks allocated by code in one module and released (freed, or reallocated) by code
/// in another: where ownership crosses a library boundary (FFI hand-offs show up here).
public struct ModuleHandOff: Sendable, Equatable {
    public var allocatingModule: String
    public var freeingModule: String
    public var blocks: UInt64
    public var bytes: UInt64

    public init(allocatingModule: String, freeingModule: String, blocks: UInt64, bytes: UInt64) {
        self.allocatingModule = allocatingModule
        self.freeingModule = freeingModule
        self.blocks = blocks
        self.bytes = bytes
    }
}

/// Leaked blocks allocated by code in one module whose last observed holder is another
/// module (see ``ModuleHolder``).
public struct CrossModuleLeak: Sendable, Equatable {
    public var allocatingModule: String
    public var holderModule: String
    public var holder: ModuleHolder
    public var blocks: UInt64
    public var bytes: UInt64

    public init(allocatingModule: String, holderModule: String, holder: ModuleHolder, blocks: UInt64, bytes: UInt64) {
        self.allocatingModule = allocatingModule
        self.holderModule = holderModule
        self.holder = holder
        self.blocks = blocks
        self.bytes = bytes
    }
}

/// How the last holder of a leaked block was determined.
public enum ModuleHolder: String, Sendable, Equatable {
    /// The block was last reallocated by code in the holder module.
    case reallocatedBy = "reallocated_by"
    /// The last reference scan found a pointer to the block inside a live block that
    /// code in the holder module allocated.
    case referencedFrom = "referenced_from"
}

/// The modules' address ranges (from `module_map` records) and, per stack, the module the
/// stack is attributed to, computed once.
public struct ModuleMap: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        var start: UInt64
        var end: UInt64
        var path: UInt32
    }
    var ranges: [Range] = []
    /// Per stack id: the attributed module's string id, or `UInt32.max` when not computed yet.
    var byStack: [UInt32] = []

    public init() {}

    mutating func add(_ mapping: ModuleMapping) {
        ranges.append(Range(start: mapping.start, end: mapping.end, path: mapping.path))
    }

    /// The string id of the module a stack is attributed to: the module of its innermost
    /// frame that is not an allocator or runtime frame (the innermost frame when all are),
    /// from the frame's own module or else from the `module_map` range holding its
    /// address; 0 when unknown.
    public func module(ofStack stack: UInt32, symbols: SymbolTable) -> UInt32 {
        let frames = symbols.frames(ofStack: stack)
        guard let chosen = frames.first(where: { !isRuntimeFrame(symbols.displayName(ofFrame: $0)) }) ?? frames.first
        else { return 0 }
        return module(ofFrame: chosen, symbols: symbols)
    }

    /// ``module(ofStack:symbols:)``, cached per stack.
    ///
    /// A new stack costs one step per stack along its path that is not cached yet: whether
    /// a frame is a runtime frame is decided once per frame, and the innermost non-runtime
    /// frame of a path is remembered per stack (it is the stack's own frame, or its parent
    /// stack's answer).
    @inline(__always)
    mutating func cachedModule(ofStack stack: UInt32, symbols: SymbolTable) -> UInt32 {
        let i = Int(stack)
        if i < byStack.count {
            let known = byStack[i]
            if known != UInt32.max { return known }
        }
        return findModule(ofStack: stack, symbols: symbols)
    }

    /// ``cachedModule(ofStack:symbols:)`` for a stack seen for the first time (out of line:
    /// every free asks for two stacks, nearly always known).
    @inline(never)
    private mutating func findModule(ofStack stack: UInt32, symbols: SymbolTable) -> UInt32 {
        let i = Int(stack)
        let module: UInt32
        if i > 0 && i < symbols.stackParents.count {
            let user = userStack(of: i, symbols: symbols)
            module = self.module(ofFrame: symbols.stackFrames[user != 0 ? user : i], symbols: symbols)
        } else {
            module = 0
        }
        if i >= byStack.count { byStack += Array(repeating: UInt32.max, count: i + 1 - byStack.count) }
        byStack[i] = module
        return module
    }

    /// Per stack id: the stack on its path whose frame is its innermost non-runtime frame
    /// (0: none), or `UInt32.max` when not known yet.
    private var userStacks: [UInt32] = []
    /// Per frame id: 0 not known yet, 1 an allocator or runtime frame, 2 not.
    private var runtimeFrames: [UInt8] = []

    private mutating func userStack(of stack: Int, symbols: SymbolTable) -> Int {
        var path: [Int] = []
        var s = stack
        var found = 0
        while s > 0 && s < symbols.stackParents.count {
            if s < userStacks.count && userStacks[s] != UInt32.max {
                found = Int(userStacks[s])
                break
            }
            path.append(s)
            if !isRuntime(frame: symbols.stackFrames[s], symbols: symbols) {
                found = s
                break
            }
            s = Int(symbols.stackParents[s])
        }
        if let deepest = path.max(), deepest >= userStacks.count {
            userStacks += Array(repeating: UInt32.max, count: deepest + 1 - userStacks.count)
        }
        for p in path { userStacks[p] = UInt32(found) }
        return found
    }

    private mutating func isRuntime(frame id: UInt32, symbols: SymbolTable) -> Bool {
        let i = Int(id)
        if i >= runtimeFrames.count { runtimeFrames += Array(repeating: 0, count: i + 1 - runtimeFrames.count) }
        if runtimeFrames[i] == 0 { runtimeFrames[i] = isRuntimeFrame(symbols.displayName(ofFrame: id)) ? 1 : 2 }
        return runtimeFrames[i] == 1
    }

    /// The module of one frame: its own, or else the `module_map` range holding its address.
    private func module(ofFrame id: UInt32, symbols: SymbolTable) -> UInt32 {
        let frame = symbols.frame(id)
        if frame.module != 0 { return frame.module }
        // A return address lies in the module; the last mapping seen wins (dlopen reuse).
        return ranges.last { frame.instructionPointer >= $0.start && frame.instructionPointer < $0.end }?.path ?? 0
    }
}

/// Per-module figures gathered during the pass.
struct ModuleAccumulator {
    var map = ModuleMap()
    /// Frees per freeing module, indexed by its string id (raw storage: no uniqueness check
    /// per free).
    var frees = UncheckedStore<UInt64>(repeating: 0, count: 0)
    /// Hand-offs keyed by allocating module << 32 | freeing module.
    var handOffs = IntegerMap<ThreadPairCount>()

    @inline(__always)
    mutating func release(allocationStack: UInt32, freeStack: UInt32, bytes: UInt64, symbols: SymbolTable) {
        let freeing = map.cachedModule(ofStack: freeStack, symbols: symbols)
        while Int(freeing) >= frees.count { frees.append(0) }
        frees[Int(freeing)] += 1
        let allocating = map.cachedModule(ofStack: allocationStack, symbols: symbols)
        guard allocating != freeing, allocating != 0, freeing != 0 else { return }
        let key = UInt64(allocating) << 32 | UInt64(freeing)
        handOffs.update(key, initial: ThreadPairCount()) { $0.add(bytes: bytes) }
    }
}

extension Analysis {
    /// The path of the module an allocation or free stack is attributed to (the module of
    /// its first frame that is not an allocator or runtime frame); empty when unknown.
    /// Use it to group sites, blocks or graph nodes by module.
    public func modulePath(ofStack stack: UInt32) -> String {
        symbols.string(moduleMap.module(ofStack: stack, symbols: symbols))
    }
}

extension AnalyzerCore {
    /// Fills the module tables of a finished analysis.
    mutating func finishModules(_ analysis: inout Analysis) {
        var stats: [UInt32: ModuleStats] = [:]
        func entry(_ module: UInt32) -> ModuleStats { stats[module] ?? ModuleStats(path: symbols.string(module)) }
        // By index, each module's entry changed in place: a site copied out of the array, and
        // an entry copied out of the table, retained their arrays and strings.
        for i in analysis.sites.indices {
            let costs = analysis.sites[i].costs
            let module = modules.map.cachedModule(ofStack: analysis.sites[i].stack, symbols: symbols)
            if stats[module] == nil { stats[module] = ModuleStats(path: symbols.string(module)) }
            stats[module]!.allocations += costs.allocations
            stats[module]!.bytesAllocated &+= costs.bytesAllocated
            stats[module]!.leakedBytes &+= costs.leakedBytes
            stats[module]!.leakedBlocks += costs.leakedBlocks
        }
        for (module, frees) in modules.frees.enumerated() where frees > 0 {
            var s = entry(UInt32(module))
            s.frees += frees
            stats[UInt32(module)] = s
        }
        // Only worth a table when the run involved a module at all.
        analysis.modules = stats.values.filter { $0.allocations > 0 || $0.frees > 0 }
            .sorted { ($0.bytesAllocated, $1.path) > ($1.bytesAllocated, $0.path) }
        analysis.moduleHandOffs = modules.handOffs.entries.map { key, value in
            ModuleHandOff(allocatingModule: symbols.string(UInt32(key >> 32)),
                          freeingModule: symbols.string(UInt32(truncatingIfNeeded: key)),
                          blocks: value.blocks, bytes: value.bytes)
        }.sorted { ($0.bytes, $1.allocatingModule, $1.freeingModule) > ($1.bytes, $0.allocatingModule, $0.freeingModule) }
        analysis.crossModuleLeaks = crossModuleLeaks()
    }

    /// Leaked blocks whose allocating module differs from their last observed holder's.
    private mutating func crossModuleLeaks() -> [CrossModuleLeak] {
        struct Key: Hashable { var allocating: UInt32; var holder: UInt32; var how: ModuleHolder }
        var found: [Key: ThreadPairCount] = [:]
        var referrers: [UInt64: [UInt64]] = [:]
        if referenceScan.time != nil {
            for reference in referenceScan.references where reference.source == .block && !reference.interior {
                referrers[reference.to, default: []].append(reference.from)
            }
        }
        for entry in blocks.slots where entry.address != 0 && entry.isLive {
            let allocating = modules.map.cachedModule(ofStack: entry.chainRoot, symbols: symbols)
            guard allocating != 0 else { continue }
            var holders: [(UInt32, ModuleHolder)] = []
            if entry.stack != entry.chainRoot {
                holders.append((modules.map.cachedModule(ofStack: entry.stack, symbols: symbols), .reallocatedBy))
            }
            for from in referrers[entry.address] ?? [] {
                guard let slot = blocks.find(from), blocks.slots[slot].isLive else { continue }
                holders.append((modules.map.cachedModule(ofStack: blocks.slots[slot].stack, symbols: symbols), .referencedFrom))
            }
            // One entry per block: the first holder in another module.
            guard let (holder, how) = holders.first(where: { $0.0 != allocating && $0.0 != 0 }) else { continue }
            found[Key(allocating: allocating, holder: holder, how: how), default: ThreadPairCount()].add(bytes: entry.size)
        }
        return found.map { key, value in
            CrossModuleLeak(allocatingModule: symbols.string(key.allocating), holderModule: symbols.string(key.holder),
                            holder: key.how, blocks: value.blocks, bytes: value.bytes)
        }.sorted { ($0.bytes, $1.allocatingModule, $1.holderModule, $1.holder.rawValue)
            > ($1.bytes, $0.allocatingModule, $0.holderModule, $0.holder.rawValue) }
    }
}
