import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Strings from a hostile dump cost a page a bounded size: they are cut in the middle for
/// display, with a warning, while the analysis keeps them whole.
@Suite struct DisplayStringTests {
    @Test func shortenedKeepsBothEndsAndSaysHowLong() {
        #expect(Units.shortened("short", to: 10) == "short")
        let long = String(repeating: "a", count: 30) + String(repeating: "z", count: 30)
        let cut = Units.shortened(long, to: 20)
        #expect(cut == String(repeating: "a", count: 15) + " …[60 characters, shortened]… " + String(repeating: "z", count: 5))
        // Characters, not bytes: 20 two-byte characters fit a limit of 20.
        #expect(Units.shortened(String(repeating: "é", count: 20), to: 20) == String(repeating: "é", count: 20))
    }

    @Test func everyLongStringOfAnAnalysisIsShortenedForDisplay() throws {
        var dump = DumpBuilder(metadata: Metadata(producer: "t", producerVersion: "1", pid: 1,
                                                  commandLine: ["./prog", String(repeating: "x", count: 100_000)]))
        let name = String(repeating: "f", count: 10 << 20) // a 10 MB function name
        let s = dump.stack("main", name)
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: s)
        dump.threadName(ts: 2, thread: 1, String(repeating: "t", count: 50_000))
        let analysis = analyze(dump.records)
        let shown = analysis.shortenedForDisplay()
        #expect(analysis.symbols.strings.contains(name), "the analysis keeps it whole")
        #expect(shown.symbols.strings.allSatisfy { $0.count < Analysis.displayedStringLimit + 100 })
        #expect(shown.symbols.strings.contains { $0.hasPrefix("fff") && $0.contains("10,485,760 characters, shortened") })
        #expect(shown.threads.allSatisfy { $0.name.count < Analysis.displayedStringLimit + 100 })
        #expect(shown.metadata.commandLine[0] == "./prog" && shown.metadata.commandLine[1].count < Analysis.displayedStringLimit + 100)
        #expect(shown.diagnostics.lines.contains { $0.contains("strings longer than 4,096 characters (names, paths or arguments) are shown shortened") })
        #expect(analysis.shortenedForDisplay(maxCharacters: 20_000_000).diagnostics == analysis.diagnostics)
    }
}

