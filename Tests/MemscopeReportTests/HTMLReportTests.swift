import Foundation
@testable import MemscopeReport
import MemscopeAnalysis
import MemscopeLayout
import MemscopeModel
import MemscopeTestSupport
import Testing

@Suite struct HTMLReportTests {
    static let hostile = "</script><script>document.body.insertAdjacentHTML('beforeend','<p id=pwned>x</p>')</script><img src=x onerror=alert(1)>&amp;\"'"

    func input(_ records: [Record], slices: Bool = false) -> ReportInput {
        var options = AnalysisOptions()
        if slices { options.timelineSlices = 64 }
        let analysis = MemscopeTestSupport.analyze(records, options: options)
        let pictures = ReportPictures(timelineSVG: "<svg id=\"t\"></svg>", lifetimeHistogramSVG: "<svg></svg>",
                                      lanesSVG: "<svg></svg>", sizeHistogramSVG: "<svg></svg>", flamePNGs: [.peak: [0x89, 0x50]])
        return ReportInput(analysis: analysis, inputPath: "dump.msd", format: "msd", version: "test",
                           topDown: FlameGraphBuilder.build(analysis, direction: .topDown),
                           bottomUp: FlameGraphBuilder.build(analysis, direction: .bottomUp),
                           flameLayout: .default, flameOptions: .default, pictures: pictures, defaultCost: .peak)
    }

    /// With the timeline overlay's data: per-slice figures and site names for the range table.
    func slicedInput(_ records: [Record]) -> ReportInput {
        var report = input(records, slices: true)
        let td = FlameGraphBuilder.buildWithNodeMap(report.analysis, direction: .topDown)
        let bu = FlameGraphBuilder.buildWithNodeMap(report.analysis, direction: .bottomUp)
        report.topDown = td.graph
        report.bottomUp = bu.graph
        report.timeline = TimelineOverlay(report.analysis, filter: .none, topDownBoxOfNode: td.boxOfTreeNode, bottomUpBoxOfNode: bu.boxOfTreeNode)
        return report
    }

    /// A site none of whose blocks was freed (clang's largest buffers, kept to the exit) gets
    /// a row that says so in "Lifetimes per site", not ten empty cells.
    @Test func lifetimesPerSiteSayWhenNoBlockWasFreed() throws {
        var d = DumpBuilder()
        let kept = d.stack(frames: [d.frame("main"), d.frame("keep_buffer")])
        let churn = d.stack(frames: [d.frame("main"), d.frame("scratch")])
        d.alloc(ts: 1, address: 0x1000, size: 4096, stack: kept)
        d.alloc(ts: 2, address: 0x9000, size: 4096, stack: kept)
        d.alloc(ts: 3, address: 0x2000, size: 64, stack: churn)
        d.free(ts: 5, address: 0x2000)
        d.end(ts: 10)
        let html = LifetimesSection.perSite(input(d.records).analysis, input(d.records).analysis.sites)
        let rows = html.components(separatedBy: "<tr>").dropFirst(2)
        let keptRow = try #require(rows.first { $0.contains("keep_buffer") })
        #expect(keptRow.contains("<td class=\"note\" colspan=\"\(LifetimeBuckets.labels.count)\">no block freed: 2 blocks live at the end</td>"))
        let churnRow = try #require(rows.first { $0.contains("scratch") })
        #expect(!churnRow.contains("no block freed"))
        #expect(churnRow.components(separatedBy: "<td class=\"num\"").count - 1 == LifetimeBuckets.labels.count)
    }

