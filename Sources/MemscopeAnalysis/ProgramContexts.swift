import MemscopeModel

/// The allocations made inside one scope or by one task the program named through the
/// annotation ABI (`memscope_scope_enter`, `memscope_task_enter`; the C/C++ header and
/// the Rust crate in `bindings/`).
///
/// Exact, not inferred: the program said when each scope opened and closed and when each
/// thread switched tasks; an allocation counts for the calling thread's innermost open
/// scope and its current task at that moment. A block counts as live in the context that
/// allocated it until it is freed, whichever thread or context frees it.
public struct ContextStats: Sendable, Equatable {
    public enum Kind: String, Sendable, Comparable {
        case scope, task
        public static func < (a: Kind, b: Kind) -> Bool { a == .scope && b == .task } // scopes first
    }

    public var kind: Kind
    /// The scope's name, or the task's id in decimal.
    public var name: String
    /// How many times a thread entered the scope or switched to the task.
    public var entries: UInt64 = 0
    public var allocations: UInt64 = 0
    public var bytesAllocated: UInt64 = 0
    /// Frees of blocks this context allocated (by any thread, inside it or not).
    public var frees: UInt64 = 0
    /// Blocks this context allocated that are still live at the end of the dump: leaks.
    public var liveBlocks: UInt64 = 0
    public var liveBytes: UInt64 = 0
    /// The most bytes this context's blocks held at once.
    public var peakLiveBytes: UInt64 = 0
    /// Distinct threads that entered it.
    public var threads: Int = 0

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }
}

/// Follows scopes and task switches per thread and tallies allocations by context.
/// Costs nothing on dumps without scope or task records (`isActive` stays false); with
/// them, memory grows with contexts, open scopes and the live blocks allocated inside one.
struct ContextTracker {
    private(set) var isActive = false
    private var scopeStacks: [UInt32: [Int32]] = [:]
    private var tasks: [UInt32: Int32] = [:]
    private var index: [Key: Int32] = [:]
    private var stats: [ContextStats] = []
    private var threadSets: [Set<UInt32>] = []
    /// The contexts that allocated each live block allocated inside one.
    private var owners: [UInt64: Owners] = [:]

    private struct Key: Hashable {
        var kind: ContextStats.Kind
        var name: String
    }

    private struct Owners {
        var scope: Int32
        var task: Int32
        var size: UInt64
    }

    private mutating func context(_ kind: ContextStats.Kind, _ name: String, thread: UInt32) -> Int32 {
        let key = Key(kind: kind, name: name)
        let i: Int32
        if let known = index[key] {
            i = known
        } else {
            i = Int32(stats.count)
            index[key] = i
            stats.append(ContextStats(kind: kind, name: name))
            threadSets.append([])
        }
        stats[Int(i)].entries += 1
        threadSets[Int(i)].insert(thread)
        isActive = true
        return i
    }

    mutating func enterScope(thread: UInt32, name: String) {
        let i = context(.scope, name.isEmpty ? "(unnamed scope)" : name, thread: thread)
        scopeStacks[thread, default: []].append(i)
    }

    /// Closes the thread's innermost scope; an exit without an open scope is ignored.
    mutating func exitScope(thread: UInt32) {
        _ = scopeStacks[thread]?.popLast()
    }

    mutating func switchTask(thread: UInt32, task: UInt64) {
        if task == 0 {
            tasks[thread] = nil
        } else {
            tasks[thread] = context(.task, String(task), thread: thread)
        }
    }

    mutating func allocated(address: UInt64, size: UInt64, thread: UInt32) {
        let scope = scopeStacks[thread]?.last ?? -1
        let task = tasks[thread] ?? -1
        guard scope >= 0 || task >= 0 else { return }
        for i in [scope, task] where i >= 0 {
            stats[Int(i)].allocations += 1
            stats[Int(i)].bytesAllocated = saturatingAdd(stats[Int(i)].bytesAllocated, size)
            stats[Int(i)].liveBlocks += 1
            stats[Int(i)].liveBytes = saturatingAdd(stats[Int(i)].liveBytes, size)
            stats[Int(i)].peakLiveBytes = max(stats[Int(i)].peakLiveBytes, stats[Int(i)].liveBytes)
        }
        owners[address] = Owners(scope: scope, task: task, size: size)
    }

    mutating func released(address: UInt64) {
        guard let owner = owners.removeValue(forKey: address) else { return }
        for i in [owner.scope, owner.task] where i >= 0 {
            stats[Int(i)].frees += 1
            stats[Int(i)].liveBlocks -= 1
            stats[Int(i)].liveBytes &-= min(owner.size, stats[Int(i)].liveBytes)
        }
    }

    /// Scopes first, then tasks; each by bytes allocated, most first, ties by name.
    func finished() -> [ContextStats] {
        var result = stats
        for i in result.indices { result[i].threads = threadSets[i].count }
        return result.sorted {
            ($0.kind, $1.bytesAllocated, $0.name) < ($1.kind, $0.bytesAllocated, $1.name)
        }
    }
}

/// Blocks the program named (`memscope_annotate`, `track_var!`), grouped by name, type and
/// allocation site. Exact: the program gave the name and the block's address.
public struct NamedBlocks: Sendable, Equatable {
    public var name: String
    public var typeName: String
    /// The allocation stack of the named blocks.
    public var stack: UInt32
    /// Annotations of live blocks with this name, type and site.
    public var blocks: UInt64
    /// Their sizes when named.
    public var bytes: UInt64

    public init(name: String, typeName: String, stack: UInt32, blocks: UInt64, bytes: UInt64) {
        self.name = name
        self.typeName = typeName
        self.stack = stack
        self.blocks = blocks
        self.bytes = bytes
    }
}

/// Tallies annotations by (name, type, site); an annotation of an address that holds no
/// live block is counted apart.
struct NamedBlockTally {
    private struct Key: Hashable {
        var name: String, typeName: String, stack: UInt32
    }
    private var tallies: [Key: (blocks: UInt64, bytes: UInt64)] = [:]
    private(set) var unmatched: UInt64 = 0

    mutating func add(name: String, typeName: String, block: (stack: UInt32, size: UInt64)?) {
        guard let block else {
            unmatched += 1
            return
        }
        let key = Key(name: name, typeName: typeName, stack: block.stack)
        let old = tallies[key] ?? (0, 0)
        tallies[key] = (old.blocks + 1, saturatingAdd(old.bytes, block.size))
    }

    /// Most bytes first; ties by name, type, then stack.
    func finished() -> [NamedBlocks] {
        tallies.map { NamedBlocks(name: $0.key.name, typeName: $0.key.typeName, stack: $0.key.stack, blocks: $0.value.blocks, bytes: $0.value.bytes) }
            .sorted { ($1.bytes, $0.name, $0.typeName, $0.stack) < ($0.bytes, $1.name, $1.typeName, $1.stack) }
    }
}
