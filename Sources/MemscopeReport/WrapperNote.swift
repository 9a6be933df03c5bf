import MemscopeAnalysis
import MemscopeModel

/// The sentence that says which allocation wrappers site names and the frame filter went
/// past, each with its rule: a built-in name, the user's `--wrapper` pattern, or inferred
/// (a frame with no symbol, with its evidence).
enum WrapperNote {
    /// Wrappers named in full; the rest are counted.
    static let shown = 6

    static func html(_ a: Analysis) -> String {
        // Language runtimes' own allocator layers (Rust's alloc::, C++'s allocator_traits)
        // are counted, not named: the frame filter's description covers them.
        let runtime = a.allocatorFrames.skipped.filter { $0.rule == .builtIn && !isLibraryWrapperName($0.name) }
        let skipped = a.allocatorFrames.skipped.filter { !($0.rule == .builtIn && !isLibraryWrapperName($0.name)) }
        guard !skipped.isEmpty || !runtime.isEmpty else { return "" }
        guard !skipped.isEmpty else {
            return " Site names skip \(runtime.count) allocator frames of language runtimes (such as "
                + "<code>\(HTML.escape(ReadableName.short(runtime[0].name, limit: 60)))</code>)."
        }
        let sites = max(1, a.sites.count)
        let items = skipped.prefix(shown).map { wrapper -> String in
            let name = "<code>\(HTML.escape(ReadableName.short(wrapper.name, limit: 60)))</code>"
            switch wrapper.rule {
            case .builtIn:
                return "\(name) (built-in list, \(Units.count(UInt64(wrapper.stacks))) stacks)"
            case .pattern(let pattern):
                return "\(name) (<code>--wrapper \(HTML.escape(pattern))</code>, \(Units.count(UInt64(wrapper.stacks))) stacks)"
            case .underWrappers(let stacks):
                return "\(name) (<em>inferred</em> wrapper: no symbol; directly above the allocator and called only by "
                    + "known wrappers, in \(Units.count(UInt64(stacks))) stacks)"
            case .detected(let stacks, let callers):
                let share = Units.fixed(Double(stacks) * 100 / Double(sites), decimals: 0)
                return "\(name) (<em>inferred</em> wrapper: no symbol; \(share)% of the distinct allocating stacks "
                    + "(\(Units.count(UInt64(stacks)))) pass through it, from \(callers) distinct callers)"
            }
        }
        var more = skipped.count > shown ? " and \(skipped.count - shown) more" : ""
        if !runtime.isEmpty { more += ", besides \(runtime.count) allocator frames of language runtimes" }
        return " Site names skip allocation wrappers: " + items.joined(separator: ", ") + more
            + " (<code>--wrapper REGEX</code> adds your own; <code>--no-wrapper-detection</code> keeps unnamed ones)."
    }
}
