import Foundation
import MemscopeTestSupport
import Testing

/// memscope's figures against heaptrack_print's on the same events: memscope-bench writes
/// one workload twice, as .msd and as a heaptrack data file.
@Suite struct ReferenceToolTests {
    @Test func figuresEqualHeaptrackPrintOnTheSameWorkload() throws {
        try #require(isInstalled("heaptrack_print"), "heaptrack_print is missing: run scripts/install-deps.sh")
        let directory = try TestPaths.temporaryDirectory()
        let generated = try run("memscope-bench", ["--generate", "60000", "--out", directory.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let msd = directory.appendingPathComponent("bench-60000.msd").path
        let heaptrack = directory.appendingPathComponent("bench-60000.heaptrack").path
        let ours = try summaryJSON(msd)

        // heaptrack_print's folded output per cost type sums to exact byte and call counts.
        let costs = ["allocations": "allocations", "temporary": "temporary_allocations",
                     "leaked": "leaked_bytes", "peak": "peak_bytes"]
        for (costType, key) in costs {
            let folded = directory.appendingPathComponent("folded-\(costType).txt").path
            let printed = try run("heaptrack_print", ["-F", folded, "--flamegraph-cost-type", costType, heaptrack])
            #expect(printed.status == 0, "\(printed.stderr)")
            let lines = try String(contentsOfFile: folded, encoding: .utf8).split(separator: "\n")
            let total = lines.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +)
            #expect(total == ours[key] as? Int, "\(costType): heaptrack_print \(total), memscope \(ours[key] ?? "nil")")
            #expect(total > 0, "\(costType) is exercised")
        }

        // And its printed summary, to its precision.
        let summary = try run("heaptrack_print", [heaptrack]).stdout
        #expect(summary.contains("calls to allocation functions: \(ours["allocations"] as? Int ?? -1) ("))
        #expect(summary.contains("temporary memory allocations: \(ours["temporary_allocations"] as? Int ?? -1) ("))
        #expect(summary.contains("peak heap memory consumption: \(heaptrackRounded(ours["peak_bytes"] as? Int ?? 0))"))
        #expect(summary.contains("total memory leaked: \(heaptrackRounded(ours["leaked_bytes"] as? Int ?? 0))"))
    }
}
