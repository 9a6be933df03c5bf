import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Frames of libraries loaded with dlopen while the dump is written keep their names. The
/// recorder reports the whole module map again at every load; libdwfl took a second report
/// of a module for an overlap and dropped it, so every other load left the libraries loaded
/// before it unnamed (CPython's extension modules, half of libpython's frames behind a
/// version manager's shims).
@Suite struct LoadedLibraryNameTests {
    @Test func everyFrameOfEveryLoadedPluginIsNamed() throws {
        let host = try TestProgram.compile("plugins", flags: ["-ldl"])
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/RecordPrograms/plugins.c").path
        var plugins: [String] = []
        for n in 1...4 {
            let plugin = host.directory.appendingPathComponent("libplugin-\(n).so").path
            let built = try run("gcc", ["-g", "-O0", "-shared", "-fPIC", "-DPLUGIN=\(n)", "-o", plugin, source])
            #expect(built.status == 0, "\(built.stderr)")
            plugins.append(plugin)
        }
        let (result, dump) = try host.record(plugins)
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        let symbols = recorded.symbols
        var named: Set<String> = []
        var unnamed = 0
        for case .frame(let frame) in recorded.records where symbols.string(frame.module).contains("/libplugin-") {
            let function = symbols.string(frame.function)
            if function.isEmpty { unnamed += 1 } else { named.insert(function) }
        }
        #expect(unnamed == 0)
        let expected = Set((1...4).flatMap { ["plugin_early\($0)", "plugin_late\($0)"] })
        #expect(expected.isSubset(of: named), "named: \(named.sorted())")
    }
}
