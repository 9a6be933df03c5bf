// memscope-ownership-eval: how accurate is the ownership inference?
//
// Compiles each C program of a directory (default Tests/OwnershipPrograms), records it with
// `memscope record`, infers its ownership graph and scores it against the program's truth
// file (NAME.truth): precision and recall per edge kind, and the edges it got wrong.
//
//   memscope-ownership-eval [--programs DIR] [--memscope PATH] [--keep DIR] [--no-scan-on-free]
//
// Besides the score, it counts the predicted edges by provenance (observed or inferred), and
// lists every wrong edge with its provenance and confidence.
import Foundation
import MemscopeAnalysis
import MemscopeImport
import MemscopeModel
import MemscopeOwnership

struct Failure: Error, CustomStringConvertible { var description: String }

func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func percent(_ value: Double?) -> String {
    guard let value else { return "–" }
    return Units.fixed(value * 100, decimals: 1) + "%"
}

let arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}
let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
let programs = option("--programs") ?? "Tests/OwnershipPrograms"
let memscope = option("--memscope") ?? here.appendingPathComponent("memscope").path
let work = option("--keep") ?? NSTemporaryDirectory() + "memscope-ownership-eval-\(getpid())"
let recordOptions = arguments.contains("--no-scan-on-free") ? ["--no-scan-on-free"] : []

do {
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let sources = try FileManager.default.contentsOfDirectory(atPath: programs).filter { $0.hasSuffix(".c") }.sorted()
    guard !sources.isEmpty else { throw Failure(description: "\(programs): no C programs") }
    var total: [OwnershipEdgeKind: OwnershipEvaluation.Score] = [:]
    var mistakes: [String] = []
    var perProgram: [String] = []
    var provenance: [OwnershipEdgeKind: (observed: Int, inferred: Int)] = [:]
    var highWrong = 0
    for source in sources {
        let name = String(source.dropLast(2))
        let sourcePath = programs + "/" + source
        let binary = work + "/" + name, dump = work + "/" + name + ".msd"
        let compiled = try run("gcc", ["-g", "-O0", "-pthread", "-I", programs, "-o", binary, sourcePath])
        guard compiled.status == 0 else { throw Failure(description: "gcc \(source):\n\(compiled.output)") }
        let recorded = try run(memscope, ["record", "-o", dump] + recordOptions + ["--", binary])
        guard recorded.status == 0 else { throw Failure(description: "memscope record \(name):\n\(recorded.output)") }
        let inference = OwnershipInference()
        _ = try InputLoader.analyze(path: dump, everyOptions: [.default], alongside: [inference])
        let graph = inference.finish()
        let truth = try OwnershipEvaluation.parseTruth(String(contentsOfFile: programs + "/" + name + ".truth", encoding: .utf8),
                                                       file: name + ".truth")
        let markers = OwnershipEvaluation.siteMarkers(source: try String(contentsOfFile: sourcePath, encoding: .utf8))
        let result = OwnershipEvaluation.evaluate(graph, truth: truth, sourceFile: source, markers: markers)
        for (kind, score) in result.scores { total[kind] = (total[kind] ?? .init()) + score }
        for edge in result.predicted {
            var counts = provenance[edge.edge.kind] ?? (0, 0)
            if edge.edge.provenance == .observed { counts.observed += 1 } else { counts.inferred += 1 }
            provenance[edge.edge.kind] = counts
        }
        for wrong in result.falsePositives {
            let edges = result.predicted.filter { $0.truth == wrong }.map(\.edge)
            let how = edges.map { "\($0.provenance.rawValue), \($0.confidencePercent())%" }.joined(separator: "; ")
            if edges.contains(where: { $0.confidence > 0.9 }) { highWrong += 1 }
            mistakes.append("  \(name): wrong   \(wrong.kind.rawValue) \(wrong.from) → \(wrong.to) (\(how))")
        }
        mistakes += result.falseNegatives.map { "  \(name): missed  \($0.kind.rawValue) \($0.from) → \($0.to)" }
        let correct = result.scores.values.reduce(0) { $0 + $1.truePositives }
        perProgram.append("  \(name): \(correct) of \(truth.count) true edges found, \(result.falsePositives.count) wrong, \(result.unnamed) edges at unnamed sites (libc, loader) left out")
    }
    print("Ownership inference against ground truth (\(sources.count) programs in \(programs))")
    print("")
    print("| edge kind | precision | recall | correct | wrong | missed |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in OwnershipEdgeKind.allCases where kind != .task {
        let s = total[kind] ?? .init()
        print("| \(kind.rawValue) | \(percent(s.precision)) | \(percent(s.recall)) | \(s.truePositives) | \(s.falsePositives) | \(s.falseNegatives) |")
    }
    print("")
    let kinds = OwnershipEdgeKind.allCases.filter { $0 != .task }
    print("predicted edges between named sites, observed / inferred: "
          + kinds.map { "\($0.rawValue) \(provenance[$0]?.observed ?? 0) / \(provenance[$0]?.inferred ?? 0)" }.joined(separator: ", "))
    print("wrong edges scored above 90%: \(highWrong)")
    print("")
    print("programs:")
    perProgram.forEach { print($0) }
    if !mistakes.isEmpty {
        print("mistakes:")
        mistakes.forEach { print($0) }
    }
    if option("--keep") == nil { try? FileManager.default.removeItem(atPath: work) }
} catch {
    FileHandle.standardError.write(Data("memscope-ownership-eval: \(error)\n".utf8))
    exit(1)
}
