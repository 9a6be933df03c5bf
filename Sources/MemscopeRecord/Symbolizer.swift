import CMemscopeNative
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One frame of a return address's inline chain: demangled function, source position
/// (from DWARF where the module has debug info).
struct SymbolizedFrame: Equatable, Sendable {
    var function: String?
    var file: String?
    var line: UInt32
    var column: UInt32
    /// Inlined into the next frame of the chain.
    var isInlined: Bool
}

/// Where a return address is: its module, its offset in the module's own address space
/// and build id (stable across runs), and its inline chain, innermost first (empty when
/// nothing names the address).
struct SymbolizedAddress: Sendable {
    var module: String?
    var buildID: String?
    var moduleOffset: UInt64?
    var frames: [SymbolizedFrame]
}

/// Symbolizes addresses of one program image from its recorded module map, with
/// elfutils' libdwfl (DWARF lines and inline scopes, ELF symbol tables, separate debug
/// files found by build id or debuglink). Names are demangled by ``Demangler``.
final class Symbolizer {
    private var handle: OpaquePointer?
    private var modules: [SpoolModule]

    /// `modules`: the image's module map; a later report of the same start address wins.
    init(modules: [SpoolModule]) {
        var byStart: [UInt64: SpoolModule] = [:]
        for module in modules { byStart[module.start] = module }
        self.modules = byStart.values.sorted { $0.start < $1.start }
        _ = Self.offline
        handle = Self.session(reporting: self.modules)
    }

    deinit { if let handle { ms_symbolizer_destroy(handle) } }

    /// A libdwfl session that knows `modules`.
    private static func session(reporting modules: [SpoolModule]) -> OpaquePointer? {
        guard let handle = ms_symbolizer_create() else { return nil }
        for module in modules { _ = ms_symbolizer_add_module(handle, module.path, module.bias) }
        ms_symbolizer_end_modules(handle)
        return handle
    }

    /// Never a download from a debuginfod server while writing a dump (CI runs offline and
    /// unattended): a local cache is read, see docs/RECORDER.md. Done once, by the first
    /// symbolizer, before dumps are written on several threads.
    private static let offline: Void = { unsetenv("DEBUGINFOD_URLS") }()

    /// Adds a module loaded after the symbolizer was made. The recorder reports the whole
    /// map again at every load, so most reports are of modules known already: those change
    /// nothing. (libdwfl takes a second report of a module it has, made with a new file
    /// descriptor, for an overlap, and drops the module: every other `dlopen` left the
    /// modules loaded before it unnamed until the next one, as CPython's extension modules
    /// were.) A module whose range overlaps known ones replaces them (a library unloaded
    /// and another loaded in its place), and the session is made again without them; the
    /// modules' indexes, kept per build id for the process, are not read again.
    func add(later module: SpoolModule) {
        if modules.contains(where: { $0.sameMapping(as: module) }) { return }
        let replaced = modules.contains { $0.overlaps(module) }
        modules.removeAll { $0.overlaps(module) }
        let at = modules.firstIndex { $0.start > module.start } ?? modules.count
        modules.insert(module, at: at)
        if replaced {
            if let handle { ms_symbolizer_destroy(handle) }
            handle = Self.session(reporting: modules)
        } else if let handle {
            _ = ms_symbolizer_add_module_later(handle, module.path, module.bias)
        }
    }

    /// The recorded module that contains `address`.
    func module(containing address: UInt64) -> SpoolModule? {
        var low = 0, high = modules.count
        while low < high {
            let mid = (low + high) / 2
            if modules[mid].start <= address { low = mid + 1 } else { high = mid }
        }
        guard low > 0, address < modules[low - 1].end else { return nil }
        return modules[low - 1]
    }

