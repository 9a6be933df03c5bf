import Foundation
import MemscopeTestSupport
import Testing

/// Imported figures against the reference tools' own output on the same real files
/// (Tests/Fixtures/imports, recorded by scripts/record-fixtures.sh).
@Suite struct ImportReferenceTests {
    static let fixtures = "Tests/Fixtures/imports"

    func fixture(_ name: String) -> String { "\(Self.fixtures)/\(name)" }

    func summary(_ name: String, _ extra: [String] = []) throws -> [String: Any] {
        let result = try run("memscope", ["summary", "--json"] + extra + [fixture(name)], currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 0, "\(name): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func reference(_ name: String) throws -> String {
        try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(fixture(name)), encoding: .utf8)
    }

    /// The integer after `prefix` on its line, commas removed ("Total: 95,336 bytes" → 95336).
    func number(after prefix: String, in text: String) throws -> Int {
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(prefix) }, "no line '\(prefix)'")
        let digits = line.dropFirst(prefix.count).drop { $0 == " " }.prefix { $0.isNumber || $0 == "," }
        return try #require(Int(digits.filter(\.isNumber)), "no number in '\(line)'")
    }

    // MARK: heaptrack

    @Test(arguments: ["heaptrack.workload.zst", "heaptrack.workload.gz", "heaptrack.workload.v2"])
    func heaptrackFiguresEqualHeaptrackPrint(file: String) throws {
        let ours = try summary(file)
        let printed = try reference("\(file).heaptrack_print.txt")
        #expect(ours["format"] as? String == "heaptrack")
        #expect(printed.contains("calls to allocation functions: \(ours["allocations"] as? Int ?? -1) ("))
        #expect(printed.contains("temporary memory allocations: \(ours["temporary_allocations"] as? Int ?? -1) ("))
        #expect(printed.contains("peak heap memory consumption: \(heaptrackRounded(ours["peak_bytes"] as? Int ?? 0))\n"))
        #expect(printed.contains("total memory leaked: \(heaptrackRounded(ours["leaked_bytes"] as? Int ?? 0))\n"))
        // The committed figures, so a change in either side shows.
        #expect(ours["allocations"] as? Int == 834)
        #expect(ours["temporary_allocations"] as? Int == 310)
        #expect(ours["peak_bytes"] as? Int == 113_088)
        #expect(ours["leaked_bytes"] as? Int == 4_984)
        #expect(ours["threads"] as? Int == 0, "heaptrack has no thread ids; none are invented")
    }

    @Test func plainFormat3EqualsCompressed() throws {
        var plain = try summary("heaptrack.workload.v3")
        var compressed = try summary("heaptrack.workload.zst")
        plain["format"] = nil
        compressed["format"] = nil
        #expect(NSDictionary(dictionary: plain) == NSDictionary(dictionary: compressed))
    }

    /// heaptrack_print's folded output per cost type gives its exact byte and call counts.
    @Test func heaptrackExactBytesEqualHeaptrackPrintFolded() throws {
        try #require(isInstalled("heaptrack_print"), "heaptrack_print is missing: run scripts/install-deps.sh")
        let ours = try summary("heaptrack.workload.zst")
        let directory = try TestPaths.temporaryDirectory()
        let costs = ["allocations": "allocations", "temporary": "temporary_allocations", "leaked": "leaked_bytes", "peak": "peak_bytes"]
        for (costType, key) in costs {
            let folded = directory.appendingPathComponent("\(costType).folded").path
            let printed = try run("heaptrack_print", ["-F", folded, "--flamegraph-cost-type", costType, fixture("heaptrack.workload.zst")],
                                  currentDirectory: TestPaths.packageRoot)
            #expect(printed.status == 0, "\(printed.stderr)")
            let lines = try String(contentsOfFile: folded, encoding: .utf8).split(separator: "\n")
            let total = lines.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +)
            #expect(total == ours[key] as? Int, "\(costType): heaptrack_print \(total), memscope \(ours[key] ?? "nil")")
        }
    }

    /// One generated workload written as .msd and as a heaptrack file (memscope-bench):
    /// importing the heaptrack file gives the .msd's figures, over 60 000 events.
    @Test func heaptrackImportEqualsTheSameWorkloadAsMSD() throws {
        let directory = try TestPaths.temporaryDirectory()
        let generated = try run("memscope-bench", ["--generate", "60000", "--out", directory.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let msd = try summaryOf(directory.appendingPathComponent("bench-60000.msd").path)
        let imported = try summaryOf(directory.appendingPathComponent("bench-60000.heaptrack").path)
        #expect(imported["format"] as? String == "heaptrack")
        for key in ["allocations", "bytes_allocated", "temporary_allocations", "peak_bytes", "leaked_bytes", "leaked_blocks", "frees"] {
            #expect(imported[key] as? Int == msd[key] as? Int, "\(key): heaptrack import \(imported[key] ?? "nil"), msd \(msd[key] ?? "nil")")
        }
    }

    /// The committed reference text is what heaptrack_print really prints for the fixture.
    @Test(arguments: ["heaptrack.workload.zst", "heaptrack.workload.gz"])
    func committedHeaptrackPrintOutputIsReal(file: String) throws {
        try #require(isInstalled("heaptrack_print"), "heaptrack_print is missing: run scripts/install-deps.sh")
        let printed = try run("heaptrack_print", [fixture(file)], currentDirectory: TestPaths.packageRoot)
        #expect(printed.status == 0)
        #expect(printed.stdout == (try reference("\(file).heaptrack_print.txt")))
    }

    // MARK: folded

    @Test func foldedFromHeaptrackPrintEqualsHeaptrack() throws {
        let heaptrack = try summary("heaptrack.workload.zst")
        let allocations = try summary("workload.allocations.folded")
        #expect(allocations["format"] as? String == "folded")
        #expect(allocations["allocations"] as? Int == heaptrack["allocations"] as? Int)
        let leaked = try summary("workload.leaked.folded", ["--folded-cost", "bytes"])
        #expect(leaked["bytes_allocated"] as? Int == heaptrack["leaked_bytes"] as? Int)
        #expect(leaked["allocations"] as? Int == 0)
    }

    // MARK: DHAT

    @Test func dhatTotalsEqualValgrindsOwn() throws {
        let ours = try summary("dhat.out.workload")
        let printed = try reference("dhat.out.workload.valgrind.txt")
        #expect(ours["format"] as? String == "dhat")
        #expect(ours["bytes_allocated"] as? Int == (try number(after: "Total:", in: printed)))
        #expect(ours["allocations"] as? Int == (try blocks(after: "Total:", in: printed)))
        #expect(ours["peak_bytes"] as? Int == (try number(after: "At t-gmax:", in: printed)))
        #expect(ours["leaked_bytes"] as? Int == (try number(after: "At t-end:", in: printed)))
        #expect(ours["leaked_blocks"] as? Int == (try blocks(after: "At t-end:", in: printed)))
        #expect(ours["bytes_allocated"] as? Int == 95_336 && ours["allocations"] as? Int == 833)
    }

    /// "Total:     95,336 bytes in 833 blocks" → 833.
    func blocks(after prefix: String, in text: String) throws -> Int {
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(prefix) })
        let words = line.split(separator: " ")
        let index = try #require(words.firstIndex(of: "in"))
        return try #require(Int(words[index + 1].filter(\.isNumber)))
    }

    // MARK: massif

    @Test(arguments: ["massif.out.workload", "massif.out.workload-ms"])
    func massifPeakIsTheLargestUsefulHeapOfMsPrint(file: String) throws {
        let ours = try summary(file)
        let printed = try reference("\(file).ms_print.txt")
        // ms_print's snapshot table: n, time, total(B), useful-heap(B), extra-heap(B), stacks(B).
        let usefulHeap = printed.split(separator: "\n").compactMap { line -> Int? in
            let columns = line.split(separator: " ")
            guard columns.count == 6, Int(columns[0]) != nil else { return nil }
            return Int(columns[3].filter(\.isNumber))
        }
        #expect(usefulHeap.count > 10)
        #expect(ours["format"] as? String == "massif")
        #expect(ours["peak_bytes"] as? Int == usefulHeap.max())
        #expect(ours["leaked_bytes"] as? Int == usefulHeap.last)
        #expect(ours["allocations"] as? Int == 0, "massif has no allocation counts; none are invented")
    }

    @Test(arguments: ["massif.out.workload", "massif.out.workload-ms"])
    func committedMsPrintOutputIsReal(file: String) throws {
        try #require(isInstalled("ms_print"), "ms_print is missing: run scripts/install-deps.sh")
        let printed = try run("ms_print", [fixture(file)], currentDirectory: TestPaths.packageRoot)
        #expect(printed.status == 0)
        #expect(printed.stdout == (try reference("\(file).ms_print.txt")))
    }

    // MARK: memscope-rs (hand-made from the documented schemas; figures in its README)

    @Test func memscopeRsExportDirectory() throws {
        let ours = try summaryOf("Tests/Fixtures/memscope-rs/export-0.2")
        #expect(ours["format"] as? String == "memscope-rs")
        #expect(ours["allocations"] as? Int == 2 && ours["bytes_allocated"] as? Int == 4_160)
        #expect(ours["leaked_bytes"] as? Int == 4_160 && ours["leaked_blocks"] as? Int == 2)
        #expect(ours["peak_bytes"] as? Int == 4_160)
        #expect(ours["duration_ns"] as? Int == 1_000_000)
        #expect(ours["threads"] as? Int == 2)
    }

    @Test func memscopeRsLegacyJSON() throws {
        let ours = try summaryOf("Tests/Fixtures/memscope-rs/v0.1/demo_memory_analysis.json")
        #expect(ours["allocations"] as? Int == 4 && ours["bytes_allocated"] as? Int == 5_632)
        #expect(ours["frees"] as? Int == 2)
        #expect(ours["peak_bytes"] as? Int == 4_632 && ours["peak_time_ns"] as? Int == 4_000)
        #expect(ours["leaked_bytes"] as? Int == 536 && ours["leaked_blocks"] as? Int == 2)
    }

    func summaryOf(_ path: String) throws -> [String: Any] {
        let result = try run("memscope", ["summary", "--json", path], currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 0, "\(path): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }
}
