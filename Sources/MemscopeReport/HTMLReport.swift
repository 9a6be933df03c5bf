import Dispatch
import Foundation
import MemscopeAnalysis
import MemscopeLayout
import MemscopeModel
import MemscopeTemplates
import Synchronization

/// Writes the one offline HTML page: template, styles, script, pictures and data, all
/// inline; the Content-Security-Policy forbids every request.
public enum HTMLReport {
    /// The page. Its three largest parts are written on both cores: the flamegraph data, the
    /// timeline's data, and every other section.
    ///
    /// The timeline's per-slice figures get what the rest of the page leaves under 5 MB, which
    /// is known only once the rest is written: everything else of the timeline's data is
    /// prepared meanwhile, and the figures are merged to their budget and written last.
    public static func render(_ input: ReportInput) throws -> String {
        try render(input, early: nil)
    }

    /// The parts of the page that depend on neither the thread and window views nor the
    /// ownership section (the timeline's data but its per-slice figures, the lifetimes,
    /// sizes and tables, the summary's JSON): made on both cores while those are still
    /// being read, ``render(_:early:)`` takes them as they are.
    public struct EarlyParts: Sendable {
        fileprivate var timeline: TimelineData.Prepared?
        fileprivate var values: [String: String]
    }

    /// ``EarlyParts`` of `input` (its views and ownership section need not be there yet).
    public static func early(_ input: ReportInput) -> EarlyParts {
        let timeline = Mutex<TimelineData.Prepared?>(nil)
        let values = Mutex<[String: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                let prepared = TimelineData.prepared(input)
                timeline.withLock { $0 = prepared }
                return
            }
            let made = viewIndependentSections(input)
            values.withLock { $0 = made }
        }
        return EarlyParts(timeline: timeline.withLock { $0 }, values: values.withLock { $0 })
    }

    /// The page, with the parts already made (`early`, of this input before its views and
    /// ownership section were added) as they are.
    public static func render(_ input: ReportInput, early: EarlyParts?) throws -> String {
        let timeline = Mutex<TimelineData.Prepared?>(early?.timeline)
        let parts = Mutex<[Int: Result<[String: String], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: 3) { part in
            if part == 0 {
                guard early == nil else { return }
                let prepared = TimelineData.prepared(input)
                timeline.withLock { $0 = prepared }
                return
            }
            let made = Result<[String: String], any Error> {
                part == 1 ? ["flameJSON": FlameData.json(input)] : try sections(input, early: early?.values)
            }
            parts.withLock { $0[part] = made }
        }
        var values = try parts.withLock { parts in
            try parts[2]!.get().merging(try parts[1]!.get()) { $1 }
        }
        let template = try ReportTemplates.text("report.html")
        let rest = values.values.reduce(template.utf8.count) { $0 + $1.utf8.count } + 100_000
        let budget = min(TimelineData.sliceBudget, TimelineData.pageLimit - rest)
        values["timelineJSON"] = timeline.withLock { $0 }?.json(budget: budget) ?? "null"
        return try TemplateFiller.fill(template, values)
    }

    /// The template's values that depend on neither the views nor the ownership section.
    private static func viewIndependentSections(_ input: ReportInput) -> [String: String] {
        let a = input.analysis
        return [
            "lifetimes": a.notes.unavailable.contains("lifetimes")
                ? "<p class=\"empty\">This input records no block lifetimes (see the summary).</p>" : LifetimesSection.html(input),
            "sizes": a.notes.unavailable.contains("sizes")
                ? "<p class=\"empty\">This input records no allocation sizes (see the summary).</p>" : SizesSection.html(input),
            "tables": TablesSection.html(a, source: input.source, threadLanes: input.pictures.threadLanesSVG),
            "summaryJSON": MemscopeAnalysis.Summary(analysis: a, format: input.format, path: input.inputPath).json,
        ]
    }

    /// Every value of the page's template but the flamegraph data and the timeline's.
    private static func sections(_ input: ReportInput, early: [String: String]?) throws -> [String: String] {
        let a = input.analysis
        let independent = early ?? viewIndependentSections(input)
        let command = CommandLineText.quoted(a.metadata.commandLine)
        let title = "memscope report: " + (command.isEmpty ? baseName(input.inputPath) : String(command.prefix(120)))
        var subtitle = "Dump <code>\(HTML.escape(input.inputPath))</code> (\(HTML.escape(input.format)))"
        if a.metadata.pid != 0 { subtitle += " · pid \(a.metadata.pid)" }
        if !a.metadata.producer.isEmpty && a.metadata.producer != "unknown" {
            subtitle += " · recorded by \(HTML.escape(a.metadata.producer)) \(HTML.escape(a.metadata.producerVersion))"
        }
        if a.metadata.startTimeUnixNanoseconds > 0 {
            subtitle += " · started \(HTML.escape(utc(a.metadata.startTimeUnixNanoseconds)))"
        }
        if !command.isEmpty { subtitle += "<br>Command: <code>\(HTML.escape(command))</code>" }
        if let chain = a.metadata.execChain {
            subtitle += " (started as <code>\(HTML.escape(CommandLineText.quoted(chain.firstCommandLine)))</code>, \(Metadata.execsPhrase(chain.execs)))"
        }
        let errors = TablesSection.errors(a)
        var links: [(String, String)] = [("summary", "Summary")]
        if !errors.isEmpty { links.append(("errors", "Memory errors")) }
        links += [("timeline", "Memory over time"), ("flamegraph", "Flamegraphs"), ("lifetimes", "Lifetimes"),
                  ("sizes", "Sizes"), ("tables", "Sites, leaks, threads")]
        if input.ownership != nil { links.append(("ownership", "Ownership")) }
        let nav = links
            .map { "<a href=\"#\($0.0)\">\(HTML.escape($0.1))</a>" }.joined()
        let costButtons = FlameCost.allCases.map {
            "<button type=\"button\" data-cost=\"\($0.rawValue)\" aria-pressed=\"\($0 == input.defaultCost)\">\(HTML.escape($0.title))</button>"
        }.joined()
        func select(_ id: String, _ label: String, all: String, _ views: [FlameView], suffix: String) -> String {
            guard !views.isEmpty else { return "" }
            let options = views.map { "<option value=\"\(HTML.escape($0.key))\">\(HTML.escape($0.label))\(suffix)</option>" }.joined()
            return "<select id=\"\(id)\" aria-label=\"\(label)\"><option value=\"\">\(all)</option>\(options)</select>"
        }
        let viewControls = select("flame-thread", "thread", all: "all threads", input.threadFlames, suffix: " alone")
            + select("flame-window", "time window", all: "the whole run", input.windowFlames, suffix: "")
            + (input.allFramesFlame == nil ? ""
                : "<label class=\"toggle\"><input type=\"checkbox\" id=\"flame-all-frames\"> every frame (no filter)</label>")
        let defaultPNG = input.pictures.flamePNGs[input.defaultCost].map { "data:image/png;base64," + Data($0).base64EncodedString() } ?? ""
        // One short line of how to use it; the rest folded under "About these flamegraphs".
        let flameHint = "<p class=\"note\">Hover a frame for its details; click to zoom in, click again (or reset) to zoom out; "
            + "search takes a substring or a regular expression.</p>"
        var flameNote = "Frames below "
            + "\(Units.fixed(input.flameOptions.minimumFraction * 100, decimals: 3))% of every cost fold into one grey box per caller."
        let cut = max(input.topDown.cutNodes, input.bottomUp.cutNodes)
        if cut > 0 { flameNote += " \(cut) frames deeper than \(input.flameOptions.maxDepth) levels are not shown; their cost stays in their callers." }
        flameNote += " Frames: \(HTML.escape(input.frameFilter)) (tables keep whole stacks; <code>memscope render --all-frames</code> shows every frame)."
        flameNote += WrapperNote.html(a)
        if !input.threadFlames.isEmpty {
            flameNote += " A thread chosen alone shows only the blocks it allocated (wherever they were freed); its peak is that thread's own peak."
        }
        if input.allFramesFlame != nil {
            flameNote += " <em>Every frame</em> shows the whole run with no frame filter."
        }
        if !input.windowFlames.isEmpty {
            flameNote += " A time window counts what was allocated within it; its peak is the highest point inside it, and "
                + "<em>Leaked</em> means still live at the window's end. A thread, a window and every frame are not combined: choosing one resets the others."
        }
        if input.threadFlames.isEmpty && a.threads.count > 1 && a.scope.isEmpty && a.notes.unavailable.isEmpty {
            flameNote += " No per-thread flamegraphs in this report: <code>memscope render --thread-flamegraphs 4</code> adds them "
                + "(by default only smaller dumps have them, up to 2,000,000 events and 13,000 call-tree nodes: they cost one more read of the dump and weigh on the page)."
        }
        flameNote += " The opening picture is drawn by Cairo; other views are drawn by the page from the same layout."
        flameNote = flameHint + "<details class=\"about\"><summary>About these flamegraphs</summary><p class=\"note\">\(flameNote)</p></details>"
        let timelineNote = "<p class=\"note\">Live heap: the highest live bytes within each of \(a.timeline.points.count) "
            + "intervals of \(HTML.escape(Units.time(a.timeline.intervalNanoseconds, unit: a.notes.timeUnit))), so no peak is lost. "
            + (a.notes.unavailable.contains("bytes_allocated") ? "" : "Allocation rate: bytes allocated per second in each interval. ")
            + (a.rss.isEmpty ? "No RSS samples in this dump.</p>"
               : "RSS (green): the process's resident set size, \(a.rss.samples) samples (peak "
                 + "\(HTML.escape(Units.bytes(a.rss.peakBytes)))), heap and everything else in RAM: code, stacks, "
                 + "the allocator's free memory; a heap block counts only once its pages are touched "
                 + "(memscope record leaves its own tables out).</p>")
        var windowLinks = ""
        if !input.windowFlames.isEmpty {
            windowLinks = "<p class=\"window-links\">Flamegraphs of a time window: " + input.windowFlames.map {
                "<a href=\"#flamegraph\" data-window=\"\(HTML.escape($0.key))\">\(HTML.escape($0.label))</a>"
            }.joined(separator: " · ") + "</p>"
        }
        // The timeline overlay's script first: it defines what report.js asks it for.
        // Inputs without times get no overlay code (report.js runs without it).
        let hasTimes = !a.notes.unavailable.contains("timeline")
        // Events that all share one time (a heaptrack file of a run shorter than its 10 ms
        // stamps) have nothing to draw over time: no picture, and a note that says why.
        let hasTimeline = hasTimes && a.totals.durationNanoseconds > 0
        let (script, scriptHash) = try pageScript(timeline: hasTimeline)
        var values: [String: String] = [
            "version": input.version,
            "title": title,
            "subtitle": subtitle,
            "nav": nav,
            "css": Compact.style(try ReportTemplates.text("report.css") + (hasTimeline ? try ReportTemplates.text("timeline.css") : "")),
            "summary": SummarySection.html(a, ownership: OwnershipSection.inferredNotes(input.ownership),
                                           inferenceOff: OwnershipSection.inferenceOff(input.ownership)),
            "errors": errors.isEmpty ? "" : "<section id=\"errors\">\n<h2>Memory errors</h2>\n\(errors)\n</section>",
            "timelinePicture": hasTimeline ? input.pictures.timelineSVG : "",
            "timelineNote": !hasTimes
                ? "<p class=\"empty\">This input records no times, so there is no memory over time (see the summary).</p>"
                : !hasTimeline
                ? "<p class=\"empty\">Every event of this input carries the same time, so there is no memory over time to draw "
                    + "(heaptrack, for one, stamps events in steps of about 10 ms: this run was shorter than one step).</p>"
                : timelineNote + windowLinks,
            "costButtons": costButtons,
            "viewControls": viewControls,
            "defaultFlamePicture": defaultPNG,
            "flameNote": flameNote,
            "lifetimes": independent["lifetimes"]!,
            "sizes": independent["sizes"]!,
            "tables": independent["tables"]!,
            "ownership": OwnershipSection.html(input.ownership),
            "footer": "Made by memscope \(HTML.escape(input.version)) from <code>\(HTML.escape(input.inputPath))</code>. "
                + "Offline: this page loads nothing from anywhere. The summary is also in "
                + "<code>&lt;script id=\"memscope-summary\"&gt;</code> as JSON.",
            "summaryJSON": independent["summaryJSON"]!,
            "script": script,
            // Only this script may run: its digest is the page's whole script policy.
            "scriptHash": scriptHash,
        ]
        // The style element's text is "\n" + css + "\n" (Templates/report.html); the markup
        // is every value but the style, the script and the summary's JSON.
        let markup = values.filter { !["css", "script", "scriptHash", "summaryJSON"].contains($0.key) }.map(\.value)
        values["styleSources"] = StylePolicy.sources(styleElement: "\n" + values["css"]! + "\n", markup: markup)
        return values
    }

    /// The page's script, compacted, and its digest, with or without the timeline
    /// overlay's code: the same for every report, so each is made once per process.
    private static let pageScripts = Mutex<[Bool: (script: String, hash: String)]>([:])

    static func pageScript(timeline: Bool) throws -> (script: String, hash: String) {
        if let made = pageScripts.withLock({ $0[timeline] }) { return made }
        let script = "\n" + Compact.script((timeline ? try ReportTemplates.text("timeline.js") + "\n" : "")
                                           + (try ReportTemplates.text("report.js"))) + "\n"
        let made = (script: script, hash: SHA256.cspSource(for: script))
        pageScripts.withLock { $0[timeline] = made }
        return made
    }

    /// `2023-11-14 22:13:20 UTC` from Unix nanoseconds (deterministic: no local zone).
    static func utc(_ nanoseconds: UInt64) -> String {
        var seconds = Int64(nanoseconds / 1_000_000_000)
        let secondOfDay = seconds % 86_400
        seconds /= 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = seconds + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) UTC"
    }
}
