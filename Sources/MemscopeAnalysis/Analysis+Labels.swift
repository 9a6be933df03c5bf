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
        // A frame without a name is already named by its module (`libz.so.1+0x3f2a`).
        let namedByModule = frame.moduleOffset != nil && symbols.string(frame.function).isEmpty
        if !module.isEmpty && !namedByModule { text += " [\(baseName(module))]" }
        if frame.isInlined { text += " (inlined)" }
        return text
    }

    /// A name for an allocation site: its first frame outside allocators, wrappers and
    /// language runtimes (Rust `alloc::`, C++ `std::`, `operator new`, `sqlite3Malloc`,
    /// detected unnamed wrappers…), followed by the allocator frame it went through. A
    /// display choice: the whole stack is always shown next to it. Titles of different
    /// sites can read the same; ``siteTitles(_:)`` tells them apart.
    public func siteTitle(_ stack: UInt32) -> String {
        let frames = symbols.frames(ofStack: stack)
        guard let innermost = frames.first else { return "(no stack)" }
        guard let caller = siteFrame(stack), caller != innermost else {
            return describeFrame(innermost)
        }
        return describeFrame(caller) + ", via " + ReadableName.short(symbols.displayName(ofFrame: innermost), limit: 48)
    }

    /// ``siteTitle(_:)`` of each of `stacks`, each frame described once: a dump's sites
    /// share their allocator frames and many of their callers (a compiler's 58,000 sites
    /// described `operator new` 58,000 times, a Character at a time).
    public func plainSiteTitles(_ stacks: [UInt32]) -> [String] {
        var described: [UInt32: String] = [:]
        var via: [UInt32: String] = [:]
        return stacks.map { stack in
            let frames = symbols.frames(ofStack: stack)
            guard let innermost = frames.first else { return "(no stack)" }
            func describe(_ frame: UInt32) -> String {
                if let known = described[frame] { return known }
                let text = describeFrame(frame)
                described[frame] = text
                return text
            }
            guard let caller = frames.first(where: { !isAllocatorFrame($0) }), caller != innermost else {
                return describe(innermost)
            }
            let through: String
            if let known = via[innermost] {
                through = known
            } else {
                through = ", via " + ReadableName.short(symbols.displayName(ofFrame: innermost), limit: 48)
                via[innermost] = through
            }
            return describe(caller) + through
        }
    }

    /// The frame that names a site: the innermost outside allocators, wrappers and
    /// runtimes; nil when every frame is one of those, or the stack is empty.
    public func siteFrame(_ stack: UInt32) -> UInt32? {
        symbols.frames(ofStack: stack).first { !isAllocatorFrame($0) }
    }

    /// Titles for several sites, told apart where ``siteTitle(_:)`` reads the same: two
    /// calls on one line without a column become `#1`, `#2` in code order; one call
    /// reached from different callers gets `from` the first caller that differs.
    public func siteTitles(_ stacks: [UInt32]) -> [String] {
        var titles = plainSiteTitles(stacks)
        /// Each caller's name, made once: the paths of one site share most of their frames.
        var callerNames: [UInt32: String] = [:]
        var groups: [String: [Int]] = [:]
        for (i, title) in titles.enumerated() { groups[title, default: []].append(i) }
        for members in groups.values where members.count > 1 {
            let sites = members.map { siteFrame(stacks[$0]) ?? symbols.frames(ofStack: stacks[$0]).first ?? 0 }
            let codes = sites.map { symbols.stableCodeKey(ofFrame: $0) }
            let order = Array(Set(codes)).sorted { a, b in
                let fa = sites[codes.firstIndex(of: a)!], fb = sites[codes.firstIndex(of: b)!]
                let oa = symbols.frame(fa).moduleOffset ?? symbols.frame(fa).instructionPointer
                let ob = symbols.frame(fb).moduleOffset ?? symbols.frame(fb).instructionPointer
                return (oa, a) < (ob, b)
            }
            for (k, member) in members.enumerated() where order.count > 1 {
                titles[member] += " #\(order.firstIndex(of: codes[k])! + 1)"
            }
            // One call instruction reached along different paths: name the first caller that differs.
            for code in order {
                let same = members.indices.filter { codes[$0] == code }
                guard same.count > 1 else { continue }
                let paths = same.map { k -> [String] in
                    let frames = symbols.frames(ofStack: stacks[members[k]])
                    let start = (frames.firstIndex(of: sites[k]) ?? 0) + 1
                    return frames[min(start, frames.count)...].map { frame in
                        if let known = callerNames[frame] { return known }
                        let location = symbols.location(ofFrame: frame)
                        let name = ReadableName.short(symbols.displayName(ofFrame: frame), limit: 48)
                        let named = location.isEmpty ? name : "\(name) (\(shortPath(location)))"
                        callerNames[frame] = named
                        return named
                    }
                }
                // Each path is named by its caller at the first level where its path so far is
                // its own (one caller apart from all the others).
                var named = paths
                var levels = Self.firstOwnLevels(paths)
                // Callers with neither line nor distinct name (a stripped or line-less binary:
                // two calls of one function from the same caller) differ by return address only:
                // name those paths by the caller's place in its module.
                let unnamed = same.indices.filter { levels[$0] == nil }
                if unnamed.count > 1 {
                    let placed = unnamed.map { j -> [String] in
                        let frames = symbols.frames(ofStack: stacks[members[same[j]]])
                        let start = (frames.firstIndex(of: sites[same[j]]) ?? 0) + 1
                        return zip(paths[j], frames[min(start, frames.count)...]).map { name, frame in
                            name + " at " + placeInModule(frame)
                        }
                    }
                    for (u, level) in Self.firstOwnLevels(placed).enumerated() where level != nil {
                        named[unnamed[u]] = placed[u]
                        levels[unnamed[u]] = level
                    }
                }
                for (j, k) in same.enumerated() {
                    if let level = levels[j] {
                        titles[members[k]] += ", from " + named[j][level]
                    } else {
                        titles[members[k]] += ", at the stack's root"
                    }
                }
            }
        }
        // Still alike (recursion: the first caller that differs reads the same): number them.
        var repeated: [String: [Int]] = [:]
        for (i, title) in titles.enumerated() { repeated[title, default: []].append(i) }
        for members in repeated.values where members.count > 1 {
            for (n, i) in members.enumerated() { titles[i] += " #\(n + 1)" }
        }
        return titles
    }

    /// Where a frame's code is: `node+0x1f3a2c` (module and offset, the same in every run),
    /// else its address.
    func placeInModule(_ frameID: UInt32) -> String {
        symbols.moduleOffsetName(ofFrame: frameID) ?? "0x" + String(symbols.frame(frameID).instructionPointer, radix: 16)
    }

    /// For each path, the first level at which its prefix through that level is its own: no
    /// other path longer than that level has the same prefix; nil when none is. The paths are
    /// split level by level into groups that share their prefix so far, so each name is read
    /// once (comparing every pair's prefixes at every level took half a second on a dump of
    /// recursive lists, whose one call site is reached along hundreds of paths).
    static func firstOwnLevels(_ paths: [[String]]) -> [Int?] {
        var levels = [Int?](repeating: nil, count: paths.count)
        var groups: [[Int]] = [Array(paths.indices)]
        var level = 0
        while !groups.isEmpty {
            var next: [[Int]] = []
            for group in groups {
                var byName: [String: [Int]] = [:]
                for i in group where paths[i].count > level { byName[paths[i][level], default: []].append(i) }
                for sharing in byName.values {
                    if sharing.count == 1 { levels[sharing[0]] = level } else { next.append(sharing) }
                }
            }
            groups = next
            level += 1
        }
        return levels
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

/// Prefixes of allocator and runtime functions, skipped when naming a site (with the
/// wrappers of ``wrapperPrefixes``).
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
    if let answer = isRuntimeFrameASCII(name) { return answer }
    // Rust trait calls through references (`<&dyn core::ops::Fn…>::call_once`) are calls
    // of the referenced type's code.
    for reference in ["<&dyn ", "<&mut ", "<&", "<dyn "] where name.hasPrefix(reference) {
        return isRuntimeFrame("<" + name.dropFirst(reference.count))
    }
    if runtimePrefixes.contains(where: { name.hasPrefix($0) }) || wrapperPrefixes.contains(where: { name.hasPrefix($0) }) {
        return true
    }
    if isStandardTraitImplOnStandardType(name) { return true }
    // A C++ template function's demangled name starts with its return type:
    // `void std::vector<int>::_M_realloc_insert<…>(…)`.
    guard let qualified = nameAfterReturnType(name) else { return false }
    return runtimePrefixes.contains { qualified.hasPrefix($0) } || wrapperPrefixes.contains { qualified.hasPrefix($0) }
}

