import MemscopeModel

extension Analysis {
    /// `function (file:line) [module]` for a call-tree node; `all` for the root.
    public func label(of node: CallTree.Node, isRoot: Bool = false) -> String {
        if isRoot { return "all" }
        var text = symbols.displayName(ofFrame: node.frame)
        let file = symbols.string(node.file)
        if !file.isEmpty { text += " (\(file)\(node.line > 0 ? ":\(node.line)" : ""))" }
        let module = symbols.string(node.module)
        if !module.isEmpty { text += " [\(baseName(module))]" }
        return text
    }

    /// The frames of a stack, innermost first, as `function (file:line) [module]`.
    /// - Parameter shortPaths: shorten long file paths to their last parts (default), or
    ///   keep them whole (exports).
    public func describeStack(_ stack: UInt32, shortPaths: Bool = true) -> [String] {
        symbols.frames(ofStack: stack).map { describeFrame($0, shortPaths: shortPaths) }
    }

    /// One frame as `function (file:line) [module]`; long paths keep their last parts.
    public func describeFrame(_ frameID: UInt32, shortPaths: Bool = true) -> String {
        let frame = symbols.frame(frameID)
        var text = symbols.displayName(ofFrame: frameID)
        let location = symbols.location(ofFrame: frameID)
        if !location.isEmpty { text += " (\(shortPaths ? shortPath(location) : location))" }
        let module = symbols.string(frame.module)
        if !module.isEmpty { text += " [\(baseName(module))]" }
        return text
    }

    /// A name for an allocation site: its first frame outside allocators and language
    /// runtimes (Rust `alloc::`, C++ `std::`, `operator new`, libc wrappers, Swift
    /// runtime…), followed by the allocator frame it went through. A display choice:
    /// the whole stack is always shown next to it.
    public func siteTitle(_ stack: UInt32) -> String {
        let frames = symbols.frames(ofStack: stack)
        guard let innermost = frames.first else { return "(no stack)" }
        guard let caller = frames.first(where: { !isRuntimeFrame(symbols.displayName(ofFrame: $0)) }), caller != innermost else {
            return describeFrame(innermost)
        }
        let via = symbols.displayName(ofFrame: innermost)
        return describeFrame(caller) + ", via " + (via.count > 48 ? String(via.prefix(47)) + "…" : via)
    }

    /// The name of a thread: `4243 "worker-1"` or `4243`.
    public func threadLabel(_ thread: UInt32) -> String {
        if let stats = threads.first(where: { $0.thread == thread }), !stats.name.isEmpty {
            return "\(thread) \"\(stats.name)\""
        }
        return "\(thread)"
    }

    /// How the program ended, in words.
    public var endDescription: String {
        guard let end = processEnd else {
            return truncated ? "unknown (the dump is cut off)" : "unknown (no process_end record)"
        }
        switch end.how {
        case .exited: return "exited with status \(end.code)"
        case .signalled: return "killed by signal \(end.code)\(signalName(end.code).map { " (\($0))" } ?? "")"
        case .unknown: return "unknown"
        }
    }
}

/// Prefixes of allocator and runtime functions, skipped when naming a site.
let runtimePrefixes = [
    "alloc::", "core::", "std::", "<alloc::", "<core::", "<std::", "__rust_", "__rdl_", "__rg_",
    "__gnu_cxx::", "operator new", "operator delete", "__cxa_",
    "malloc", "calloc", "realloc", "free", "posix_memalign", "aligned_alloc", "memalign", "valloc", "pvalloc",
    "__libc_", "__GI_", "_IO_", "__strdup", "strdup", "strndup", "__strndup", "xmalloc", "xcalloc", "xrealloc",
    "xstrdup", "g_malloc", "g_malloc0", "g_realloc", "g_strdup", "g_slice_",
    "swift_allocObject", "swift_slowAlloc", "swift_allocBox", "swift::", "_swift_",
]

/// Whether a function belongs to an allocator or a language runtime (see `runtimePrefixes`).
public func isRuntimeFrame(_ name: String) -> Bool {
    if runtimePrefixes.contains(where: { name.hasPrefix($0) }) { return true }
    // A C++ template function's demangled name starts with its return type:
    // `void std::vector<int>::_M_realloc_insert<…>(…)`.
    guard let qualified = nameAfterReturnType(name) else { return false }
    return runtimePrefixes.contains { qualified.hasPrefix($0) }
}

/// The qualified name after a leading return type (a space outside `<…>` before the
/// parameter list), or nil when there is none.
public func nameAfterReturnType(_ name: String) -> Substring? {
    var depth = 0
    var lastSpace: String.Index?
    var i = name.startIndex
    while i < name.endIndex {
        switch name[i] {
        case "<": depth += 1
        case ">": depth -= 1
        case "(": if depth == 0 { i = name.endIndex; continue }
        case " ": if depth == 0 { lastSpace = i }
        default: break
        }
        i = name.index(after: i)
    }
    guard let lastSpace else { return nil }
    let rest = name[name.index(after: lastSpace)...]
    return rest.isEmpty ? nil : rest
}

/// `…/alloc/src/raw_vec.rs:785` for paths longer than 40 characters.
public func shortPath(_ path: String) -> String {
    guard path.count > 40 else { return path }
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count > 3 else { return path }
    return "…/" + parts.suffix(3).joined(separator: "/")
}

/// The conventional name of a Linux signal number.
public func signalName(_ number: UInt32) -> String? {
    let names: [UInt32: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
        8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
        14: "SIGALRM", 15: "SIGTERM",
    ]
    return names[number]
}
