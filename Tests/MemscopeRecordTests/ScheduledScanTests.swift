import Foundation
import MemscopeTestSupport
import Testing

/// Scans while the program runs, besides the one at exit: by default (spaced, by heap events), `record
/// --scan-every` and `--scan-at-peak` (Tests/RecordPrograms/rss.c grows its resident set by 20 MiB in 20
/// rounds, 5 ms apart).
@Suite struct ScheduledScanTests {
    func scans(_ dump: String) throws -> Int {
        let result = try run("memscope", ["inspect", "--stage", "ownership", "--json", dump])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let coverage = try #require(object["coverage"] as? [String: Any])
        return try #require(coverage["scans"] as? Int)
    }

    /// By default (eighth ownership rules): scans after 256 heap events, then at doubling gaps
    /// counted in events (scan-determinism.c: 7,683 events), then the one at exit.
    @Test func byDefaultSpacedScansWhileTheProgramRuns() throws {
        let program = try TestProgram.compile("scan-determinism")
        let (result, dump) = try program.record(["40"])
        #expect(result.status == 0, "\(result.stderr)")
        let count = try scans(dump)
        #expect(count >= 3 && count <= 8, "a few scans while the program ran, then the one at exit: \(count)")
    }

    /// Counted in events, not time: rss.c makes 40 allocations in 100 ms, fewer than the 256
    /// before the first spaced scan.
    @Test func fewHeapEventsNoSpacedScan() throws {
        let program = try TestProgram.compile("rss")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try scans(dump) == 1, "only the scan at exit")
    }

    @Test func withoutSpacedScansOnlyTheExitScan() throws {
        let program = try TestProgram.compile("rss")
        let (result, dump) = try program.record(options: ["--no-spaced-scans"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try scans(dump) == 1)
    }

    @Test func scanEveryScansWhileTheProgramRuns() throws {
        let program = try TestProgram.compile("rss")
        let (result, dump) = try program.record(options: ["--scan-every", "5ms"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try scans(dump) >= 2, "at least one scan while the program ran, then the one at exit")
    }

    @Test func scanAtPeakScansAsTheResidentSetGrows() throws {
        let program = try TestProgram.compile("rss")
        let (result, dump) = try program.record(options: ["--scan-at-peak", "--no-spaced-scans"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try scans(dump) >= 2, "a scan as the resident set grew, then the one at exit")
    }

    @Test func aBadIntervalIsAUsageError() throws {
        for bad in ["0ms", "10", "fast", "-1s"] {
            let result = try run("memscope", ["record", "--scan-every", bad, "--", "/bin/true"])
            #expect(result.status == 64, "\(bad): \(result.stderr)")
            #expect(result.stderr.contains("--scan-every"), "\(bad): \(result.stderr)")
        }
    }
}
