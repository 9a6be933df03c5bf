import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The report in a real browser: headless Chromium, with the network cut off.
@Suite(.serialized) struct BrowserTests {
    static func browser() throws -> String {
        for name in ["chromium-headless-shell", "chromium"] where isInstalled(name) { return name }
        throw BrowserMissing()
    }

    struct BrowserMissing: Error, CustomStringConvertible {
        var description: String { "chromium-headless-shell is missing: run scripts/install-deps.sh" }
    }

    /// Runs the browser on a page (with `unshare --net` when root) and returns stdout.
    static func chromium(_ arguments: [String], page: String) throws -> ProcessResult {
        let flags = ["--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=5000"] + arguments + [page]
        if getuid() == 0 && isInstalled("unshare") {
            return try run("unshare", ["--net", try browser()] + flags)
        }
        return try run(try browser(), ["--host-resolver-rules=MAP * ~NOTFOUND"] + flags)
    }

    static func render(_ dump: String) throws -> String {
        let out = try TestPaths.temporaryDirectory().appendingPathComponent("report.html").path
        let result = try memscope("render", "-q", dump, "-o", out)
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    /// The page's own self-test: hover, search, zoom, reset and sort through real DOM events.
    static func selftest(_ report: String, flags: [String] = []) throws -> [String: Any] {
        let dom = try chromium(["--dump-dom"] + flags, page: "file://\(report)#selftest").stdout
        let match = try #require(dom.firstMatch(of: /<pre id="selftest-result">([^<]*)<\/pre>/), "no self-test result in the DOM")
        let json = String(match.1).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test(arguments: ["server-leak.msd", "realloc-builder.msd", "thread-handoff.msd", "memory-errors.msd"])
    func flamegraphHoverSearchAndZoomWork(sample: String) throws {
        // At 1300 px the view is about the Cairo picture's width (1200 px), so the picture is shown.
        let result = try Self.selftest(Self.render(TestPaths.sample(sample)), flags: ["--window-size=1300,900"])
        #expect(result["pictureShown"] as? Bool == true, "the Cairo picture is shown first")
        let name = try #require(result["hoverName"] as? String)
        let tooltip = try #require(result["tooltip"] as? String)
        #expect(tooltip.hasPrefix(name) && tooltip.contains("allocation calls") && tooltip.contains("% of total"), "\(tooltip)")
        let matched = try #require(result["matched"] as? String)
        #expect(matched.hasPrefix("Matched: ") && !matched.hasPrefix("Matched: 0.00%"), "\(matched)")
        #expect((result["zoom"] as? Int ?? 0) > 0)
        #expect((result["zoomedTotal"] as? String)?.hasSuffix(" in \(name)") == true)
        #expect(result["zoomShift"] as? Double == 0, "zooming moved the graph under the pointer (issue 21, defect 5)")
        #expect((result["hash"] as? String)?.contains("zoom=") == true, "state in the URL")
        #expect(result["zoomHistory"] as? Int == 1, "a zoom is a history entry, so Back undoes it (issue 21)")
        #expect(result["drawnAfterZoom"] as? Bool == true)
        #expect(result["zoomAfterReset"] as? Int == 0)
        #expect(result["sorted"] as? String == "descending")
        // Per-thread flamegraphs: only dumps with several threads have the selector.
        let thread = result["thread"] as? [String: Any]
        if sample == "server-leak.msd" || sample == "thread-handoff.msd" {
            let selected = try #require(thread?["selected"] as? String, "a thread selector")
            #expect(!selected.isEmpty)
            #expect(thread?["pictureHidden"] as? Bool == true, "a thread's flamegraph is drawn by the page")
            #expect((thread?["viewHeight"] as? Int ?? 0) > 40, "the drawn flamegraph takes room")
            #expect((thread?["hash"] as? String)?.contains("thread=\(selected)") == true, "the thread is in the URL")
            #expect(thread?["total"] as? String != thread?["allTotal"] as? String, "one thread's total is not the run's")
        } else {
            #expect(thread == nil)
        }
        // The window picker: the slices and the peak's window, drawn by the page.
        let window = try #require(result["window"] as? [String: Any], "every sample has times, so a window picker")
        #expect(window["selected"] as? String == "peak")
        #expect(window["options"] as? Int == 12, "the whole run, ten slices and the peak's window")
        #expect(window["pictureHidden"] as? Bool == true)
        #expect((window["viewHeight"] as? Int ?? 0) > 40)
        #expect((window["hash"] as? String)?.contains("window=peak") == true)
        #expect(window["linkSelects"] as? Bool == true, "a window link under the timeline selects that window")
        // The every-frame toggle: the unfiltered trees have more frames (allocator, runtime, entry).
        let allFrames = try #require(result["allFrames"] as? [String: Any], "the default filter hides frames, so a toggle")
        #expect(allFrames["checked"] as? Bool == true)
        #expect((allFrames["nodes"] as? Int ?? 0) > (allFrames["filteredNodes"] as? Int ?? .max), "\(allFrames)")
        #expect(allFrames["pictureHidden"] as? Bool == true)
        #expect((allFrames["hash"] as? String)?.contains("frames=all") == true)
    }

    static func fixture(_ name: String) -> String {
        TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/imports/\(name)").path
    }

    /// Issue 21, defect 1: the flamegraph tooltip lies wholly in the window, unclipped by the
    /// scrolling view, on shallow graphs too, and hovering adds no scrollbars.
    @Test(arguments: [("server-leak.msd", "1024,768"), ("server-leak.msd", "1400,900"), ("heaptrack", "1024,768")])
    func flamegraphTooltipIsWhollyInSight(input: String, window: String) throws {
        let path = input == "heaptrack" ? Self.fixture("heaptrack.workload.zst") : TestPaths.sample(input)
        let result = try Self.selftest(Self.render(path), flags: ["--window-size=\(window)"])
        let probes = try #require(result["tipGeometry"] as? [[String: Any]])
        #expect(probes.count >= 2)
        for probe in probes {
            #expect(probe["shown"] as? Bool == true, "\(probe)")
            #expect(probe["visible"] as? Double == 1, "the whole tip is visible: \(probe)")
            #expect(probe["insideWindow"] as? Bool == true, "\(probe)")
            #expect(probe["scrollbarsAdded"] as? Bool == false, "\(probe)")
        }
    }

    /// Issue 21, defect 5: no element is wider than the page (the ownership edge table was
    /// 1,815 px), the flamegraph fills its view at 1,024 and 1,920 px, and zooming neither
    /// wraps the total line nor moves the graph under the pointer.
    @Test(arguments: ["1024,768", "1920,1080"])
    func nothingWiderThanThePageAndTheFlamegraphFillsIt(window: String) throws {
        for sample in ["recorded/minihttpd.msd", "server-leak.msd"] {
            let result = try Self.selftest(Self.render(TestPaths.sample(sample)), flags: ["--window-size=\(window)"])
            let widths = try #require(result["widths"] as? [String: Any])
            let page = try #require(widths["page"] as? Int), view = try #require(widths["view"] as? Int)
            #expect(widths["scroll"] as? Int == page, "the page scrolls sideways (\(sample), \(window)): \(widths)")
            #expect(widths["viewScroll"] as? Int == view, "the flamegraph scrolls sideways: \(widths)")
            #expect((widths["wider"] as? [String])?.isEmpty == true, "\(widths)")
            let canvas = try #require(widths["canvas"] as? Double)
            #expect(canvas >= Double(view) * 0.9 && canvas <= Double(view), "the flamegraph fills its view: \(widths)")
            if window.hasPrefix("1920") { #expect(canvas > 1400, "a wide window gives a wide graph: \(widths)") }
            #expect(result["zoomShift"] as? Double == 0, "zooming moved the graph: \(result["zoomShift"] ?? "")")
            #expect(result["statusGrew"] as? Double == 0, "the total line wrapped")
        }
    }

    /// Issue 21, defect 6: the leaks table keeps stacks folded (a row is a line or two), and
    /// the ownership legend's red for lost sites is the colour the picture draws them in,
    /// not an edge's.
    @Test(arguments: ["server-leak.msd", "recorded/minihttpd.msd"])
    func leaksTableIsFoldedAndLegendMatchesThePicture(sample: String) throws {
        let result = try Self.selftest(Self.render(TestPaths.sample(sample)), flags: ["--window-size=1300,900"])
        let leaks = try #require(result["leaks"] as? [String: Any])
        let rows = try #require(leaks["rows"] as? Int), height = try #require(leaks["height"] as? Double)
        #expect(leaks["open"] as? Int == 0, "\(leaks)")
        #expect(height <= Double(rows + 1) * 50, "each leak row stays short: \(leaks)")
        let ownership = try #require(result["ownership"] as? [String: Any])
        if sample == "server-leak.msd" {
            #expect(ownership["lostKeyDrawn"] as? Bool == true, "the legend's lost-site colour is drawn: \(ownership)")
        } else {
            #expect(ownership["lostKeyDrawn"] as? Bool != false, "a legend key for a colour not drawn: \(ownership)")
        }
        guard let key = ownership["lostKey"] as? String else { return }
        #expect((ownership["edgeKeys"] as? [String])?.contains(key) == false, "an edge has the lost sites' colour")
    }

    /// Issue 21, defect 3: massif's and DHAT's clocks count instructions, so no figure is a
    /// duration or a rate per second; massif has no allocation figures, so no empty rate
    /// chart (the picture is shorter), no "0 blocks" and no "0 allocation calls"; and no
    /// import shows the dump format's internal wording for an unknown ending.
    @Test(arguments: ["massif.out.workload", "dhat.out.workload", "heaptrack.workload.zst"])
    func importsSayTheirOwnUnits(fixture: String) throws {
        let result = try Self.selftest(Self.render(Self.fixture(fixture)), flags: ["--window-size=1300,900"])
        let cards = try #require(result["cards"] as? [String: String])
        let ended = try #require(cards["Program ended"])
        #expect(!ended.contains("process_end"), "\(ended)")
        if fixture.hasPrefix("heaptrack") { return }
        let peak = try #require(cards["Peak live heap"])
        #expect(peak.contains("instructions") && !peak.contains(" ms") && !peak.contains("µs"), "\(peak)")
        #expect(cards["Allocation calls"]?.contains("/s") != true, "no rate per second: \(cards)")
        if fixture.hasPrefix("massif") {
            let run = try #require(cards["Run length"], "\(cards)")
            #expect(run.contains("instructions") && !run.contains(" ms"), "\(run)")
            #expect(cards["Leaked at end"]?.contains("0 blocks") == false, "\(cards)")
            let height = try #require(result["timelineHeight"] as? Double)
            #expect(height > 100 && height < 320, "no empty allocation-rate panel: \(height) px")
            #expect((result["timelineNote"] as? String)?.contains("Allocation rate") == false)
            #expect((result["timelineNote"] as? String)?.contains("µs") == false, "window links in instructions")
            let tooltip = try #require(result["tooltip"] as? String)
            #expect(tooltip.contains("allocation calls: not in this input") && !tooltip.contains("0 allocation calls"), "\(tooltip)")
        }
    }

    /// Issue 21, defect 7: under the flamegraph, two lines at most until asked for more (it
    /// was seven), and the ownership edge table says each rule once, not on every row.
    @Test func proseIsShortAndRulesAreSaidOnce() throws {
        for sample in ["server-leak.msd", "recorded/minihttpd.msd"] {
            let result = try Self.selftest(Self.render(TestPaths.sample(sample)), flags: ["--window-size=1300,900"])
            let prose = try #require(result["flameProse"] as? [String: Any])
            let height = try #require(prose["height"] as? Double), line = try #require(prose["lineHeight"] as? Double)
            #expect(height <= line * 2 + 12 + 24, "the prose under the flamegraph is \(height / line) lines")
            guard sample.contains("minihttpd") else { continue }
            let rules = try #require(result["edgeRules"] as? [String: Any])
            #expect((rules["rows"] as? Int ?? 0) > 3)
            #expect((rules["longest"] as? Int ?? .max) <= 60, "a rule sentence on a row: \(rules)")
        }
    }

    /// An inlined frame's tooltip says it was inlined, and the page shortens long names
    /// exactly as the Swift side does.
    @Test func inlinedFramesAndReadableNames() throws {
        var dump = DumpBuilder()
        let main = dump.codeFrame("main", module: "/bin/shapes", offset: 0x1000, file: "main.rs", line: 50)
        let index = dump.codeFrame("shapes::build_index", module: "/bin/shapes", offset: 0x2000, file: "main.rs", line: 30)
        let insert = dump.codeFrame("shapes::Table<K,V>::insert", module: "/bin/shapes",
                                    offset: 0x2000, file: "map.rs", line: 1296, inlined: true)
        let other = dump.codeFrame("shapes::build_shapes", module: "/bin/shapes", offset: 0x3000, file: "main.rs", line: 12)
        let a = dump.stack(frames: [main, index, insert]), b = dump.stack(frames: [main, other])
        dump.alloc(ts: 1, address: 0x10, size: 600, stack: a)
        dump.alloc(ts: 2, address: 0x20, size: 400, stack: b)
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("inlined.msd").path
        try Data(encodeBinary(dump.records)).write(to: URL(fileURLWithPath: path))
        let result = try Self.selftest(Self.render(path))
        let tip = try #require(result["inlinedTip"] as? String, "an inlined box to hover")
        #expect(tip.contains("shapes::Table<K,V>::insert") && tip.contains("inlined into its caller"), "\(tip)")
        let name = "std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)(int), int> > >::_M_run()"
        #expect(result["readableForms"] as? [String] == ReadableName.forms(name))
    }

    /// Defence in depth: a script that got into the page (as if an escaping bug let a
    /// dump's string through) does not run; the page's own script, named by its digest
    /// in the policy, does.
    @Test func onlyThePagesOwnScriptRuns() throws {
        let report = try Self.render(TestPaths.sample("server-leak.msd"))
        var html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("script-src 'sha256-") && !html.contains("script-src 'unsafe-inline'"))
        html = html.replacingOccurrences(of: "<footer>", with: "<script>document.body.dataset.injected = 'ran'</script><footer>")
        let tampered = URL(fileURLWithPath: report).deletingLastPathComponent().appendingPathComponent("tampered.html").path
        try html.write(toFile: tampered, atomically: true, encoding: .utf8)
        let dom = try Self.chromium(["--dump-dom"], page: "file://\(tampered)").stdout
        #expect(!dom.contains("data-injected"), "an injected script ran")
        // The self-test's result is written by the page's own script: it ran.
        let result = try Self.selftest(tampered)
        #expect(result["hoverName"] as? String != nil, "the page's own script still runs")
    }

    /// The style policy has no 'unsafe-inline' either: the page's own style element and style
    /// attributes are listed by digest and apply; a style attribute an escaping bug let in does not.
    @Test func onlyThePagesOwnStylesApply() throws {
        let report = try Self.render(TestPaths.sample("server-leak.msd"))
        var html = try String(contentsOfFile: report, encoding: .utf8)
        let policy = try #require(html.range(of: "style-src ").map { html[$0.upperBound...].prefix { $0 != ";" } })
        #expect(!policy.contains("'unsafe-inline'") && policy.contains("'unsafe-hashes'"), "\(policy)")
        html = html.replacingOccurrences(of: "<footer>", with: "<p id=\"injected\" style=\"display:none\">x</p><footer>")
        let tampered = URL(fileURLWithPath: report).deletingLastPathComponent().appendingPathComponent("styled.html").path
        try html.write(toFile: tampered, atomically: true, encoding: .utf8)
        // The page's self-test reads computed styles: a heat cell's own background applied,
        // the injected display:none did not.
        let result = try Self.selftest(tampered)
        #expect(result["injectedDisplay"] as? String == "block", "\(result["injectedDisplay"] ?? "nil")")
        #expect(result["heatCellBackground"] as? String != nil && result["heatCellBackground"] as? String != "rgba(0, 0, 0, 0)",
                "\(result["heatCellBackground"] ?? "nil")")
    }

    @Test func injectedNamesShowLiterallyAndRunNothing() throws {
        let payload = "</script><script>document.body.insertAdjacentHTML('beforeend','<p id=\"pwned\">x</p>')</script>"
            + "<img src=x onerror=\"document.body.insertAdjacentHTML('beforeend','<p id=pwned2>x</p>')\">"
        var dump = DumpBuilder(metadata: Metadata(producer: "p", producerVersion: "1", commandLine: [payload]))
        let stack = dump.stack(["main", payload])
        dump.threadName(ts: 0, thread: 1, payload)
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: stack)
        dump.alloc(ts: 2, address: 0x20, size: 8, stack: stack)
        dump.free(ts: 3, address: 0x20, stack: stack)
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("hostile.jsonl").path
        let writer = try JSONLinesWriter(sink: ByteSink(file: AtomicOutputFile(path: path)))
        for record in dump.records { try writer.write(record) }
        try writer.finish()
        let report = try Self.render(path)
        let dom = try Self.chromium(["--dump-dom"], page: "file://\(report)").stdout
        #expect(dom.contains("<body"))
        // A real element would serialise as a tag; the escaped text serialises as &lt;p ….
        #expect(!dom.contains("<p id=\"pwned\">") && !dom.contains("<p id=\"pwned2\">"), "injected markup ran")
        #expect(dom.contains("&lt;/script&gt;&lt;script&gt;document.body.insertAdjacentHTML"), "the name shows as text")
        // The page's own script still ran (the payload did not break it).
        #expect(try Self.selftest(report)["zoomAfterReset"] as? Int == 0)
    }