    /// Symbolizes a return address (looked up one byte earlier, inside the call).
    func symbolize(returnAddress: UInt64) -> SymbolizedAddress {
        let module = self.module(containing: returnAddress)
        var result = SymbolizedAddress(module: module?.path, buildID: nil, moduleOffset: nil, frames: [])
        guard let module, returnAddress > 0 else { return result }
        // The recorded bias is the address of the module's vaddr 0: what addr2line takes.
        result.moduleOffset = returnAddress &- module.bias
        guard let handle else { return result }
        let key = SymbolCache.Key(buildID: module.buildID, offset: returnAddress &- module.bias)
        if !module.buildID.isEmpty, let known = SymbolCache.shared.lookup(key) {
            result.buildID = known.buildID
            result.frames = known.frames
            return result
        }
        defer { if !module.buildID.isEmpty { SymbolCache.shared.store(key, result) } }
        let location = UnsafeMutablePointer<ms_location>.allocate(capacity: 1)
        defer { location.deallocate() }
        ms_symbolizer_locate(handle, returnAddress - 1, location)
        let found = location.pointee
        result.buildID = module.buildID.isEmpty ? found.build_id.map { String(cString: $0) } : module.buildIDHex
        let count = min(Int(found.count), Int(MS_MAX_INLINE))
        withUnsafeBytes(of: found.frames) { raw in
            let frames = raw.bindMemory(to: ms_inline_frame.self)
            for i in 0..<count {
                let frame = frames[i]
                result.frames.append(SymbolizedFrame(
                    function: frame.function.map { Demangler.demangle(String(cString: $0)) },  // versions stripped in C
                    file: frame.file.map { String(cString: $0) }, line: frame.line, column: frame.column,
                    isInlined: frame.inlined != 0))
            }
        }
        return result
    }
}

/// Symbolized addresses shared by every dump of one recording. The processes of one run (a
/// compiler driver and its children, a shell script's commands, a version manager's shims)
/// load the same modules, and a module's DWARF costs most at its first lookup (libdw inflates
/// compressed debug sections: about 35 ms for Debian's libc, in every process that
/// symbolized an address of it). Keyed by build id and offset in the module: the same bytes
/// at the same place give the same answer. Modules without a build id are not cached.
final class SymbolCache: Sendable {
    static let shared = SymbolCache()

    struct Key: Hashable, Sendable {
        var buildID: [UInt8]
        var offset: UInt64
    }

    private let entries = Mutex<[Key: SymbolizedAddress]>([:])

    func lookup(_ key: Key) -> SymbolizedAddress? { entries.withLock { $0[key] } }

    func store(_ key: Key, _ value: SymbolizedAddress) { entries.withLock { $0[key] = value } }
}

/// Demangles C++ and Rust (legacy and v0) names with libiberty, Swift names with
/// the Swift runtime; other names are returned unchanged.
enum Demangler {
    static func demangle(_ name: String) -> String {
        guard let demangled = ms_demangle(name) else { return name }
        defer { free(demangled) }
        return String(cString: demangled)
    }

    /// A C++ type name as `typeid(T).name()` gives it (`7Request`, `St6vectorIiSaIiEE`,
    /// `N2ns3FooE`) made readable; any other name (one a person wrote, `struct request`)
    /// is returned unchanged. Only class types are tried, and only a complete demangling
    /// counts, so that a plain word is never read as a mangled one.
    static func typeName(_ name: String) -> String {
        guard let first = name.utf8.first, first.isASCIIDigitOrNestedOrStd(next: name.utf8.dropFirst().first),
              !name.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) else { return name } // mangled names are printable ASCII words
        let demangled = demangle("_Z" + name)
        return demangled == "_Z" + name ? name : demangled
    }
}

private extension UInt8 {
    /// A length (`7Request`), a nested name (`N…E`) or a std:: name (`St…`, `Sa…`, `Ss…`).
    func isASCIIDigitOrNestedOrStd(next: UInt8?) -> Bool {
        if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(self) { return true }
        if self == UInt8(ascii: "N") { return true }
        return self == UInt8(ascii: "S") && next.map { "tabsiod".utf8.contains($0) } == true
    }
}
