import Foundation
import MemscopeModel

/// Which frames belong to an allocator, an allocation wrapper or a language runtime, so
/// that a site is named by the code that asked for memory (not `sqlite3Malloc`, not
/// `RawVec::grow`), and the "hide allocator frames" filter knows what to hide.
///
/// Three rules, in order:
/// 1. **Built-in names** (``isRuntimeFrame(_:)``): libc and C++/Rust/Swift runtimes, and
///    well-known wrappers (`sqlite3Malloc`, `g_malloc`, `xmalloc`, `PyMem_*`, `je_*`…).
/// 2. **The user's patterns** (`--wrapper REGEX`), matched against function names.
/// 3. **Detected unnamed wrappers**: a frame without a symbol (a static function of a
///    stripped library) directly above the allocator or an earlier wrapper, through
///    which a large share of the distinct allocating stacks pass, from several callers
///    (``detectionShare``, ``detectionMinimumCallers``), or which many callers reach
///    (``detectionManyCallers``); or one directly above the
///    allocator that only known wrappers call. It is inferred, and the report says so
///    with its evidence.
public struct AllocatorFrames: Sendable, Equatable {
    /// A wrapper the site names went past, for the report.
    public struct Skipped: Sendable, Equatable {
        public enum Rule: Sendable, Equatable {
            case builtIn
            case pattern(String)
            /// Detected: `stacks` distinct allocating stacks pass through it, from `callers`
            /// distinct calling frames.
            case detected(stacks: Int, callers: Int)
            /// Detected: called, in each of `stacks` distinct stacks, directly by a known
            /// wrapper (sqlite's unnamed sqlite3MemRealloc under sqlite3Realloc).
            case underWrappers(stacks: Int)
        }
        public var name: String
        public var rule: Rule
        /// Distinct allocating stacks whose site name skipped it.
        public var stacks: Int
    }

    /// Per frame id (index 0 unused): whether the frame is an allocator's. Empty until
    /// classified, when names decide frame by frame.
    private var flags: [Bool] = []
    /// Wrappers that site names skipped, most stacks first.
    public private(set) var skipped: [Skipped] = []

    /// Rules 1 and 2 (names and patterns), kept for classifications of the same symbols.
    private struct NameFlags: Sendable {
        var patterns: [String]
        var flags: [Bool]
        var patternOf: [Int: String]
    }
    private var named: NameFlags?

    /// Equal when they classify alike and skipped the same wrappers.
    public static func == (a: AllocatorFrames, b: AllocatorFrames) -> Bool { a.flags == b.flags && a.skipped == b.skipped }

    /// A share of distinct allocating stacks at or above which an unnamed frame directly
    /// above the allocator is taken for a wrapper.
    public static let detectionShare = 0.10
    /// Distinct callers such a frame needs (a wrapper is called from many places), not
    /// counting known wrappers between them.
    public static let detectionMinimumCallers = 3
    /// Distinct stacks such a frame needs.
    public static let detectionMinimumStacks = 8
    /// Distinct callers that make such a frame a wrapper whatever its share of the stacks
    /// (a stripped Rust program's allocation shim, called from 99 places in 1,083 stacks).
    public static let detectionManyCallers = 24

    public init() {}

    /// Classifies every frame of `symbols`, detecting unnamed wrappers from the stacks of
    /// `siteStacks` (distinct allocating stacks).
    /// - Parameters:
    ///   - patterns: the user's wrapper patterns; they must compile (``validate(patterns:)``).
    ///   - detect: whether to detect unnamed wrappers.
    ///   - reusing: a classification of the same symbols (a run's, for its views): its
    ///     rules 1 and 2, which depend on the names and patterns only, are taken from it
    ///     when its patterns are these.
    public init(symbols: SymbolTable, siteStacks: [UInt32], patterns: [String] = [], detect: Bool = true,
                reusing: AllocatorFrames? = nil) {
        let named: NameFlags
        if let known = reusing?.named, known.patterns == patterns, known.flags.count == max(1, symbols.frames.count) {
            named = known
        } else {
            let regexes = patterns.compactMap { pattern in (try? NSRegularExpression(pattern: pattern)).map { (pattern, $0) } }
            var patternOf: [Int: String] = [:]
            let flags = [false] + (1..<max(1, symbols.frames.count)).map { id in
                let name = symbols.displayName(ofFrame: UInt32(id))
                if isRuntimeFrame(name) { return true }
                let range = NSRange(name.startIndex..., in: name)
                if let (pattern, _) = regexes.first(where: { $0.1.firstMatch(in: name, range: range) != nil }) {
                    patternOf[id] = pattern
                    return true
                }
                return false
            }
            named = NameFlags(patterns: patterns, flags: flags, patternOf: patternOf)
        }
        self.named = named
        flags = named.flags
        let patternOf = named.patternOf
        // Each distinct stack's frames, walked once for detection and once for the counts.
        let stacks = Array(Set(siteStacks)).sorted().map { symbols.frames(ofStack: $0) }
        // A wrapper helper's name (`gc_alloc`) makes its frame a wrapper only under its
        // library's wrappers: called by the program's own code, it is the program's site.
        for frames in stacks {
            for (i, id) in frames.enumerated() where flags[Int(id)] && i + 1 < frames.count && !flags[Int(frames[i + 1])] {
                if isHelperCalledByProgram(symbols.displayName(ofFrame: id), caller: symbols.displayName(ofFrame: frames[i + 1])) {
                    flags[Int(id)] = false
                }
            }
        }
        if detect { detectUnnamedWrappers(symbols: symbols, stacks: stacks) }
        countSkipped(symbols: symbols, stacks: stacks, patternOf: patternOf)
    }