    /// URLs other than file: and data: that a page asked for, from Chromium's net log.
    /// The ownership graph's hover regions sit on the picture, each with its details, and
    /// edge labels link to their rows in the edge table.
    @Test func ownershipGraphHasHoverDetails() throws {
        let result = try Self.selftest(Self.render(TestPaths.sample("recorded/minihttpd.msd")))
        let ownership = try #require(result["ownership"] as? [String: Any], "no ownership graph on the page")
        #expect((ownership["hits"] as? Int ?? 0) >= 4)
        #expect(ownership["titled"] as? Bool == true)
        #expect((ownership["nodeTitle"] as? String)?.contains("allocated here") == true, "\(ownership)")
        #expect(ownership["onTop"] as? Bool == true, "the region is what the pointer reaches")
        #expect(ownership["insidePicture"] as? Bool == true)
        #expect(ownership["edgeRow"] as? Bool == true)
    }

    static func remoteRequests(_ page: String) throws -> [String] {
        let log = try TestPaths.temporaryDirectory().appendingPathComponent("net.json").path
        _ = try chromium(["--log-net-log=\(log)", "--dump-dom"], page: "file://\(page)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: log)))
        let netlog = try #require(object as? [String: Any])
        let constants = try #require(netlog["constants"] as? [String: Any])
        let types = try #require(constants["logEventTypes"] as? [String: Int])
        #expect(types["URL_REQUEST_START_JOB"] != nil)
        let events = try #require(netlog["events"] as? [[String: Any]])
        #expect(!events.isEmpty)
        let urls = events.compactMap { ($0["params"] as? [String: Any])?["url"] as? String }
        let remote = urls.filter { !$0.hasPrefix("file:") && !$0.hasPrefix("data:") && !$0.hasPrefix("about:") && !$0.hasPrefix("chrome") }
        return remote
    }

    @Test func pageRequestsNothing() throws {
        let report = try Self.render(TestPaths.sample("server-leak.msd"))
        #expect(try Self.remoteRequests(report).isEmpty)
        // The check itself works: a page without our CSP that references the network is caught.
        let probe = try TestPaths.temporaryDirectory().appendingPathComponent("probe.html")
        try Data("<html><body><img src=\"http://cdn.example.invalid/leak.png\"></body></html>".utf8).write(to: probe)
        #expect(try Self.remoteRequests(probe.path).contains("http://cdn.example.invalid/leak.png"))
    }

    @Test func darkThemeFollowsTheSystemSetting() throws {
        let report = try Self.render(TestPaths.sample("tiny.jsonl"))
        #expect(try Self.selftest(report)["background"] as? String == "rgb(255, 255, 255)")
        let dark = try Self.selftest(report, flags: ["--blink-settings=preferredColorScheme=0"])
        #expect(dark["background"] as? String == "rgb(13, 17, 23)", "prefers-color-scheme: dark gives the dark theme")
    }

    /// Issue 21, defect 4: in both themes the pressed cost button has its own colour, and in
    /// the dark theme no picture is a white block (each is shown inverted, on dark paper).
    @Test func darkThemePressedButtonAndPictures() throws {
        let report = try Self.render(TestPaths.sample("recorded/minihttpd.msd"))
        for flags in [[], ["--blink-settings=preferredColorScheme=0"]] {
            let result = try Self.selftest(report, flags: flags)
            let buttons = try #require(result["costButtons"] as? [String: Any])
            let pressed = try #require(buttons["pressed"] as? String), other = try #require(buttons["other"] as? String)
            #expect(pressed != other, "the pressed button looks pressed (\(flags)): \(buttons)")
            let pictures = try #require(result["pictures"] as? [[String: Any]])
            #expect(pictures.count >= 5, "timeline, lanes, histogram, flamegraph, ownership graph")
            guard !flags.isEmpty else { continue }
            for picture in pictures {
                let inverted = (picture["filter"] as? String)?.contains("invert") == true
                #expect(inverted, "a picture is a white block on the dark page: \(picture)")
                #expect(picture["paper"] as? String != "rgb(255, 255, 255)", "\(picture)")
            }
        }
    }

    /// The diff page and the batch index allow only their own styles too (by digest, no
    /// 'unsafe-inline'), and every one of them applies: each page under its policy looks
    /// exactly as it does with no policy at all, and differs from itself unstyled.
    @Test func diffPageAndBatchIndexApplyOnlyTheirOwnStyles() throws {
        let directory = try TestPaths.temporaryDirectory()
        let diff = directory.appendingPathComponent("diff.html").path
        #expect(try memscope("diff", TestPaths.sample("server-fixed.msd"), TestPaths.sample("server-leak.msd"), "-o", diff).status == 0)
        let batch = directory.appendingPathComponent("batch").path
        #expect(try memscope("render", "-q", TestPaths.sample("tiny.jsonl"), TestPaths.sample("server-leak.msd"), "-o", batch).status == 0)
        for page in [diff, batch + "/index.html"] {
            let html = try String(contentsOfFile: page, encoding: .utf8)
            let policy = try #require(html.firstMatch(of: /<meta http-equiv="Content-Security-Policy" content="[^"]*"\>/)).0
            #expect(policy.contains("style-src 'sha256-") && !policy.contains("unsafe-inline"), "\(page): \(policy)")
            func shot(_ variant: String, _ text: String) throws -> Data {
                let copy = directory.appendingPathComponent("\(variant)-\(URL(fileURLWithPath: page).lastPathComponent)").path
                try text.write(toFile: copy, atomically: true, encoding: .utf8)
                let png = copy + ".png"
                let result = try run(TestPaths.packageRoot.appendingPathComponent("scripts/screenshot.sh").path, [copy, png, "1200", "1400"])
                #expect(result.status == 0, "\(result.stderr)")
                return try Data(contentsOf: URL(fileURLWithPath: png))
            }
            let sealed = try shot("sealed", html)
            let open = try shot("open", html.replacingOccurrences(of: String(policy), with: ""))
            let unstyled = try shot("unstyled", html.replacingOccurrences(of: String(policy), with: "")
                .replacingOccurrences(of: "<style>", with: "<style media=\"not all\">"))
            #expect(sealed == open, "\(page): a style of its own did not apply under its policy")
            #expect(sealed != unstyled, "\(page): the comparison cannot see styles")
        }
    }

    @Test func screenshotShowsTheReport() throws {
        let report = try Self.render(TestPaths.sample("server-leak.msd"))
        let shot = try TestPaths.temporaryDirectory().appendingPathComponent("shot.png").path
        let result = try run(TestPaths.packageRoot.appendingPathComponent("scripts/screenshot.sh").path, [report, shot, "1400", "1800"])
        #expect(result.status == 0, "\(result.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.count > 50_000, "a blank page compresses to a few kB")
    }
}
