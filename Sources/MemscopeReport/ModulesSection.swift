import MemscopeAnalysis
import MemscopeModel

/// Bytes and leaks per module, blocks handed from one module to another (where FFI
/// ownership transfers show up), and leaks another module last held.
enum ModulesSection {
    static func html(_ a: Analysis) -> String {
        guard a.modules.count > 1 || !a.moduleHandOffs.isEmpty else { return "" }
        return [perModule(a), handOffs(a), crossModuleLeaks(a)].joined()
    }

    static func module(_ path: String) -> String {
        path.isEmpty ? "<td><span class=\"empty\">unknown module</span></td>"
            : "<td title=\"\(HTML.escape(path))\">\(HTML.escape(baseName(path)))</td>"
    }

    static func perModule(_ a: Analysis) -> String {
        let rows = a.modules.prefix(TablesSection.maxRows).map { m in
            "<tr>\(module(m.path))\(TablesSection.num(m.allocations))\(TablesSection.num(m.bytesAllocated, bytes: true))"
                + "\(TablesSection.num(m.frees))\(TablesSection.num(m.leakedBytes, bytes: true))\(TablesSection.num(m.leakedBlocks))</tr>"
        }
        return "<h3>Modules</h3><p class=\"note\">Each allocation and free belongs to the module (executable or shared library) "
            + "of the first frame of its stack outside the allocator and language runtimes. Frees count the blocks the module's "
            + "code freed, whoever allocated them; leaks count the blocks it allocated.</p>"
            + TablesSection.table([("module", false), ("calls", true), ("allocated", true), ("frees", true),
                                   ("leaked", true), ("leaked blocks", true)], rows: rows)
    }

    static func handOffs(_ a: Analysis) -> String {
        guard !a.moduleHandOffs.isEmpty else {
            return "<h3>Cross-module hand-offs</h3><p class=\"empty\">Every block was freed by code in the module that allocated it.</p>"
        }
        let rows = a.moduleHandOffs.prefix(TablesSection.maxRows).map { h in
            "<tr>\(module(h.allocatingModule))\(module(h.freeingModule))\(TablesSection.num(h.blocks))\(TablesSection.num(h.bytes, bytes: true))</tr>"
        }
        return "<h3>Cross-module hand-offs</h3><p class=\"note\">Blocks allocated by code in one module and freed (or reallocated) "
            + "by code in another: ownership crossing a library boundary, as across an FFI. Each side must use the same allocator.</p>"
            + TablesSection.table([("allocated in", false), ("freed in", false), ("blocks", true), ("bytes", true)], rows: rows)
    }

    static func crossModuleLeaks(_ a: Analysis) -> String {
        guard !a.crossModuleLeaks.isEmpty else { return "" }
        let rows = a.crossModuleLeaks.prefix(TablesSection.maxRows).map { l in
            let how = l.holder == .reallocatedBy ? "reallocated it last" : "held its pointer (reference scan)"
            return "<tr>\(module(l.allocatingModule))\(module(l.holderModule))<td>\(HTML.escape(how))</td>"
                + "\(TablesSection.num(l.blocks))\(TablesSection.num(l.bytes, bytes: true))</tr>"
        }
        return "<h3>Leaks held by another module</h3><p class=\"note\">Leaked blocks whose last observed holder is a module other "
            + "than the one that allocated them: whoever should have freed them is likely on the holder's side. The holder is "
            + "the module whose code last reallocated the block, or else the module that allocated a live block in which the "
            + "recorder's last reference scan found a pointer to it. Blocks with neither are not listed: who last held them "
            + "cannot be told from the dump.</p>"
            + TablesSection.table([("allocated in", false), ("last held in", false), ("how", false), ("blocks", true),
                                   ("bytes", true)], rows: rows)
    }
}