    /// The other costs' pictures go into the page in the costs' order while they fit in
    /// their budget; the rest are drawn by the page from the same layout.
    @Test func otherCostsPicturesStayWithinTheirBudget() throws {
        var report = input(smallProgramDump())
        let big = [UInt8](repeating: 7, count: FlameData.otherPicturesBudget / 2)  // base64: two thirds of the budget
        report.pictures.flamePNGs = [.peak: [0x89, 0x50], .bytesAllocated: big, .allocations: big, .leaked: [1, 2, 3], .temporary: big]
        let data = try #require(try JSONSerialization.jsonObject(with: Data(FlameData.json(report).utf8)) as? [String: Any])
        let images = try #require(data["images"] as? [String: String])
        #expect(images["peak"] == "initial")
        #expect(images["allocated"] != nil, "the first big picture fits")
        #expect(images["allocations"] == nil && images["temporary"] == nil, "the second and third do not")
        #expect(images["leaked"] != nil, "a small one after them still fits")
        let embedded = images.values.filter { $0 != "initial" }.map(\.utf8.count).reduce(0, +)
        #expect(embedded <= FlameData.otherPicturesBudget)
    }

    /// A deep stack in a table keeps its innermost and outermost frames and says how many
    /// it leaves out; a shallow one is listed whole.
    @Test func deepStacksInTablesAreCut() {
        let deep = (0..<100).map { "f\($0) <x>" }
        let html = TablesSection.stackList(deep)
        #expect(html.components(separatedBy: "<li").count - 1 == TablesSection.stackLimit + 1, "the frames kept and the line that counts the rest")
        #expect(html.contains("<li>f0 &lt;x&gt;</li>") && html.contains("<li>f41 &lt;x&gt;</li>") && !html.contains("<li>f42 "))
        #expect(html.contains("… 52 frames more (the flamegraph shows every frame)"))
        // Numbered by depth: the outermost six go on from 95.
        #expect(html.hasSuffix("<li>f99 &lt;x&gt;</li>") && html.contains("<li value=\"95\">f94 &lt;x&gt;</li>") && !html.contains(">f93 "))
        let shallow = Array(deep.prefix(TablesSection.stackLimit))
        #expect(!TablesSection.stackList(shallow).contains("more") && TablesSection.stackList(shallow).hasSuffix("<li>f47 &lt;x&gt;</li>"))
    }

    @Test func escapingHappensInOnePlace() {
        #expect(HTML.escape("<a href=\"x\">Tom & Jerry's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(HTML.escape("tab\tok\u{1}bad") == "tab\tok\u{FFFD}bad")
        #expect(jsonString("</script>") == "\"\\u003c/script\\u003e\"")
    }

    /// Issue 21, defect 6: the "Leaked at end" card is red for lost memory only: with a scan,
    /// still reachable blocks (such as the runtimes' buffers) do not make it red.
    @Test func leakedCardIsRedOnlyForLostMemory() throws {
        func card(_ kinds: LeakKinds?) -> String {
            var a = MemscopeTestSupport.analyze(smallProgramDump())
            a.leakKinds = kinds
            let html = SummarySection.html(a)
            let start = try! #require(html.range(of: "<div class=\"label\">Leaked at end</div>"))
            return String(html[html.index(start.lowerBound, offsetBy: -40)..<start.lowerBound])
        }
        var reachable = LeakKinds()
        reachable.add(.stillReachable, size: 64)
        var lost = reachable
        lost.add(.definitelyLost, size: 16)
        #expect(!card(reachable).contains("card bad"), "still reachable memory is not red")
        #expect(card(lost).contains("card bad"), "lost memory is red")
        #expect(MemscopeTestSupport.analyze(smallProgramDump()).totals.leakedBytes == 0 || card(nil).contains("card bad"))
    }

