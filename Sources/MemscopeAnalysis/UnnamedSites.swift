import MemscopeModel

/// Modules whose code allocates without names: sites whose own frame (``Analysis/siteFrame(_:)``)
/// has no function name, because the module has no symbol table and no debug information
/// (a stripped distribution binary without its debug package), weighted by allocation calls.
/// A report names them so that a user knows where names went and how to get them back.
public struct UnnamedSites: Sendable, Equatable {
    public struct Module: Sendable, Equatable {
        /// The module's path, as recorded.
        public var path: String
        /// Its GNU build id in hex, when the dump has it (what debuginfod and `.build-id`
        /// directories are keyed by).
        public var buildID: String
        /// Allocation calls at its unnamed sites.
        public var allocations: UInt64
    }

    /// Allocation calls at sites whose own frame has no name, and in all.
    public var unnamedAllocations: UInt64 = 0
    public var allocations: UInt64 = 0
    /// The modules of the unnamed site frames, most allocations first (ties by path).
    public var modules: [Module] = []

    /// The share of allocation calls at unnamed sites (0 when there are none).
    public var share: Double { allocations == 0 ? 0 : Double(unnamedAllocations) / Double(allocations) }

    /// Worth a note: at least a tenth of the allocation calls have no name at their site.
    public var isSignificant: Bool { unnamedAllocations > 0 && unnamedAllocations * 10 >= allocations }

    /// One line for a person: which modules, and how to get their names.
    public var advice: String {
        let percent = Units.fixed((share * 1000).rounded(.down) / 10, decimals: 1)
        let named = modules.prefix(3).map { m in
            let name = m.path.split(separator: "/").last.map(String.init) ?? m.path
            return m.buildID.isEmpty ? name : "\(name) (build id \(m.buildID))"
        }.joined(separator: ", ")
        return "\(percent)% of the allocation calls are at sites without a name, in \(named)"
            + (modules.count > 3 ? " and \(modules.count - 3) more modules" : "")
            + ": the modules were shipped without the symbols or debug information for that code (stripped), so its frames "
            + "show as module+offset. Install their debug files (Debian: the -dbgsym packages; or fetch them into the local "
            + "debuginfod cache with debuginfod-find debuginfo BUILDID) and record again."
    }
}

extension Analysis {
    /// The allocation sites whose own frame has no name, by module (see ``UnnamedSites``).
    public var unnamedSites: UnnamedSites {
        var result = UnnamedSites()
        // By build id where known: one binary under two paths (git, then the same file as
        // git-core/git after an exec) is one module to install debug files for.
        var byModule: [UInt64: (module: UInt32, buildID: UInt32, allocations: UInt64)] = [:]
        // By index: a site copied out of the array retains its arrays.
        for i in sites.indices {
            let allocations = sites[i].costs.allocations
            result.allocations &+= allocations
            guard let frameID = siteFrame(sites[i].stack) else { continue }
            let frame = symbols.frame(frameID)
            guard frame.function == 0, frame.module != 0 else { continue }
            result.unnamedAllocations &+= allocations
            let key = frame.buildID != 0 ? UInt64(frame.buildID) | 1 << 32 : UInt64(frame.module)
            var entry = byModule[key, default: (frame.module, frame.buildID, 0)]
            // The path named is the one that sorts first, whichever site comes first.
            if symbols.string(frame.module) < symbols.string(entry.module) { entry.module = frame.module }
            entry.allocations &+= allocations
            byModule[key] = entry
        }
        result.modules = byModule.values.map { value in
            UnnamedSites.Module(path: symbols.string(value.module), buildID: symbols.string(value.buildID), allocations: value.allocations)
        }.sorted { ($0.allocations, $1.path) > ($1.allocations, $0.path) }
        return result
    }
}
