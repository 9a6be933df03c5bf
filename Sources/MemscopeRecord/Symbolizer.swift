import CMemscopeNative

#if canImport(Glibc)
import Glibc
#endif

/// Where a return address is: demangled function, source file and line (from
/// DWARF where the module has debug info), and the module's path.
struct SymbolizedFrame {
    var function: String?
    var file: String?
    var line: UInt32
    var module: String?
}

/// Symbolizes addresses of one program image from its recorded module map, with
/// elfutils' libdwfl (DWARF lines, ELF symbol tables, separate debug files found
/// by build id). Names are demangled by ``Demangler``.
final class Symbolizer {
    private let handle: OpaquePointer?
    private let modules: [SpoolModule]

    /// `modules`: the image's module map; a later report of the same start address wins.
    init(modules: [SpoolModule]) {
        var byStart: [UInt64: SpoolModule] = [:]
        for module in modules { byStart[module.start] = module }
        self.modules = byStart.values.sorted { $0.start < $1.start }
        handle = ms_symbolizer_create()
        guard let handle else { return }
        for module in self.modules { _ = ms_symbolizer_add_module(handle, module.path, module.bias) }
        ms_symbolizer_end_modules(handle)
    }

    deinit { if let handle { ms_symbolizer_destroy(handle) } }

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
    func symbolize(returnAddress: UInt64) -> SymbolizedFrame {
        let module = self.module(containing: returnAddress)
        var frame = SymbolizedFrame(function: nil, file: nil, line: 0, module: module?.path)
        guard let handle, module != nil, returnAddress > 0 else { return frame }
        var symbol = ms_symbol()
        ms_symbolizer_lookup(handle, returnAddress - 1, &symbol)
        if let name = symbol.function {
            // ELF symbol versions (`pthread_create@GLIBC_2.2.5`) are not part of the name.
            let bare = String(cString: name).split(separator: "@", maxSplits: 1).first.map(String.init) ?? ""
            frame.function = Demangler.demangle(bare)
        }
        if let file = symbol.file { frame.file = String(cString: file) }
        frame.line = symbol.line
        return frame
    }
}

/// Demangles C++ and Rust (legacy and v0) names with libiberty, Swift names with
/// the Swift runtime; other names are returned unchanged.
enum Demangler {
    static func demangle(_ name: String) -> String {
        guard let demangled = ms_demangle(name) else { return name }
        defer { free(demangled) }
        return String(cString: demangled)
    }
}
