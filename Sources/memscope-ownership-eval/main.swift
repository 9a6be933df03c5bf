// memscope-ownership-eval: how accurate is the ownership inference, and how honest its confidence?
//
// Compiles each program of a directory (default Tests/OwnershipPrograms: C with gcc, C++ (.cc,
// .cpp) with g++, Rust (.rs) with rustc, all unoptimised with debug information), records it
// with `memscope record`, infers its ownership graph and scores it against the program's
// truth file (NAME.truth): precision and recall per edge kind, and the edges it got wrong.
// A program whose compiler is missing is skipped and said so.
//
//   memscope-ownership-eval [--programs DIR] [--memscope PATH] [--keep DIR] [--no-scan-on-free]
//                           [--dumps DIR] [--edges FILE] [--only NAME,NAME] [--record-options "OPTION…"]
//
// Besides the score, it counts the predicted edges by provenance (observed or inferred), lists
// every wrong edge with its provenance and confidence, and prints a reliability table: the
// edges by confidence band, with how many of them are true. `--dumps DIR` scores the dumps
// DIR/NAME.msd recorded before (by `--keep DIR`) instead of recording: the same dumps give the
// same output. `--edges FILE` writes every scored edge, one per line (tab-separated).
// `--only` evaluates the named programs alone (names without their extension).
// `--record-options` passes more options to `memscope record` (space-separated).
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
let recorded = option("--dumps")
let work = recorded ?? option("--keep") ?? NSTemporaryDirectory() + "memscope-ownership-eval-\(getpid())"
let recordOptions = (arguments.contains("--no-scan-on-free") ? ["--no-scan-on-free"] : [])
    + (option("--record-options")?.split(separator: " ").map(String.init) ?? [])

/// The compiler of a source file and its arguments, by the file's extension.
func compiler(_ source: String, binary: String) -> (name: String, arguments: [String])? {
    let path = programs + "/" + source
    if source.hasSuffix(".c") { return ("gcc", ["-g", "-O0", "-pthread", "-I", programs, "-o", binary, path]) }
    if source.hasSuffix(".cc") || source.hasSuffix(".cpp") {
        return ("g++", ["-g", "-O0", "-pthread", "-I", programs, "-o", binary, path])
    }
    if source.hasSuffix(".rs") { return ("rustc", ["-g", "-C", "opt-level=0", "--edition", "2021", "-o", binary, path]) }
    return nil
}

func available(_ tool: String) -> Bool {
    (try? run("which", [tool]))?.status == 0
}

