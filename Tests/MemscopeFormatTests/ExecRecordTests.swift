import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// `exec` (0x3B): the process runs another program from here on. Both forms round-trip, the
/// analysis names the dump after the last program and keeps the earlier ones, and a forged
/// argument count is a clear error.
@Suite struct ExecRecordTests {
    let records: [Record] = [.meta(Metadata(producer: "t", producerVersion: "1", pid: 7, commandLine: ["sh", "-c", "exec ./app"])),
                             .alloc(Alloc(timestamp: 5, thread: 7, address: 0x1000, size: 16, stack: 0)),
                             .exec(timestamp: 10, commandLine: ["./app", "--port", "8080 \"quoted\""]),
                             .exec(timestamp: 20, commandLine: [])]

    @Test func binaryAndTextRoundTrip() throws {
        let binary = try readAll(encodeBinary(records))
        #expect(binary.records == records)
        #expect(binary.diagnostics.isEmpty)
        #expect(MSDBinaryWriter.payload(of: records[3]) == [20, 0])
        #expect(JSONLinesWriter.line(for: records[2])
                == "{\"type\":\"exec\",\"ts\":10,\"argv\":[\"./app\",\"--port\",\"8080 \\\"quoted\\\"\"]}")
        var text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n"
        for record in records { text += JSONLinesWriter.line(for: record) + "\n" }
        #expect(try readAll(Array(text.utf8), path: "t.jsonl").records == records)
    }

    @Test func theAnalysisNamesTheLastProgram() {
        let analysis = analyze(Array(records.prefix(3)))
        #expect(analysis.metadata.commandLine == ["./app", "--port", "8080 \"quoted\""])
        #expect(analysis.metadata.earlierCommandLines == [["sh", "-c", "exec ./app"]])
        #expect(analysis.totals.events == 1)
        let summary = analyze(records).metadata
        #expect(summary.commandLine.isEmpty && summary.earlierCommandLines.count == 2)
    }

    /// The old program's blocks are gone at the exec: not leaked, not freed; a window that
    /// ends before the exec still sees them live at its end.
    @Test func theOldProgramsBlocksAreGoneAtTheExec() {
        let run = analyze(Array(records.prefix(3)) + [.alloc(Alloc(timestamp: 12, thread: 7, address: 0x2000, size: 8, stack: 0))])
        #expect(run.totals.leakedBlocks == 1 && run.totals.leakedBytes == 8)
        #expect(run.totals.releasedAtExecBlocks == 1 && run.totals.releasedAtExecBytes == 16)
        #expect(run.totals.frees == 0 && run.totals.temporaryAllocations == 0)
        #expect(run.totals.peakBytes == 16)
        var options = AnalysisOptions.default
        options.windowEndNanoseconds = 7
        let window = analyze(Array(records.prefix(3)), options: options)
        #expect(window.totals.leakedBlocks == 1 && window.totals.releasedAtExecBlocks == 0)
    }

    /// The summary says how many execs led to the named program, as the report's subtitle does.
    @Test func theSummaryCountsTheExecsFromTheFirstProgram() {
        let one = Summary(analysis: analyze(Array(records.prefix(3))), format: "msd", path: "d.msd").text()
        #expect(one.contains("  started as     sh -c 'exec ./app'  (then 1 exec)\n"), "\(one)")
        #expect(one.contains(#"  command        ./app --port $'8080 "quoted"'"#) || one.contains(#"  command        ./app --port '8080 "quoted"'"#), "\(one)")
        var metadata = Metadata(producer: "t", producerVersion: "1", commandLine: ["c"])
        metadata.earlierCommandLines = [["a"], ["b"]]
        #expect(metadata.execChain?.firstCommandLine == ["a"] && metadata.execChain?.execs == 2)
        #expect(Metadata.execsPhrase(2) == "then 2 execs")
        #expect(Metadata(producer: "t", producerVersion: "1").execChain == nil)
    }

    @Test func anAbsurdArgumentCountIsAClearError() throws {
        var bytes = encodeBinary(Array(records.prefix(1)))
        // kind 0x3B, payload of 2 bytes: ts 1, argc 100 (more than the payload holds).
        bytes += [0x3B, 2, 1, 100]
        #expect(throws: DumpError.self) { try readAll(bytes) }
        do {
            _ = try readAll(bytes)
        } catch let error as DumpError {
            #expect("\(error)".contains("argc"), "\(error)")
        }
    }
}
