import MemscopeModel

/// Whose code a frame is: the program's own, a library shipped with it, a system library,
/// or the C library and language runtimes. It colours flamegraphs by module.
///
/// Decided from the module's path and the frame's name, in this order:
/// 1. No module known: ``unknown``.
/// 2. An allocator, wrapper or runtime frame by the rules that name allocation sites
///    (``isRuntimeFrame(_:)``, the analysis' ``AllocatorFrames``), wherever its code is
///    (C++ `std::` templates and Rust `alloc::` are compiled into the program): ``runtime``.
/// 3. The C library, the dynamic loader, the C++, GCC, Rust, Swift and allocator runtimes
///    and memscope's own recorder, by file name (``runtimeLibraryPrefixes``): ``runtime``.
/// 4. The program: the module named like the command line's program, or holding `main`,
///    or any module that is not a shared library (no `.so` in its name) outside the system
///    directories: ``application``.
/// 5. Other modules in a system directory (``systemDirectories``): ``systemLibrary``.
/// 6. The rest (shared libraries beside the program, in a build tree, in `/opt`):
///    ``ownLibrary``.
public enum CodeOrigin: String, Sendable, CaseIterable {
    case application
    case ownLibrary = "own-library"
    case systemLibrary = "system-library"
    case runtime
    case unknown

    public var title: String {
        switch self {
        case .application: "the program"
        case .ownLibrary: "its own libraries"
        case .systemLibrary: "system libraries"
        case .runtime: "libc, loader and language runtimes"
        case .unknown: "module unknown"
        }
    }

    /// Directories whose libraries belong to the system, not to the program.
    public static let systemDirectories = [
        "/lib/", "/lib32/", "/lib64/", "/libx32/", "/usr/lib/", "/usr/lib32/", "/usr/lib64/", "/usr/libx32/",
        "/usr/libexec/", "/usr/local/lib/", "/usr/local/lib64/", "/nix/store/", "/gnu/store/", "/snap/",
        "/System/", "/usr/share/",
    ]

    /// File-name prefixes of the C library, the loader, language runtimes and allocators.
    public static let runtimeLibraryPrefixes = [
        "libc.so", "libc-", "libc.musl", "ld-linux", "ld-musl", "ld64.so", "ld.so", "linux-vdso", "linux-gate",
        "libm.so", "libm-", "libpthread", "libdl.so", "libdl-", "librt.so", "librt-", "libresolv", "libutil.so",
        "libstdc++", "libc++", "libgcc_s", "libatomic", "libunwind", "libsupc++",
        "libswift", "libFoundation", "libdispatch", "libBlocksRuntime", "libicu",
        "libjemalloc", "libtcmalloc", "libmimalloc", "libmemscope", "vgpreload_", "libasan", "libtsan",
        "libpython", "libruby", "libjvm", "libgo.so",
    ]

    /// The origin of a module by its path alone (rules 1 and 3 to 6).
    /// - Parameter program: the program's module path, when known.
    public static func ofModule(_ path: String, program: String?) -> CodeOrigin {
        guard !path.isEmpty else { return .unknown }
        let name = baseName(path)
        if runtimeLibraryPrefixes.contains(where: { name.hasPrefix($0) }) { return .runtime }
        if let program, path == program { return .application }
        if systemDirectories.contains(where: { path.hasPrefix($0) }) { return .systemLibrary }
        let sharedLibrary = name.contains(".so") || name.hasSuffix(".dylib") || name.hasSuffix(".dll")
        return sharedLibrary ? .ownLibrary : .application
    }
}

extension Analysis {
    /// The program's module: the one named like the command line's program, else the module
    /// of a frame called `main` near the top of the call tree; nil when neither is known.
    public var programModule: String? {
        if let program = metadata.commandLine.first, !program.isEmpty {
            var seen = Set<UInt32>()
            var sameName: String?
            for id in 1..<max(1, symbols.frames.count) {
                let module = symbols.frame(UInt32(id)).module
                guard module != 0, seen.insert(module).inserted else { continue }
                let path = symbols.string(module)
                if path == program { return path }
                if sameName == nil && baseName(path) == baseName(program) { sameName = path }
            }
            if let sameName { return sameName }
        }
        for i in 0..<topDown.nodeCount where topDown.depth(i) <= 4 && topDown.module(i) != 0
            && symbols.displayName(ofFrame: topDown.frame(i)) == "main" {
            return symbols.string(topDown.module(i))
        }
        return nil
    }

    /// The origin of one frame (every rule of ``CodeOrigin``).
    /// - Parameters:
    ///   - module: the string id of the frame's module path (a call-tree node's), or nil for the frame's own.
    ///   - program: ``programModule``, computed once by the caller.
    public func origin(ofFrame id: UInt32, module: UInt32? = nil, program: String?) -> CodeOrigin {
        let path = symbols.string(module ?? symbols.frame(id).module)
        if path.isEmpty { return .unknown }
        if isAllocatorFrame(id) { return .runtime }
        return CodeOrigin.ofModule(path, program: program)
    }
}