do {
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let sources = try FileManager.default.contentsOfDirectory(atPath: programs)
        .filter { compiler($0, binary: "") != nil }.sorted()
        .filter { source in option("--only").map { $0.split(separator: ",").contains(Substring(source[..<source.lastIndex(of: ".")!])) } ?? true }
    guard !sources.isEmpty else { throw Failure(description: "\(programs): no C, C++ or Rust programs") }
    var total: [OwnershipEdgeKind: OwnershipEvaluation.Score] = [:]
    var mistakes: [String] = []
    var perProgram: [String] = []
    var skipped: [String] = []
    var provenance: [OwnershipEdgeKind: (observed: Int, inferred: Int)] = [:]
    var samples: [OwnershipCalibration.Sample] = []
    var edgeLines: [String] = []
    var highWrong = 0
    var evaluated = 0
    for source in sources {
        let name = String(source[..<source.lastIndex(of: ".")!])
        let sourcePath = programs + "/" + source
        let binary = work + "/" + name, dump = work + "/" + name + ".msd"
        if recorded == nil {
            let (tool, compileArguments) = compiler(source, binary: binary)!
            guard available(tool) else {
                skipped.append("  \(name): skipped, no \(tool)")
                continue
            }
            let compiled = try run(tool, compileArguments)
            guard compiled.status == 0 else { throw Failure(description: "\(tool) \(source):\n\(compiled.output)") }
            let recording = try run(memscope, ["record", "-o", dump] + recordOptions + ["--", binary])
            guard recording.status == 0 else { throw Failure(description: "memscope record \(name):\n\(recording.output)") }
        } else if !FileManager.default.fileExists(atPath: dump) {
            skipped.append("  \(name): skipped, no \(dump)")
            continue
        }
        evaluated += 1
        let inference = OwnershipInference()
        _ = try InputLoader.analyze(path: dump, everyOptions: [.default], alongside: [inference])
        let graph = inference.finish()
        let truth = try OwnershipEvaluation.parseTruth(String(contentsOfFile: programs + "/" + name + ".truth", encoding: .utf8),
                                                       file: name + ".truth")
        let markers = OwnershipEvaluation.siteMarkers(source: try String(contentsOfFile: sourcePath, encoding: .utf8))
        let result = OwnershipEvaluation.evaluate(graph, truth: truth, sourceFile: source, markers: markers)
        for (kind, score) in result.scores { total[kind] = (total[kind] ?? .init()) + score }
        let ordered = result.predicted.sorted { ($0.truth, $0.edge.provenance, $0.edge.evidence) < ($1.truth, $1.edge.provenance, $1.edge.evidence) }
        for edge in ordered {
            var counts = provenance[edge.edge.kind] ?? (0, 0)
            if edge.edge.provenance == .observed { counts.observed += 1 } else { counts.inferred += 1 }
            provenance[edge.edge.kind] = counts
            let correct = truth.contains(edge.truth)
            samples.append(.init(kind: edge.edge.kind, provenance: edge.edge.provenance, basis: edge.edge.basis,
                                 confidence: edge.edge.confidence, correct: correct))
            edgeLines.append([name, edge.truth.kind.rawValue, edge.truth.from, edge.truth.to, edge.edge.provenance.rawValue,
                              "\(edge.edge.evidence)", "\(edge.edge.contradictions)", edge.edge.confidenceFraction(decimals: 4),
                              correct ? "true" : "false", edge.edge.basis.rawValue, edge.edge.rule].joined(separator: "\t"))
        }
        for wrong in result.falsePositives {
            let edges = result.predicted.filter { $0.truth == wrong }.map(\.edge)
            let how = edges.map { "\($0.provenance.rawValue), \($0.confidencePercent())%, evidence \($0.evidence), against \($0.contradictions)" }
                .joined(separator: "; ")
            if edges.contains(where: { $0.confidence > 0.9 }) { highWrong += 1 }
            mistakes.append("  \(name): wrong   \(wrong.kind.rawValue) \(wrong.from) → \(wrong.to) (\(how))")
        }
        mistakes += result.falseNegatives.map { "  \(name): missed  \($0.kind.rawValue) \($0.from) → \($0.to)" }
        let correct = result.scores.values.reduce(0) { $0 + $1.truePositives }
        perProgram.append("  \(name): \(correct) of \(truth.count) true edges found, \(result.falsePositives.count) wrong, \(result.unnamed) edges at unnamed sites (libc, loader) left out")
    }
    print("Ownership inference against ground truth (\(evaluated) programs in \(programs))")
    print("")
    print("| edge kind | precision | recall | correct | wrong | missed | observed / inferred |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    let kinds = OwnershipEdgeKind.allCases.filter { $0 != .task }
    for kind in kinds {
        let s = total[kind] ?? .init()
        print("| \(kind.rawValue) | \(percent(s.precision)) | \(percent(s.recall)) | \(s.truePositives) | \(s.falsePositives) | \(s.falseNegatives) | \(provenance[kind]?.observed ?? 0) / \(provenance[kind]?.inferred ?? 0) |")
    }
    print("")
    print("predicted edges between named sites, observed / inferred: "
          + kinds.map { "\($0.rawValue) \(provenance[$0]?.observed ?? 0) / \(provenance[$0]?.inferred ?? 0)" }.joined(separator: ", "))
    print("wrong edges scored above 90%: \(highWrong)")
    print("")
    print("Reliability of the confidence (edges between named sites, by confidence band):")
    print("")
    print("| provenance | confidence | edges | true | measured rate | mean confidence |")
    print("|---|---|---:|---:|---:|---:|")
    for kind in [Provenance.observed, .inferred] {
        for band in OwnershipCalibration.bands(samples.filter { $0.provenance == kind }) where band.edges > 0 {
            let range = band.upper == 1 ? "\(Units.fixed(band.lower, decimals: 2))–1" : "\(Units.fixed(band.lower, decimals: 2))–\(Units.fixed(band.upper, decimals: 2))"
            print("| \(kind.rawValue) | \(range) | \(band.edges) | \(band.correct) | \(percent(band.rate)) | \(percent(band.meanConfidence)) |")
        }
    }
    let inferred = samples.filter { $0.provenance == .inferred }
    print("")
    print("inferred edges: \(inferred.count), true \(inferred.filter(\.correct).count); false above 0.9: \(OwnershipCalibration.falseAbove(inferred)); expected calibration error (inferred): \(percent(OwnershipCalibration.expectedError(OwnershipCalibration.bands(inferred))))")
    let tallies = OwnershipCalibration.tallies(samples)
    print("judged edges by class (true / scored): " + tallies.keys.sorted().map { c in
        "\(c.kind.rawValue) \(c.provenance.rawValue) \(c.basis.rawValue) \(tallies[c]!.correct) / \(tallies[c]!.scored)"
    }.joined(separator: ", "))
    print("")
    print("programs:")
    perProgram.forEach { print($0) }
    skipped.forEach { print($0) }
    if !mistakes.isEmpty {
        print("mistakes:")
        mistakes.forEach { print($0) }
    }
    if let path = option("--edges") {
        let header = "program\tkind\tfrom\tto\tprovenance\tevidence\tcontradictions\tconfidence\ttrue\tbasis\trule\n"
        try (header + edgeLines.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
    }
    if option("--keep") == nil && recorded == nil { try? FileManager.default.removeItem(atPath: work) }
} catch {
    FileHandle.standardError.write(Data("memscope-ownership-eval: \(error)\n".utf8))
    exit(1)
}
