import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The annotation ABI (Sources/MemscopePreload/include/memscope.h) and demangling, on the samples under
/// samples/annotations/ built with gcc, rustc and swiftc.
@Suite struct AnnotationTests {
    static let samples = TestPaths.packageRoot.appendingPathComponent("samples/annotations")

    @Test func cAnnotationsScopesAndTasksReachTheDump() throws {
        let directory = try TestPaths.temporaryDirectory()
        let binary = directory.appendingPathComponent("annotate").path
        let include = TestPaths.packageRoot.appendingPathComponent("Sources/MemscopePreload/include").path
        let built = try run("gcc", ["-g", "-I", include, "-o", binary, Self.samples.appendingPathComponent("annotate.c").path])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(try run(binary, []).status == 0) // runs without memscope too
        let dump = directory.appendingPathComponent("annotate.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", binary])
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        var annotations: [String] = [], scopes: [String] = [], tasks: [UInt64] = []
        var scopeExits = 0
        var annotatedAddresses: Set<UInt64> = []
        var allocatedAddresses: Set<UInt64> = []
        for record in recorded.records {
            switch record {
            case .annotation(let a):
                annotations.append("\(recorded.symbols.string(a.name)): \(recorded.symbols.string(a.typeName))")
                annotatedAddresses.insert(a.address)
            case .scopeEnter(_, _, let name): scopes.append(recorded.symbols.string(name))
            case .scopeExit: scopeExits += 1
            case .task(_, _, let task): tasks.append(task)
            case .alloc(let a): allocatedAddresses.insert(a.address)
            default: break
            }
        }
        #expect(annotations == Array(repeating: ["r: struct request", "r->path: char[]"], count: 3).flatMap { $0 })
        #expect(annotatedAddresses.isSubset(of: allocatedAddresses))
        #expect(scopes == ["parse", "parse", "parse"])
        #expect(scopeExits == 3)
        #expect(tasks == [1, 0, 2, 0, 3, 0])
        #expect(recorded.analysis.observations.annotations == 6)
    }

    @Test(.enabled(if: isInstalled("rustc")), arguments: ["legacy", "v0"])
    func rustNamesAreDemangled(mangling: String) throws {
        let directory = try TestPaths.temporaryDirectory()
        let binary = directory.appendingPathComponent("annotate-rs").path
        // rustc's default is the legacy scheme; v0 is selected explicitly.
        let scheme = mangling == "v0" ? ["-C", "symbol-mangling-version=v0"] : []
        let built = try run("rustc", ["--edition", "2021", "-g"] + scheme
                                     + ["-o", binary, Self.samples.appendingPathComponent("annotate.rs").path])
        #expect(built.status == 0, "\(built.stderr)")
        let dump = directory.appendingPathComponent("rs.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", binary])
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        let names = recorded.symbols.strings
        #expect(names.contains { $0.hasPrefix("annotate::main") })
        #expect(names.contains { $0.contains("alloc::") })
        #expect(!names.contains { $0.hasPrefix("_ZN") || $0.hasPrefix("_R") })
        #expect(recorded.analysis.observations.annotations == 1)
    }

    @Test(.enabled(if: isInstalled("swiftc"))) func swiftNamesAreDemangled() throws {
        let directory = try TestPaths.temporaryDirectory()
        let binary = directory.appendingPathComponent("annotate-swift").path
        let built = try run("swiftc", ["-g", "-o", binary, Self.samples.appendingPathComponent("annotate.swift").path])
        #expect(built.status == 0, "\(built.stderr)")
        let dump = directory.appendingPathComponent("swift.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", binary])
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        #expect(recorded.symbols.strings.contains { $0.hasPrefix("static main.Memscope.scope") })
        #expect(!recorded.symbols.strings.contains { $0.hasPrefix("$s") })
        #expect(recorded.analysis.observations.annotations == 1)
    }
}