/// The runtime and wrapper prefixes as bytes, for ``isRuntimeFrameASCII(_:)``.
private let runtimeAndWrapperPrefixBytes: [[UInt8]] = (runtimePrefixes + wrapperPrefixes).map { Array($0.utf8) }

/// ``isRuntimeFrame(_:)`` of an ASCII name that does not start with `<`, on its bytes; nil
/// for other names. The same answer: for ASCII text a prefix of characters is a prefix of
/// bytes (the function is asked once per event by the ownership inference, and C++ names
/// are long: a walk by `Character` took 4% of a render of a compiler's dump).
private func isRuntimeFrameASCII(_ name: String) -> Bool? {
    var copy = name
    return copy.withUTF8 { bytes -> Bool? in
        guard let first = bytes.first, first != UInt8(ascii: "<") else { return bytes.isEmpty ? false : nil }
        for byte in bytes where byte >= 0x80 { return nil }
        func hasPrefix(_ text: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
            runtimeAndWrapperPrefixBytes.contains { prefix in
                prefix.count <= text.count && zip(prefix, text).allSatisfy { $0 == $1 }
            }
        }
        if hasPrefix(bytes[...]) { return true }
        guard let start = afterReturnType(bytes) else { return false }
        return hasPrefix(bytes[start...])
    }
}