    /// The card says how much of what was left is lost: on git pack-objects it read 20.3 MiB
    /// in red where 15.5 KiB was definitely lost and the rest still reachable.
    @Test func leakedCardSaysHowMuchIsLost() throws {
        func detail(_ kinds: LeakKinds?) throws -> String {
            var a = MemscopeTestSupport.analyze(smallProgramDump())
            a.leakKinds = kinds
            let html = SummarySection.html(a)
            let start = try #require(html.range(of: "<div class=\"label\">Leaked at end</div>"))
            let rest = html[start.upperBound...]
            let detail = try #require(rest.range(of: "<div class=\"detail\">"))
            return String(rest[detail.upperBound...].prefix { $0 != "<" })
        }
        try #require(MemscopeTestSupport.analyze(smallProgramDump()).totals.leakedBytes > 0)
        var reachable = LeakKinds()
        reachable.add(.stillReachable, size: 64)
        var lost = reachable
        lost.add(.definitelyLost, size: 16)
        lost.add(.indirectlyLost, size: 8)
        #expect(try detail(reachable).hasPrefix("none lost · "))
        #expect(try detail(lost).hasPrefix("24 B definitely or indirectly lost · "))
        #expect(try detail(nil).hasSuffix("blocks still live"))
        #expect(try !detail(nil).contains("lost"))
    }

    @Test func pageIsOfflineAndComplete() throws {
        let html = try HTMLReport.render(input(smallProgramDump()))
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        #expect(!html.contains("{{"))
        for forbidden in ["src=\"http", "href=\"http", "url(http", "src=\"//", "@import", "<link "] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        for section in ["id=\"summary\"", "id=\"timeline\"", "id=\"flamegraph\"", "id=\"lifetimes\"", "id=\"tables\"",
                        "id=\"memscope-summary\"", "id=\"flame-data\""] {
            #expect(html.contains(section), "\(section)")
        }
        #expect(html.contains("Leaks by site") && html.contains("Memory errors") && html.contains("double free"))
    }

    @Test func machineReadableSummaryEqualsSummaryJSON() throws {
        let report = input(smallProgramDump())
        let html = try HTMLReport.render(report)
        let start = try #require(html.firstRange(of: "<script type=\"application/json\" id=\"memscope-summary\">"))
        let end = try #require(html[start.upperBound...].firstRange(of: "</script>"))
        let embedded = String(html[start.upperBound..<end.lowerBound])
        #expect(embedded == MemscopeAnalysis.Summary(analysis: report.analysis, format: "msd", path: "dump.msd").json)
    }

    @Test func hostileNamesNeverBecomeMarkup() throws {
        var dump = DumpBuilder(metadata: Metadata(producer: Self.hostile, producerVersion: "1", commandLine: [Self.hostile, "--x"]))
        let s = dump.stack([Self.hostile, "ok"])
        dump.threadName(ts: 0, thread: 1, Self.hostile)
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: s)
        dump.free(ts: 2, address: 0x10, stack: s)
        dump.free(ts: 3, address: 0x10, stack: s)
        dump.alloc(ts: 4, address: 0x20, size: 8, stack: dump.stack(["main", Self.hostile]))  // a site named by the payload
        let report = slicedInput(dump.records)
        let html = try HTMLReport.render(report)
        // The range table's names are in the timeline data, escaped for a script block.
        let data = try #require(TimelineData.json(report))
        #expect(data.contains("\"slices\":{") && data.contains("\\u003c/script\\u003e"), "\(data)")
        #expect(html.contains(data))
        // The payload appears only escaped: never a raw tag, and never inside a script.
        #expect(!html.contains("<script>document"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<p id=pwned>"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;"))
        let scripts = html.matches(of: /<script[^>]*>/).count
        #expect(scripts == 4)  // three JSON blocks and the report script
    }
}

