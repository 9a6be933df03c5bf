import MemscopeModel

/// memcheck's leak kinds, computed from the pointer references a recorder observed
/// (its reference scan). These are observations: a word that merely holds an integer
/// equal to an address counts as a pointer, so a leak can look reachable.
public struct LeakKinds: Sendable, Equatable {
    public struct Figure: Sendable, Equatable {
        public var bytes: UInt64 = 0
        public var blocks: UInt64 = 0

        public init(bytes: UInt64 = 0, blocks: UInt64 = 0) {
            self.bytes = bytes
            self.blocks = blocks
        }

        mutating func add(_ size: UInt64) {
            bytes &+= size
            blocks += 1
        }
    }

    /// Reachable from no root nor from any other leaked block.
    public var definitelyLost = Figure()
    /// Reachable only from lost blocks.
    public var indirectlyLost = Figure()
    /// Bytes lost for sure, definitely or indirectly: what makes a leak a finding (the report's
    /// red card, a red box in the ownership graph).
    public var lostBytes: UInt64 { definitelyLost.bytes + indirectlyLost.bytes }
    /// Reached from a root only through an interior pointer somewhere on the way.
    public var possiblyLost = Figure()
    /// Reachable from a root (module data, a thread stack, other non-heap memory).
    public var stillReachable = Figure()
    /// Live at the end but allocated after the last scan.
    public var notScanned = Figure()
    /// The part of `stillReachable` that the C library holds for itself (see
    /// ``RuntimeHeldBlocks``): memcheck frees these with `__libc_freeres` and does not
    /// report them.
    public var heldByCLibrary = Figure()

    public init() {}

    /// Counts one block of `size` bytes under its kind.
    public mutating func add(_ kind: LeakKind, size: UInt64) {
        switch kind {
        case .definitelyLost: definitelyLost.add(size)
        case .indirectlyLost: indirectlyLost.add(size)
        case .possiblyLost: possiblyLost.add(size)
        case .stillReachable: stillReachable.add(size)
        case .notScanned: notScanned.add(size)
        }
    }

    /// The caveat shown wherever these figures are.
    public static let caveat = "observed by scanning memory for pointer-sized words that hold a block's address; an integer can look like a pointer"
}

/// Collects the references of the dump's last reference scan.
struct ReferenceScan {
    /// Time of the last scan (its marker record), nil when the dump has none.
    var time: UInt64?
    var references: [PointerReference] = []

    mutating func consume(_ reference: PointerReference) {
        if reference.to == 0 {
            // A scan marker: a new scan replaces the previous one.
            time = reference.timestamp
            references.removeAll(keepingCapacity: true)
            return
        }
        references.append(reference)
    }

    /// Classifies the blocks live at the end (address, size, allocation time), as
    /// memcheck does (see ``LeakKind/classify(references:scanTime:live:)``).
    func classify(live: [(address: UInt64, size: UInt64, ticks: UInt64)], runtimeHeld: Set<UInt64> = []) -> LeakKinds? {
        guard let time else { return nil }
        var kinds = LeakKinds()
        for (block, kind) in LeakKind.classify(references: references, scanTime: time, live: live, runtimeHeld: runtimeHeld) {
            kinds.add(kind, size: block.size)
            if kind == .stillReachable && runtimeHeld.contains(block.address) { kinds.heldByCLibrary.add(block.size) }
        }
        return kinds
    }
}

/// memcheck's kind of one leaked block.
public enum LeakKind: String, Sendable, Equatable, CaseIterable {
    case definitelyLost = "definitely lost"
    case indirectlyLost = "indirectly lost"
    case possiblyLost = "possibly lost"
    case stillReachable = "still reachable"
    case notScanned = "not scanned"