    /// Whether both classify every frame alike (the skipped wrappers' counts aside).
    func classifiesAlike(_ other: AllocatorFrames) -> Bool { flags == other.flags }

    /// Throws when a pattern does not compile.
    public static func validate(patterns: [String]) throws {
        for pattern in patterns { _ = try NSRegularExpression(pattern: pattern) }
    }

    /// Whether frame `id` belongs to an allocator, a wrapper or a runtime.
    public func contains(_ id: UInt32, in symbols: SymbolTable) -> Bool {
        Int(id) < flags.count ? flags[Int(id)] : isRuntimeFrame(symbols.displayName(ofFrame: id))
    }

    /// Rounds of detection: each may find the wrapper's own unnamed wrapper callers
    /// (sqlite's `sqlite3MemMalloc` under `sqlite3Malloc` under `sqlite3DbMallocRawNN`).
    private static let detectionRounds = 4

    private mutating func detectUnnamedWrappers(symbols: SymbolTable, stacks: [[UInt32]]) {
        guard !stacks.isEmpty else { return }
        let needed = max(Self.detectionMinimumStacks, Int((Double(stacks.count) * Self.detectionShare).rounded(.up)))
        for _ in 0..<Self.detectionRounds {
            // Per unnamed first-non-allocator frame (by its stable name): stacks and callers.
            var stackCount: [String: Int] = [:]
            var callers: [String: Set<String>] = [:]
            var underWrappers: [String: Bool] = [:]
            for frames in stacks {
                guard let i = frames.firstIndex(where: { !flags[Int($0)] }) else { continue }
                let frame = symbols.frame(frames[i])
                guard frame.function == 0 || symbols.string(frame.function).isEmpty else { continue }
                // Its callers: the first frames above it that are not known wrappers (sqlite's
                // unnamed sqlite3MemMalloc is called by sqlite3Malloc alone, which has many callers).
                guard let caller = frames[(i + 1)...].first(where: { !flags[Int($0)] }) else { continue }
                let name = symbols.displayName(ofFrame: frames[i])
                stackCount[name, default: 0] += 1
                callers[name, default: []].insert(symbols.displayName(ofFrame: caller))
                // Directly above the allocator and directly under a known wrapper.
                let calledByWrapper = i == 0 && i + 1 < frames.count && flags[Int(frames[i + 1])]
                    && !symbols.string(symbols.frame(frames[i + 1]).function).isEmpty
                underWrappers[name] = (underWrappers[name] ?? true) && calledByWrapper
            }
            func manyCallers(_ name: String, _ count: Int) -> Bool {
                let distinct = callers[name]?.count ?? 0
                return (count >= needed && distinct >= Self.detectionMinimumCallers)
                    || (count >= Self.detectionMinimumStacks && distinct >= Self.detectionManyCallers)
            }
            let found = stackCount.filter { name, count in manyCallers(name, count) || underWrappers[name] == true }
            guard !found.isEmpty else { return }
            for id in 1..<flags.count where !flags[id] && found[symbols.displayName(ofFrame: UInt32(id))] != nil {
                flags[id] = true
            }
            for (name, count) in found {
                let rule: Skipped.Rule = manyCallers(name, count)
                    ? .detected(stacks: count, callers: callers[name]?.count ?? 0) : .underWrappers(stacks: count)
                skipped.append(Skipped(name: name, rule: rule, stacks: 0))
            }
        }
    }

    /// Fills ``skipped`` with every named wrapper that a site name went past, and how
    /// many stacks each detected or named one affected.
    private mutating func countSkipped(symbols: SymbolTable, stacks: [[UInt32]], patternOf: [Int: String]) {
        var counts: [String: Int] = [:]
        var rules: [String: Skipped.Rule] = [:]
        for skip in skipped { rules[skip.name] = skip.rule }
        for frames in stacks {
            guard let site = frames.firstIndex(where: { !flags[Int($0)] }) else { continue }
            var seen: Set<String> = []
            for id in frames[..<site] {
                let name = symbols.displayName(ofFrame: id)
                if rules[name] == nil {
                    if let pattern = patternOf[Int(id)] { rules[name] = .pattern(pattern) }
                    else if isWrapperName(name) { rules[name] = .builtIn }
                    else { continue }  // malloc, operator new and the like: not wrappers
                }
                if seen.insert(name).inserted { counts[name, default: 0] += 1 }
            }
        }
        skipped = rules.compactMap { name, rule in
            guard let count = counts[name] else { return nil }
            return Skipped(name: name, rule: rule, stacks: count)
        }.sorted { ($0.stacks, $1.name) > ($1.stacks, $0.name) }
    }
}

