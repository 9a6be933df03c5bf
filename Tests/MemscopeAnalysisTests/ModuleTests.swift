import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Per-module figures, cross-module hand-offs and leaks held by another module.
@Suite struct ModuleTests {
    static func dump() -> [Record] {
        var dump = DumpBuilder()
        dump.modules = ["lib_make": "/lib/libplugin.so", "lib_drop": "/lib/libplugin.so", "malloc_wrapper": "/lib/libc.so.6"]
        let appMake = dump.stack("main", "app_make")
        let libMake = dump.stack("main", "lib_make", "malloc_wrapper") // allocator frame skipped: libplugin
        let libDrop = dump.stack("main", "lib_drop")
        let appDrop = dump.stack("main", "app_drop")
        let appGrow = dump.stack("main", "app_grow")
        dump.alloc(ts: 1, address: 0x1000, size: 100, stack: libMake)   // plugin → app frees it
        dump.free(ts: 2, address: 0x1000, stack: appDrop)
        dump.alloc(ts: 3, address: 0x2000, size: 40, stack: appMake)    // app → plugin frees it
        dump.free(ts: 4, address: 0x2000, stack: libDrop)
        dump.alloc(ts: 5, address: 0x3000, size: 8, stack: appMake)     // freed where allocated
        dump.free(ts: 6, address: 0x3000, stack: appDrop)
        dump.alloc(ts: 7, address: 0x4000, size: 16, stack: libMake)    // leaks, last reallocated by the app
        dump.realloc(ts: 8, from: 0x4000, to: 0x5000, size: 32, stack: appGrow)
        dump.alloc(ts: 9, address: 0x6000, size: 64, stack: appMake)    // holds 0x7000
        dump.alloc(ts: 10, address: 0x7000, size: 24, stack: libMake)   // leaks, referenced from an app block
        dump.append(.pointerReference(PointerReference(timestamp: 11, source: .block, from: 0, to: 0, interior: false)))
        dump.append(.pointerReference(PointerReference(timestamp: 11, source: .block, from: 0x6000, to: 0x7000, interior: false)))
        dump.end(ts: 12)
        return dump.records
    }

    @Test func modulesHandOffsAndCrossModuleLeaks() throws {
        let analysis = analyze(Self.dump())
        let plugin = try #require(analysis.modules.first { $0.path == "/lib/libplugin.so" })
        let app = try #require(analysis.modules.first { $0.path == "/bin/prog" })
        #expect(plugin.allocations == 3 && plugin.bytesAllocated == 140 && plugin.frees == 1)
        #expect(plugin.leakedBlocks == 1 && plugin.leakedBytes == 24)
        #expect(app.allocations == 4 && app.bytesAllocated == 40 + 8 + 32 + 64 && app.frees == 3) // 2 frees + the realloc
        #expect(app.leakedBlocks == 2 && app.leakedBytes == 96)
        #expect(analysis.moduleHandOffs == [
            ModuleHandOff(allocatingModule: "/lib/libplugin.so", freeingModule: "/bin/prog", blocks: 2, bytes: 116),
            ModuleHandOff(allocatingModule: "/bin/prog", freeingModule: "/lib/libplugin.so", blocks: 1, bytes: 40),
        ])
        #expect(analysis.crossModuleLeaks == [
            CrossModuleLeak(allocatingModule: "/lib/libplugin.so", holderModule: "/bin/prog", holder: .reallocatedBy,
                            blocks: 1, bytes: 32),
            CrossModuleLeak(allocatingModule: "/lib/libplugin.so", holderModule: "/bin/prog", holder: .referencedFrom,
                            blocks: 1, bytes: 24),
        ])
        let site = try #require(analysis.sites.first { $0.costs.bytesAllocated == 140 })
        #expect(analysis.modulePath(ofStack: site.stack) == "/lib/libplugin.so")
    }
}
