import MemscopeAnalysis
import MemscopeModel

/// Where a stack allocated from: its first frame outside allocators and language runtimes
/// (the *site*), and the stack above that frame (the *caller context*: two allocations
/// with the same context were made by one function reached along one call path).
struct SiteResolver {
    struct Resolved {
        /// The stack node whose innermost frame is the site frame (0: no stack).
        var siteStack: UInt32
        /// The site frame's parent stack node.
        var context: UInt32
    }

    private var cache: [Resolved?] = [nil]
    /// Per settled frame: what the walk reads of its name and file (``FrameKind``), found once.
    private var frameKinds = DenseCache<FrameKind>()

    /// What the walk reads of one frame.
    struct FrameKind: OptionSet {
        var rawValue: UInt8
        /// ``isRuntimeFrame(_:)`` of its name.
        static let runtimeName = FrameKind(rawValue: 1)
        /// ``isRuntimeSource(_:)`` of its file.
        static let runtimeSource = FrameKind(rawValue: 2)
        /// Its name is a wrapper's helper (``wrapperHelperNames``, as ``isHelperCalledByProgram(_:caller:)`` asks).
        static let helper = FrameKind(rawValue: 4)
    }

    private mutating func kind(of frame: UInt32, _ symbols: SymbolTable) -> FrameKind {
        if let known = frameKinds[frame] { return known }
        let name = symbols.displayName(ofFrame: frame)
        var kind: FrameKind = []
        if isRuntimeFrame(name) { kind.insert(.runtimeName) }
        if Self.isRuntimeSource(symbols.string(symbols.frame(frame).file)) { kind.insert(.runtimeSource) }
        if wrapperHelperNames.contains(nameAfterReturnType(name).map(String.init) ?? name) || wrapperHelperNames.contains(name) {
            kind.insert(.helper)
        }
        if symbols.isSettled(frame: frame) { frameKinds[frame] = kind }
        return kind
    }

    mutating func resolve(_ stack: UInt32, _ symbols: SymbolTable) -> Resolved {
        let index = Int(stack)
        if index < cache.count, let known = cache[index] { return known }
        var current = stack
        while current != 0 {
            let kind = kind(of: symbols.stackFrames[Int(current)], symbols)
            if kind.isDisjoint(with: [.runtimeName, .runtimeSource]) { break }
            let parent = symbols.stackParents[Int(current)]
            if parent == 0 { break }  // all runtime: keep the outermost
            // A wrapper helper's name (`gc_alloc`) called by the program's own code is the
            // program's function, not its library's (seventh rules: ``isHelperCalledByProgram(_:caller:)``).
            if kind.contains(.helper) && !self.kind(of: symbols.stackFrames[Int(parent)], symbols).contains(.runtimeName) { break }
            current = parent
        }
        let resolved = Resolved(siteStack: current, context: current == 0 ? 0 : symbols.stackParents[Int(current)])
        if index >= cache.count { cache += [Resolved?](repeating: nil, count: index - cache.count + 1) }
        cache[index] = resolved
        return resolved
    }

    /// A frame in the C++ standard library's headers or the Rust standard library's sources
    /// (and the crates it vendors) is the runtime's, whatever its name: debug information
    /// names some inlined library functions without their namespace (`_M_create<…>` of
    /// `std::function`, in `bits/std_function.h`), and Rust's `HashMap` is the vendored
    /// `hashbrown::` crate (`/rust/deps/hashbrown-0.16.1/src/map.rs`), so their name alone
    /// does not tell (sixth rules).
    static func isRuntimeSource(_ file: String) -> Bool {
        file.contains("/include/c++/") || file.hasPrefix("/rustc/") || file.hasPrefix("/rust/deps/")
    }
}

/// A node's identity: a code location, kept apart by node kind. For a site, the call
/// instruction (module and offset, refined by the inline chain), so two allocations on
/// one source line are two nodes.
struct NodeKey: Hashable {
    var kind: OwnershipNodeKind
    var function: String
    var file: String
    var line: UInt32
    var column: UInt32 = 0
    var module: String
    var code = ""
    var task: UInt64 = 0

    init(kind: OwnershipNodeKind, frame: Frame, symbols: SymbolTable) {
        self.kind = kind
        function = symbols.displayName(ofFrame: frame.id)
        file = symbols.string(frame.file)
        line = frame.line
        column = frame.column
        module = symbols.string(frame.module)
        if frame.moduleOffset != nil { code = symbols.stableCodeKey(ofFrame: frame.id) }
    }

    init(task: UInt64) {
        kind = .task
        function = "task \(task)"
        file = ""
        line = 0
        module = ""
        self.task = task
    }
}
