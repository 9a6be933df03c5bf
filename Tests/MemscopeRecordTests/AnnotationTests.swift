import Foundation
import MemscopeModel
@testable import MemscopeRecord
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

    /// The Rust crate (bindings/rust/memscope): `track_var!`, `track_scope!` and
    /// `instrument` on its example, built offline by cargo; figures from the example's code.
    @Test(.enabled(if: isInstalled("cargo"))) func rustCrateNamesVariablesScopesAndTasks() throws {
        let directory = try TestPaths.temporaryDirectory()
        let crate = TestPaths.packageRoot.appendingPathComponent("bindings/rust/memscope").path
        let built = try run("cargo", ["build", "--offline", "--quiet", "--examples", "--manifest-path", crate + "/Cargo.toml",
                                      "--target-dir", directory.appendingPathComponent("target").path])
        #expect(built.status == 0, "\(built.stderr)")
        let binary = directory.appendingPathComponent("target/debug/examples/tasks").path
        let plain = try run(binary, [])
        #expect(plain.status == 0 && plain.stdout.contains("recording: false"), "runs without memscope: \(plain.stdout)")
        let dump = directory.appendingPathComponent("tasks.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", binary])
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        let contexts = Dictionary(uniqueKeysWithValues: recorded.analysis.contexts.map { ("\($0.kind.rawValue) \($0.name)", $0) })
        #expect(contexts.keys.sorted() == ["scope index", "scope load", "task 1", "task 2", "task 3"])
        // Task 3 leaks three 4 KiB buffers; tasks 1 and 2 keep 4 × 1 KiB and 2 × 2 KiB until they finish.
        let leaking = try #require(contexts["task 3"])
        #expect((leaking.allocations, leaking.liveBlocks, leaking.liveBytes) == (3, 3, 3 * 4096))
        #expect(contexts["task 1"]?.liveBytes == 0 && contexts["task 2"]?.liveBytes == 0)
        #expect(contexts["task 1"].map { $0.bytesAllocated >= 4 * 1024 && $0.entries == 5 } == true) // 4 pending polls + the last
        #expect(contexts["scope load"].map { $0.allocations == 1 && $0.bytesAllocated == 8000 } == true) // 1000 u64s
        #expect(contexts["scope index"].map { $0.allocations >= 1000 } == true) // a String per item
        // track_var!(catalog) names the Vec's block, at its start.
        var annotated: [String: UInt64] = [:]
        var sizes: [UInt64: UInt64] = [:]
        for record in recorded.records {
            if case .annotation(let a) = record { annotated[recorded.symbols.string(a.name)] = a.address }
            if case .alloc(let a) = record { sizes[a.address] = a.size }
        }
        #expect(annotated.keys.sorted() == ["catalog"])
        #expect(annotated["catalog"].flatMap { sizes[$0] } == 8000)
        let report = directory.appendingPathComponent("tasks.html").path
        #expect(try run("memscope", ["render", dump, "-o", report]).status == 0)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("Scopes and tasks (said by the program)"))
        #expect(html.contains("Named blocks (said by the program)"))
        let named = try #require(recorded.analysis.namedBlocks.first)
        #expect(recorded.analysis.namedBlocks.count == 1 && recorded.analysis.unmatchedAnnotations == 0)
        #expect((named.name, named.typeName, named.blocks, named.bytes) == ("catalog", "alloc::vec::Vec<u64>", 1, 8000))
        #expect(recorded.analysis.siteTitle(named.stack).hasPrefix("tasks::main"))
    }

    /// The C++ guards (memscope.hpp) on two threads: nested task guards, a scope per request.
    @Test func cppGuardsAttributeEachRequestToItsTask() throws {
        let directory = try TestPaths.temporaryDirectory()
        let binary = directory.appendingPathComponent("guards").path
        let include = TestPaths.packageRoot.appendingPathComponent("Sources/MemscopePreload/include").path
        let built = try run("g++", ["-std=c++17", "-g", "-pthread", "-I", include, "-o", binary,
                                    Self.samples.appendingPathComponent("guards.cc").path])
        #expect(built.status == 0, "\(built.stderr)")
        let dump = directory.appendingPathComponent("guards.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", binary])
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        let contexts = Dictionary(uniqueKeysWithValues: recorded.analysis.contexts.map { ("\($0.kind.rawValue) \($0.name)", $0) })
        #expect(contexts.keys.sorted() == ["scope handle", "scope setup", "task 1", "task 2", "task 3", "task 4"])
        // Each request allocates its Request and a body of 1000 × id bytes; request 3 also
        // leaks a copy of its body in a vector (the vector and its buffer).
        for id in 1...4 {
            let task = try #require(contexts["task \(id)"])
            #expect(task.bytesAllocated == UInt64(1000 * id) + (id == 3 ? 3000 + 24 : 0) + 32, "task \(id)")
            #expect(task.liveBytes == (id == 3 ? 3024 : 0), "task \(id)")
        }
        #expect(contexts["scope handle"].map { ($0.entries, $0.threads, $0.liveBlocks) == (4, 2, 2) } == true)
        #expect(contexts["scope setup"]?.liveBytes == 0)
        // typeid's mangled type name is demangled when the dump is written.
        let types = recorded.records.compactMap { record -> String? in
            if case .annotation(let a) = record { return recorded.symbols.string(a.typeName) }
            return nil
        }
        #expect(types == Array(repeating: "Request", count: 4))
    }

    @Test func typeidNamesAreDemangledAndWrittenNamesKept() {
        #expect(Demangler.typeName("7Request") == "Request")
        #expect(Demangler.typeName("N2ns3FooE") == "ns::Foo")
        #expect(Demangler.typeName("St6vectorIiSaIiEE") == "std::vector<int, std::allocator<int> >")
        for written in ["struct request", "Node", "Server", "Stack", "int", "i", "char[]", "7 dwarves", ""] {
            #expect(Demangler.typeName(written) == written)
        }
    }
}