/// ``nameAfterReturnType(_:)`` on an ASCII name's bytes: the offset where the qualified
/// name starts, or nil.
private func afterReturnType(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var depth = 0
    var lastSpace = -1
    scan: for (i, byte) in bytes.enumerated() {
        switch byte {
        case UInt8(ascii: "<"): depth += 1
        case UInt8(ascii: ">"): depth -= 1
        case UInt8(ascii: "("): if depth == 0 { break scan }
        case UInt8(ascii: " "): if depth == 0 { lastSpace = i }
        default: break
        }
    }
    guard lastSpace >= 0, lastSpace + 1 < bytes.count else { return nil }
    return lastSpace + 1
}

/// The qualified name after a leading return type (a space outside `<…>` before the
/// parameter list), or nil when there is none.
public func nameAfterReturnType(_ name: String) -> Substring? {
    // ASCII names on their bytes (the same answer: each character is one byte).
    var copy = name
    if let found = copy.withUTF8({ bytes -> Int?? in
        for byte in bytes where byte >= 0x80 { return nil }
        return .some(afterReturnType(bytes))
    }) {
        guard let start = found else { return nil }
        return name[name.utf8.index(name.utf8.startIndex, offsetBy: start)...]
    }
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

/// Rust's standard library implementing its own trait for a primitive or standard type:
/// `<u8 as alloc::vec::spec_from_elem::SpecFromElem>::from_elem` (what `vec![x; n]` calls),
/// `<[T] as alloc::slice::hack::ConvertVec>::to_vec`. A program's own type implementing a
/// standard trait (`<app::Config as core::fmt::Display>::fmt`) is the program's code.
func isStandardTraitImplOnStandardType(_ name: String) -> Bool {
    guard name.hasPrefix("<"), let separator = name.range(of: " as ") else { return false }
    let selfType = name[name.index(after: name.startIndex)..<separator.lowerBound]
    let trait = name[separator.upperBound...]
    guard ["alloc::", "core::", "std::"].contains(where: { trait.hasPrefix($0) }) else { return false }
    var type = selfType.drop { $0 == "&" || $0 == "*" || $0 == "[" || $0 == " " }
    for qualifier in ["mut ", "const ", "dyn "] where type.hasPrefix(qualifier) { type = type.dropFirst(qualifier.count) }
    let primitives: Set<Substring> = ["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
                                      "f32", "f64", "bool", "char", "str", "()", "T", "U"]
    let head = type.prefix { $0 != "]" && $0 != ";" && $0 != "<" && $0 != ">" }
    return primitives.contains(head) || ["alloc::", "core::", "std::"].contains(where: { type.hasPrefix($0) })
}