@Suite struct SourceContextTests {
    @Test func linesAroundTopSitesAreEmbeddedEscaped() throws {
        // A frame pointing at a real file of ours: this test file. Line 9 opens HTMLReportTests, and
        // line 10, inside the excerpt, holds the hostile payload, which must come out escaped.
        let file = TestPaths.packageRoot.appendingPathComponent("Tests/MemscopeReportTests/HTMLReportTests.swift").path
        var dump = DumpBuilder()
        let name = dump.string("make_payload")
        let path = dump.string(file)
        dump.append(.frame(Frame(id: 1, instructionPointer: 0x400100, function: name, file: path, line: 9, module: 0)))
        dump.append(.stack(id: 1, parent: 0, frame: 1))
        dump.alloc(ts: 1, address: 0x10, size: 64, stack: 1)
        let analysis = MemscopeTestSupport.analyze(dump.records)
        let source = SourceContext(analysis: analysis)
        let html = source.html(analysis, stack: 1)
        #expect(html.contains("<pre class=\"source\""))
        #expect(html.contains("<span class=\"hit\">    9 "))
        #expect(html.contains("&lt;/script&gt;"))
        #expect(!html.contains("</script>"))
        #expect(SourceContext().html(analysis, stack: 1).isEmpty)
    }
}

@Suite struct ScriptPolicyTests {
    @Test func sha256MatchesTheStandardVectors() {
        func hex(_ text: String) -> String {
            SHA256.digest(Array(text.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(String(repeating: "a", count: 1000)).hasPrefix("41edece42d63e8d9bf515a9ba6932e1c"))
        #expect(SHA256.cspSource(for: "abc") == "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='")
    }
}

@Suite struct ThreadTableTests {
    /// A dump that names many threads gets a bounded table: the threads that allocated the most.
    @Test func theThreadsTableIsBounded() {
        var dump = DumpBuilder()
        let stack = dump.stack("main", "work")
        for i in 0..<300 {
            dump.alloc(ts: UInt64(i + 1), thread: UInt32(i + 2), address: 0x1000 + UInt64(i) * 64, size: UInt64(i + 1), stack: stack)
        }
        let a = analyze(dump.records)
        let html = TablesSection.threads(a)
        #expect(html.components(separatedBy: "<tr><td data-value=").count - 1 == TablesSection.maxThreadRows)
        #expect(html.contains("The 200 threads that allocated the most bytes, of 300."))
        #expect(html.contains("data-value=\"301\""), "the thread that allocated the most is listed")
        #expect(!html.contains("data-value=\"2\">2<"), "the one that allocated the least is not")
    }
}

/// The page's script is compacted line by line (Compact): safe only while no template
/// literal spans lines, and no line is a comment that is not one.
@Suite struct CompactScriptTests {
    @Test func templatesHoldNoTemplateLiterals() throws {
        let directory = TestPaths.packageRoot.appendingPathComponent("Templates")
        for name in ["report.js", "timeline.js", "diff.js"] {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            let code = text.split(separator: "\n").map { line -> Substring in
                let trimmed = line.drop { $0 == " " }
                return trimmed.hasPrefix("//") ? "" : trimmed
            }
            #expect(!code.contains { $0.contains("`") }, "\(name) has a template literal; Compact would change it")
        }
    }
}

/// The page's number arrays and JSON strings, written byte by byte, equal the plain forms.
@Suite struct JSONWritingTests {
    @Test func arraysEqualJoinedStrings() {
        let signed: [Int] = [-1, 0, 7, 10, -123_456_789, Int.max, Int.min + 1]
        let unsigned: [UInt64] = [0, 9, 100, UInt64.max]
        #expect(FlameData.array(signed) == "[" + signed.map { String($0) }.joined(separator: ",") + "]")
        #expect(FlameData.array(unsigned) == "[" + unsigned.map { String($0) }.joined(separator: ",") + "]")
        #expect(FlameData.array([Int]()) == "[]")
    }

    @Test func plainStringsAreQuotedAsIs() {
        #expect(jsonString("main") == "\"main\"")
        #expect(jsonString("std::vector<int>") == "\"std::vector\\u003cint\\u003e\"")
        #expect(jsonString("a → b\u{2028}c") == "\"a → b\\u2028c\"")
        #expect(jsonString("é\u{7F}\u{1}") == "\"é\\u007f\\u0001\"")
        #expect(jsonString("") == "\"\"")
    }
}