    /// Classifies the blocks live at the end (address, size, allocation time) from the
    /// references of one scan made at `scanTime`, with memcheck's rules:
    /// - *still reachable*: a chain of start pointers from a root (the recorder writes an
    ///   interior pointer that one of memcheck's heuristics accepts as a start pointer);
    ///   the blocks in `runtimeHeld` (the C library's own, which memcheck frees with
    ///   `__libc_freeres`) count as roots too;
    /// - *possibly lost*: reached from a root, but only through chains holding an interior
    ///   pointer, or through a possibly lost block (any pointer out of one);
    /// - of the blocks no root reaches, taken in address order, each one not yet reached
    ///   by an earlier one is *definitely lost* and the blocks it reaches (through any
    ///   pointer, an earlier definitely lost block included) are *indirectly lost*.
    /// Blocks allocated after the scan are not scanned. Memory: the live blocks and one
    /// compact adjacency of the references. Returned in address order.
    public static func classify(references: [PointerReference], scanTime: UInt64,
                                live: [(address: UInt64, size: UInt64, ticks: UInt64)],
                                runtimeHeld: Set<UInt64> = [])
        -> [(block: (address: UInt64, size: UInt64), kind: LeakKind)] {
        var result: [(block: (address: UInt64, size: UInt64), kind: LeakKind)] = []
        var scanned: [(address: UInt64, size: UInt64)] = []
        for block in live.sorted(by: { $0.address < $1.address }) {
            if block.ticks > scanTime {
                result.append(((block.address, block.size), .notScanned))
            } else {
                scanned.append((block.address, block.size))
            }
        }
        func index(of address: UInt64) -> Int? {
            var low = 0, high = scanned.count
            while low < high {
                let mid = (low + high) / 2
                if scanned[mid].address < address { low = mid + 1 } else { high = mid }
            }
            return low < scanned.count && scanned[low].address == address ? low : nil
        }
        // One adjacency for all block-to-block references: target << 1 | interior.
        var firstEdge = [Int32](repeating: 0, count: scanned.count + 1)
        var sources: [(from: Int32, entry: UInt32)] = []
        var rootStarts: [Int] = []
        var rootInteriors: [Int] = []
        for reference in references {
            guard let to = index(of: reference.to) else { continue }
            if reference.source != .block {
                if reference.interior { rootInteriors.append(to) } else { rootStarts.append(to) }
            } else if let from = index(of: reference.from) {
                sources.append((Int32(from), UInt32(to) << 1 | (reference.interior ? 1 : 0)))
                firstEdge[from + 1] += 1
            }
        }
        for i in 0..<scanned.count { firstEdge[i + 1] += firstEdge[i] }
        var edges = [UInt32](repeating: 0, count: sources.count)
        var fill = firstEdge
        for (from, entry) in sources {
            edges[Int(fill[Int(from)])] = entry
            fill[Int(from)] += 1
        }
        sources = []
        fill = []
        for address in runtimeHeld { if let block = index(of: address) { rootStarts.append(block) } }

        enum Mark: UInt8 { case none, reachable, possibly, indirect }
        var marks = [Mark](repeating: .none, count: scanned.count)
        // Reachable: start pointers from the roots, then from reachable blocks.
        var work = rootStarts.filter { marks[$0] == .none }
        for block in work { marks[block] = .reachable }
        var possible: [Int] = rootInteriors
        while let block = work.popLast() {
            for e in edges[Int(firstEdge[block])..<Int(firstEdge[block + 1])] {
                let next = Int(e >> 1)
                if e & 1 == 0 {
                    if marks[next] == .none { marks[next] = .reachable; work.append(next) }
                } else {
                    possible.append(next)
                }
            }
        }
        // Possibly lost: whatever any pointer reaches from there that is not reachable.
        work = possible.filter { marks[$0] == .none }
        for block in work { marks[block] = .possibly }
        while let block = work.popLast() {
            for e in edges[Int(firstEdge[block])..<Int(firstEdge[block + 1])] where marks[Int(e >> 1)] == .none {
                marks[Int(e >> 1)] = .possibly
                work.append(Int(e >> 1))
            }
        }
        // Definitely and indirectly lost, as memcheck's cliques.
        for leader in scanned.indices where marks[leader] == .none {
            work = [leader]
            while let block = work.popLast() {
                for e in edges[Int(firstEdge[block])..<Int(firstEdge[block + 1])] {
                    let next = Int(e >> 1)
                    guard next != leader, marks[next] == .none else { continue }
                    marks[next] = .indirect
                    work.append(next)
                }
            }
        }
        for (block, entry) in scanned.enumerated() {
            let kind: LeakKind = switch marks[block] {
            case .reachable: .stillReachable
            case .possibly: .possiblyLost
            case .indirect: .indirectlyLost
            case .none: .definitelyLost
            }
            result.append((entry, kind))
        }
        result.sort { $0.block.address < $1.block.address }
        return result
    }
}

/// The C library's own blocks, which memcheck frees at exit with glibc's
/// `__libc_freeres` (so it never reports them) and memscope shows as still reachable,
/// held by the C library: recognised by a function of their allocation stack.
public enum RuntimeHeldBlocks {
    /// Functions whose allocations glibc keeps for itself and frees in `__libc_freeres`.
    public static let functions: Set<String> = [
        "_IO_file_doallocate", "_IO_wfile_doallocate",             // stdio buffers
        "allocate_dtv", "_dl_allocate_tls", "_dl_resize_dtv",        // threads' TLS vectors
        "_dl_allocate_tls_init", "__tls_get_addr", "_dl_update_slotinfo",
        "__tzfile_read", "tzset_internal", "__tzstring", "__tzstring_len", // time zone data
        "setlocale", "new_composite_name",                           // locale names and data
        "__gconv_load_cache", "__gconv_read_conf",                    // character set modules
        "__resolv_context_get", "__resolv_conf_get_current",          // resolver state
        "_dlerror_run",                                              // dlerror's message
        "getpwuid", "getpwnam", "getgrgid", "getgrnam", "getspnam",  // their static result buffers
        "gethostbyname", "gethostbyname2", "gethostbyaddr", "getservbyname", "getservbyport",
        "getprotobyname", "getprotobynumber", "getnetbyname", "getaliasbyname",
    ]