/// Allocation wrappers: a site named after one of them says nothing, so site names go
/// past them (with ``runtimePrefixes``).
let wrapperPrefixes = libraryWrapperPrefixes + runtimeWrapperPrefixes

/// Allocation layers of language runtimes that ``runtimePrefixes`` does not cover.
let runtimeWrapperPrefixes = ["hashbrown::raw::", "<hashbrown::raw::", "__gnu_cxx::new_allocator"]

/// Allocation wrappers of well-known libraries.
let libraryWrapperPrefixes = [
    // SQLite
    "sqlite3Malloc", "sqlite3MemMalloc", "sqlite3MemRealloc", "sqlite3Realloc", "sqlite3_malloc", "sqlite3_realloc",
    "sqlite3DbMalloc", "sqlite3DbRealloc", "sqlite3DbStrDup", "sqlite3DbStrNDup", "sqlite3DbSpanDup",
    "dbMallocRawFinish", "dbReallocFinish", "sqlite3MallocZero",
    // GLib
    "g_try_malloc", "g_try_realloc", "g_memdup", "g_new", "g_strndup",
    // git, gcc (libiberty) and other xmalloc families
    "xmemdup", "xstrndup", "xzalloc", "xmallocz",
    // CPython
    "PyMem_", "_PyMem_", "PyObject_Malloc", "PyObject_Calloc", "PyObject_Realloc", "_PyObject_Malloc",
    "_PyObject_Calloc", "_PyObject_Realloc", "pymalloc_", "_PyObject_GC_New", "_PyObject_GC_Alloc", "gc_alloc",
    "_PyObject_New", "PyObject_GC_", "PyType_GenericAlloc", "_PyType_AllocNoTrack", "_PyObject_GC_Link",
    // jemalloc, tcmalloc, mimalloc
    "je_", "tc_", "tcmalloc::", "mi_malloc", "mi_calloc", "mi_realloc", "mi_heap_", "_mi_",
]

/// Static helpers of a library's allocation wrappers, named like code anyone may write
/// (CPython's `gc_alloc`, which only `_PyObject_GC_New` and `_PyObject_GC_NewVar` call).
/// Such a frame is a wrapper only where a wrapper called it: a program's own function of
/// that name, called by the program, is its allocation site (seventh ownership rules).
public let wrapperHelperNames: Set<String> = ["gc_alloc"]

/// Whether a frame named `name` whose caller is named `caller` (nil: none) is a wrapper
/// helper called by the program itself, not by its library's wrappers
/// (``wrapperHelperNames``): then it is not an allocator's frame.
public func isHelperCalledByProgram(_ name: String, caller: String?) -> Bool {
    guard wrapperHelperNames.contains(nameAfterReturnType(name).map(String.init) ?? name) || wrapperHelperNames.contains(name)
    else { return false }
    guard let caller else { return false }
    return !isRuntimeFrame(caller)
}

/// Whether `name` is a known allocation wrapper (not the allocator itself): a library's
/// (``isLibraryWrapperName(_:)``) or a language runtime's (`alloc::`, `__rust_alloc`,
/// `std::allocator_traits`…).
public func isWrapperName(_ name: String) -> Bool {
    let qualified = nameAfterReturnType(name).map(String.init) ?? name
    return isLibraryWrapperName(name)
        || (runtimeWrapperPrefixes + ["__rust_", "__rdl_", "__rg_", "alloc::", "<alloc::", "std::__new_allocator",
                                      "std::allocator_traits"])
            .contains { name.hasPrefix($0) || qualified.hasPrefix($0) }
}

/// Whether `name` is a known allocation wrapper of a library (sqlite, GLib, CPython,
/// xmalloc families, jemalloc…), as opposed to a language runtime's.
public func isLibraryWrapperName(_ name: String) -> Bool {
    let qualified = nameAfterReturnType(name).map(String.init) ?? name
    return (libraryWrapperPrefixes + ["xmalloc", "xcalloc", "xrealloc", "xstrdup", "g_malloc", "g_realloc", "g_strdup", "g_slice_"])
        .contains { name.hasPrefix($0) || qualified.hasPrefix($0) }
}

extension Analysis {
    /// Classifies the frames of the analysis' sites (see ``AllocatorFrames``).
    public mutating func classifyAllocatorFrames(options: AnalysisOptions) {
        allocatorFrames = AllocatorFrames(symbols: symbols, siteStacks: sites.map(\.stack),
                                          patterns: options.wrapperPatterns, detect: options.detectWrappers)
    }

    /// Whether frame `id` belongs to an allocator, a wrapper or a runtime.
    public func isAllocatorFrame(_ id: UInt32) -> Bool { allocatorFrames.contains(id, in: symbols) }
}