    /// True when a frame named `name` allocates for the C library (glibc's internal
    /// aliases, `__GI_name`, included).
    public static func isRuntimeFunction(_ name: String) -> Bool {
        let plain = name.hasPrefix("__GI_") ? String(name.dropFirst(5)) : name
        // _nl_*: locale and message catalogues; __nss_* and nss_*: the name-service
        // switch's configuration, modules and actions.
        return functions.contains(plain) || plain.hasPrefix("_nl_") || plain.hasPrefix("__nss_") || plain.hasPrefix("nss_")
    }

    /// True when a block allocated at `stack` is the runtime's: a frame of it is one of
    /// ``functions``, or the C++ runtime allocated it while the dynamic loader ran
    /// libstdc++'s initializers (its emergency exception pool, which memcheck frees
    /// with `__gnu_cxx::__freeres`): every frame in libstdc++ or the loader.
    public static func isRuntimeHeld(stack: UInt32, in symbols: SymbolTable) -> Bool {
        var facts = NameFacts()
        return isRuntimeHeld(stack: stack, in: symbols, facts: &facts)
    }

    /// What ``isRuntimeHeld(stack:in:facts:)`` found of each function and module name (by
    /// string id), for one symbol table: a dump's live blocks' stacks share most frames.
    public struct NameFacts {
        /// Per string id: 0 unknown, 1 not a runtime function, 2 a runtime function.
        fileprivate var function: [UInt8] = []
        /// Per string id: 0 unknown, 1 libstdc++, 2 the loader or the recorder, 3 other.
        fileprivate var module: [UInt8] = []

        public init() {}
    }

    /// ``isRuntimeHeld(stack:in:)``, each name judged once in `facts`.
    public static func isRuntimeHeld(stack: UInt32, in symbols: SymbolTable, facts: inout NameFacts) -> Bool {
        let frames = symbols.frames(ofStack: stack)
        func known(_ table: inout [UInt8], _ id: UInt32, _ judge: () -> UInt8) -> UInt8 {
            let i = Int(id)
            guard i < symbols.strings.count else { return judge() }  // no such string: not kept
            if i >= table.count { table.append(contentsOf: repeatElement(0, count: symbols.strings.count - table.count)) }
            if table[i] == 0 { table[i] = judge() }
            return table[i]
        }
        if frames.contains(where: { frame in
            let id = symbols.frame(frame).function
            return known(&facts.function, id) { isRuntimeFunction(symbols.string(id)) ? 2 : 1 } == 2
        }) { return true }
        var sawLibstdcxx = false
        for frame in frames {
            let id = symbols.frame(frame).module
            let kind = known(&facts.module, id) {
                let module = symbols.string(id)
                let base = module.split(separator: "/").last.map(String.init) ?? module
                if base.hasPrefix("libstdc++.so") { return 1 }
                if base.hasPrefix("ld-linux") || base.hasPrefix("ld64.so") || base.hasPrefix("libmemscope-preload") { return 2 }
                return 3
            }
            if kind == 1 { sawLibstdcxx = true; continue }
            if kind == 2 { continue }
            return false
        }
        return sawLibstdcxx
    }

    /// The words shown next to the figure.
    public static let note = "held by the C and C++ runtimes (stdio buffers, thread TLS vectors, locale, time-zone and name-service data, libstdc++'s exception pool; memcheck frees these with __libc_freeres and __gnu_cxx::__freeres, so it does not report them)"
}

/// How many observation records (annotations, scopes, tasks, references, modules) a dump holds.
public struct ObservationCounts: Sendable, Equatable {
    public var annotations: UInt64 = 0
    public var scopes: UInt64 = 0
    public var taskSwitches: UInt64 = 0
    public var pointerReferences: UInt64 = 0
    public var modules: UInt64 = 0

    public init(annotations: UInt64 = 0, scopes: UInt64 = 0, taskSwitches: UInt64 = 0, pointerReferences: UInt64 = 0,
                modules: UInt64 = 0) {
        self.annotations = annotations
        self.scopes = scopes
        self.taskSwitches = taskSwitches
        self.pointerReferences = pointerReferences
        self.modules = modules
    }
}
