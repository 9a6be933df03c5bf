import CPrefetch
import Dispatch
import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeLayout
import MemscopeModel
import MemscopeOwnership
import MemscopeReport
import MemscopeScene

/// Turns a ``RenderPlan`` into reports: single renders, batches and diffs all go through it.
///
/// A report reads its dump at most twice: once for the main analysis, and once more for
/// every extra view together (the top threads' and the time windows' analyses, and the
/// ownership inference, fed the same records). A restricted report (`--from`, `--to`,
/// `--thread`) has no extra views; when a bound is a share of the run (`--to 80%`), its
/// duration takes that second read.
///
/// ```swift
/// let builder = try ReportBuilder(plan: plan)
/// var clock = StageClock()
/// let report = try builder.build(plan.inputs[0], clock: &clock)
/// print(report.html.utf8.count)
/// ```
public struct ReportBuilder: Sendable {
    public let plan: RenderPlan
    public let analyzer: DumpAnalyzer
    private let suppressions: Suppressions
    private let painter: ReportPainter

    /// - Throws: ``DumpError`` when the plan's suppressions file cannot be read.
    public init(plan: RenderPlan, reader: any DumpReading = InputLoaderReader()) throws {
        self.plan = plan
        analyzer = DumpAnalyzer(reader: reader)
        suppressions = try Suppressions.load(plan.scope.suppressionsPath)
        var painter = ReportPainter()
        painter.frameFilter = plan.frames.filter
        painter.includeSource = plan.frames.includeSource
        if let fraction = plan.frames.minimumFraction { painter.flameOptions.minimumFraction = max(fraction, 1e-9) }
        painter.includeInference = plan.views.includeInference
        painter.ownershipSites = plan.views.ownershipSites
        self.painter = painter
    }

    /// Reports progress and warnings while a report is built.
    public struct Observer: Sendable {
        /// Bytes of the dump read so far by the main analysis: the reader's atomic counter,
        /// read after each batch.
        public var reading: @Sendable (UInt64) -> Void
        /// The main analysis is done: its warnings, before the drawing starts.
        public var analysed: @Sendable (Diagnostics) -> Void
        /// The page is done and about to be written.
        public var writing: @Sendable () -> Void

        public init(reading: @escaping @Sendable (UInt64) -> Void = { _ in }, analysed: @escaping @Sendable (Diagnostics) -> Void = { _ in },
                    writing: @escaping @Sendable () -> Void = {}) {
            self.reading = reading
            self.analysed = analysed
            self.writing = writing
        }

        public static var silent: Observer { Observer() }
    }

    /// Most slices of the run the page's range selection adds up (32 to 64 of them).
    public static let timelineSlices = 64

    // MARK: - One report

    /// The report of `input`: its page, and its pictures for `--images`.
    ///
    /// The extra views' read runs on a thread of its own while this one draws the run's own
    /// flamegraphs and charts (that read is mostly the ownership inference, on one core: the
    /// drawing takes the other). Their results meet in the painter, which waits for the views
    /// only when it draws them, and for the ownership section, whose graph that thread lays
    /// out and paints while the views are drawn, only when the page is assembled.
    public func build(_ input: InputSpec, observer: Observer = .silent, clock: inout StageClock) throws -> RenderedReport {
        let options = try analyzer.analysisOptions(input, scope: plan.scope, suppressions: suppressions)
        // Per-slice figures for the page's range selection (a restricted report is already a range).
        var mainOptions = options
        if !plan.scope.isRestricted { mainOptions.timelineSlices = Self.timelineSlices }
        // The run's unfiltered call trees are built below, once the extra-view read has
        // started, not at the end of the analysis: the read is the longest part of a render
        // of a big dump, and it waited for them (0.7 s of a compiler's dump).
        mainOptions.callTrees = false
        let (read, format) = try analyzer.analyze(input, options: mainOptions, progress: observer.reading)
        var analyzed = consume read
        // The lane chart's sites keep their lanes, the others let theirs go (nothing else of the
        // report reads them): their shared buffer was held to the end of the render.
        analyzed.keepSiteLanes(of: LifetimeLayout.topSiteIndices(analyzed))
        // A page shows a hostile dump's 10 MB name shortened: its size stays bounded.
        let shortened = analyzed.shortenedForDisplay()
        clock.lap("read+analyze")
        observer.analysed(shortened.diagnostics)
        let extra = extraViewPlan(of: shortened, format: format, options: options)
        // The views need the unshortened analysis's symbols, not its call trees: the painter
        // lets those go as soon as it has filtered them (nothing else may hold them).
        var full = consume analyzed
        // An importer that builds its trees whatever the options has them already.
        let treesMissing = full.topDown.nodeCount == 0
        full.releaseCallTrees()
        // The views are handed over once they are made and the inference is finished: they
        // are drawn while this read's thread lays the ownership graph out and paints it.
        let viewsReady = Handover<(views: PartialAnalyses, laps: [(stage: String, seconds: Double)])>()
        let reading = BackgroundWork(label: "memscope.extra-views") { [self, full] in
            let done: ExtraOwnership
            do {
                done = try extraViews(extra, full: full, input: input, format: format) { viewsReady.set(.success($0)) }
            } catch {
                viewsReady.set(.failure(error))
                throw error
            }
            // The read's tables, freed on this thread, sit in its own malloc arena, which the
            // painting thread does not reuse: given back (1M-event render: peak 122.4–122.7 MB
            // against 124 MB without, 119.0–119.6 MB when the read ran before the drawing).
            ms_release_free_memory()
            return done
        }
        defer { reading.waitUntilDone() }
        let analysis: Analysis
        if !treesMissing {
            analysis = shortened
        } else if painter.readsUnfilteredTreesForEveryFrameViewOnly {
            // Only the parts of the trees the every-frame view's flamegraphs read.
            analysis = Self.addingCallTrees(to: shortened, from: full.flameCallTrees(painter.everyFrameNeeds(views: extra.views.count)))
        } else {
            var withTrees = full
            withTrees.rebuildCallTrees()
            analysis = Self.addingCallTrees(to: shortened, from: (withTrees.topDown, withTrees.bottomUp))
        }
        if treesMissing { clock.lap("call trees") }
        let entry = BatchIndex.Entry(input: input.shownAs, report: nil, totals: analysis.totals,
                                     command: CommandLineText.quoted(analysis.metadata.commandLine), error: nil,
                                     pid: analysis.metadata.pid, parentPid: analysis.metadata.parentPid ?? 0,
                                     lostBytes: analysis.leakKinds?.lostBytes)
        let pending = PendingViews(count: extra.views.count, allFrames: true, views: { clock in
            let ready = try viewsReady.value()
            clock.add(concurrent: ready.laps)
            return ready.views
        }, ownership: { clock in
            let done = try reading.value()
            clock.add(concurrent: done.laps)
            return done.ownership
        })
        let (html, pictures) = try painter.render(consume analysis, inputPath: input.shownAs, format: format.rawValue,
                                                  views: pending, clock: &clock)
        return RenderedReport(html: html, pictures: pictures, format: format, entry: entry)
    }

    /// `shown` with `trees`, those of the same analysis before its strings were shortened:
    /// built from the unshortened names, as the analysis builds them (two names shortened
    /// alike stay two nodes); the shortened analysis keeps the same string ids.
    private static func addingCallTrees(to shown: Analysis, from trees: (topDown: CallTree, bottomUp: CallTree)) -> Analysis {
        var result = shown
        (result.topDown, result.bottomUp) = trees
        return result
    }

    /// Builds the report of `input` and writes it atomically to `path` (and its pictures
    /// to the plan's image directory). Refuses to replace a file without `force`, before
    /// reading anything.
    public func write(_ input: InputSpec, to path: String, force: Bool, observer: Observer = .silent,
                      clock: inout StageClock) throws -> RenderedReport {
        if !force && AtomicOutputFile.wouldReplaceFile(path) {
            throw DumpError(path: path, problem: .outputExists)
        }
        var report = try build(input, observer: observer, clock: &clock)
        observer.writing()
        // The pictures first, every one or none: a failure (a full disk) leaves no report
        // that says pictures were written.
        if let images = plan.images {
            report.imagesWritten = try report.pictures.write(to: images)
        }
        let file = try AtomicOutputFile(path: path, overwrite: true)
        try file.write(report.html)
        try file.commit()
        clock.lap("write")
        return report
    }

    // MARK: - Extra views, in one read

    /// What the extra-view read is to make: the views (threads first, then windows) and
    /// whether the ownership graph is built, decided from the main analysis.
    struct ExtraViewPlan: Sendable {
        fileprivate var views: [View]
        fileprivate var ownership: OwnershipPlan
    }

    /// The ownership section, laid out and painted after the extra views were handed over,
    /// and the laps of its making.
    struct ExtraOwnership: @unchecked Sendable {
        /// The section, and its picture for `--images`.
        var ownership: (view: OwnershipView, scene: Scene?)
        var laps: [(stage: String, seconds: Double)]
    }

    private func extraViewPlan(of analysis: Analysis, format: InputFormat, options: AnalysisOptions) -> ExtraViewPlan {
        ExtraViewPlan(views: plan.scope.isRestricted ? [] : viewOptions(analysis, base: options),
                      ownership: ownershipPlan(analysis, format: format))
    }

    /// The analyses per top thread (restricted to that thread's blocks) and per time
    /// window, and the ownership graph, laid out and painted: all from one more read of the
    /// dump, or none. The views are handed to `viewsReady` once the read, their analyses and
    /// the inference's finish are done (its tables freed: held beside the views' trees, they
    /// raised the peak), before the ownership graph is laid out and painted: they are drawn
    /// on the other core meanwhile.
    ///
    /// For event inputs (memscope dumps, heaptrack files) the views are tallied in that read
    /// by one ``ViewTally``: its memory is bounded by the live blocks and the sites once,
    /// whatever the number of views, so every view stays on at every size. Other inputs
    /// (folded stacks, DHAT, massif, memscope-rs exports) hold their sites' totals only, and
    /// their importers build one analysis per view from one parse.
    /// - Parameter full: the analysis before its strings were shortened for display.
    private func extraViews(_ extra: ExtraViewPlan, full: Analysis, input: InputSpec, format: InputFormat,
                            viewsReady: (_ ready: (views: PartialAnalyses, laps: [(stage: String, seconds: Double)])) -> Void) throws -> ExtraOwnership {
        var clock = StageClock()
        var parts = PartialAnalyses(allFrames: true)
        let wanted = extra.views
        var inference: OwnershipInference?
        if case .build = extra.ownership {
            inference = OwnershipInference(expectedLiveBlocks: full.totals.leakedBlocks)
        } else {
            inference = nil
        }
        var alongside: [any RecordConsumer] = []
        if let inference { alongside.append(inference) }
        if wanted.isEmpty, case .skip(let reason) = extra.ownership {
            viewsReady((parts, []))
            return ExtraOwnership(ownership: (.unavailable(reason), nil), laps: [])
        }
        if format.hasEvents {
            let threads = wanted.filter(\.isThread).compactMap(\.options.thread)
            let windows = wanted.filter { !$0.isThread }.map {
                ViewTally.Window(from: $0.options.windowStartNanoseconds, to: $0.options.windowEndNanoseconds ?? .max)
            }
            let tally = wanted.isEmpty ? nil : ViewTally(threads: threads, windows: windows,
                                                          expectedLiveBlocks: full.totals.leakedBlocks)
            if let tally { alongside.append(tally) }
            _ = try analyzer.reader.read(input, everyOptions: [], alongside: alongside, progress: { _ in })
            alongside = []
            clock.lap("read+tally extra views")
            if let tally {
                // The tally's views: the threads first, then the windows, each in `wanted`'s order.
                let (threadCosts, windowCosts) = tally.finish()
                let threadViews = wanted.filter(\.isThread), windowViews = wanted.filter { !$0.isThread }
                func made(_ views: [View], _ costs: [[(stack: UInt32, costs: Costs)]]) -> [PartialAnalyses.Part] {
                    zip(views, costs).map { view, costs in
                        // From the unshortened analysis, as an analysis of the view would be.
                        var part = full.viewAnalysis(costs: costs, options: view.options)
                        tally.finishView?(&part)
                        return PartialAnalyses.Part(key: view.key, label: view.label, analysis: part)
                    }
                }
                parts.tallied = true
                parts.threads = made(threadViews, threadCosts)
                parts.windows = made(windowViews, windowCosts)
            }
            clock.lap("view analyses")
        } else {
            let analyses = try analyzer.reader.read(input, everyOptions: wanted.map(\.options), alongside: alongside,
                                                    progress: { _ in }).analyses
            alongside = []
            let all = zip(wanted, analyses).map { (isThread: $0.isThread, part: PartialAnalyses.Part(key: $0.key, label: $0.label, analysis: $1)) }
            parts.threads = all.filter(\.isThread).map(\.part)
            parts.windows = all.filter { !$0.isThread }.map(\.part)
            clock.lap("read+analyze extra views")
        }
        if case .skip(let reason) = extra.ownership {
            viewsReady((parts, clock.laps))
            return ExtraOwnership(ownership: (.unavailable(reason), nil), laps: [])
        }
        // The inference's tables (a slot per live block) go before the views are drawn: held
        // beside the views' trees, they raised the 1M render's peak by 10–14 MiB.
        let graph = inference!.finish()
        inference = nil
        clock.lap("ownership inference")
        viewsReady((parts, clock.laps))
        // The graph is laid out and painted while the views are drawn.
        var ownershipClock = StageClock()
        let (view, scene) = try painter.ownershipSection(graph)
        ownershipClock.lap("ownership graph layout+paint")
        return ExtraOwnership(ownership: (view, scene), laps: ownershipClock.laps)
    }

    /// The ownership graph: built alongside the extra views, or left out and why.
    fileprivate enum OwnershipPlan: Sendable {
        case build
        case skip(String)
    }

    fileprivate struct View: Sendable {
        var key: String
        var label: String
        var options: AnalysisOptions
        var isThread: Bool
    }

    /// The options of each thread and window view the plan asks for (by default, the top 4
    /// threads and 10 windows and the peak's, whatever the dump's size).
    private func viewOptions(_ analysis: Analysis, base: AnalysisOptions) -> [View] {
        let threadCount = plan.views.threadFlamegraphs ?? ViewPlan.defaultThreadFlamegraphs
        let windowCount = plan.views.windowFlamegraphs ?? ViewPlan.defaultWindowFlamegraphs
        var views: [View] = []
        if analysis.threads.count > 1 {
            let top = analysis.threads.filter { $0.allocations > 0 }
                .sorted { ($0.bytesAllocated, $1.thread) > ($1.bytesAllocated, $0.thread) }
                .prefix(threadCount)
            for stats in top {
                var options = base
                options.thread = stats.thread
                views.append(View(key: String(stats.thread), label: "thread " + analysis.threadLabel(stats.thread),
                                  options: options, isThread: true))
            }
        }
        let duration = analysis.totals.durationNanoseconds
        if windowCount > 0 && duration >= UInt64(windowCount) && !analysis.notes.unavailable.contains("timeline") {
            let count = UInt64(windowCount)
            // In 128 bits: a forged duration near 2^64 must not overflow the product.
            var bounds: [(String, UInt64, UInt64)] = (0..<count).map { i in
                (String(i + 1), duration.scaled(by: i, over: count), duration.scaled(by: i + 1, over: count))
            }
            // The peak's window: a slice's width centred on the peak, kept inside the run.
            let width = duration / count
            let peak = analysis.totals.peakTimeNanoseconds
            let start = min(peak > width / 2 ? peak - width / 2 : 0, duration - width)
            bounds.append(("peak", start, start + width))
            for (key, from, to) in bounds {
                var options = base
                options.windowStartNanoseconds = from
                options.windowEndNanoseconds = to
                let unit = analysis.notes.timeUnit
                let range = unit.isEmpty ? Units.duration(nanoseconds: from) + " – " + Units.duration(nanoseconds: to)
                    : Units.compactCount(Double(from)) + " – " + Units.time(to, unit: unit)
                views.append(View(key: key, label: key == "peak" ? "around the peak: " + range : range, options: options,
                                  isThread: false))
            }
        }
        return views
    }

    /// Whether the report gets an ownership graph (built in the extra-view read), or why not.
    private func ownershipPlan(_ analysis: Analysis, format: InputFormat) -> OwnershipPlan {
        if plan.scope.isRestricted {
            return .skip("The ownership graph covers whole runs; this report is restricted to a thread or a time window.")
        }
        if plan.views.ownership == .never { return .skip("Left out (--no-ownership).") }
        guard format.carriesBlockEvents else {
            return .skip("A \(format.displayName) names no blocks by address and thread, so ownership cannot be inferred from it: record the program with memscope record.")
        }
        let limit = ViewPlan.ownershipEventLimit
        guard plan.views.ownership == .always || analysis.totals.events <= limit else {
            return .skip("Left out: this dump has \(Units.count(analysis.totals.events)) events, and the ownership graph is built by default only for dumps of up to \(Units.count(limit)) (it reads the dump once more, about 0.25 µs per event). memscope render --ownership adds it; memscope inspect --stage ownership prints it.")
        }
        return .build
    }

    // MARK: - Batches

    /// One report per input in `directory`, two at a time, then `index.html`. A failed
    /// input does not stop the others: its entry carries the error.
    public func writeAll(into directory: String, force: Bool) throws -> [BatchIndex.Entry] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DumpError(path: directory, problem: .writeFailed(reason: "cannot create the directory"))
        }
        let inputs = plan.inputs
        let names = ReportNames.unique(inputs.map(\.path))
        let results = ResultSlots<BatchIndex.Entry>(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for i in stride(from: worker, to: inputs.count, by: 2) {
                var clock = StageClock()
                do {
                    var entry = try write(inputs[i], to: "\(directory)/\(names[i])", force: force, clock: &clock).entry
                    entry.report = names[i]
                    results.set(i, entry)
                } catch {
                    let message = "\(error)".replacingOccurrences(of: inputs[i].path, with: inputs[i].shownAs)
                    results.set(i, BatchIndex.Entry(input: inputs[i].shownAs, report: nil, totals: nil, command: "", error: message))
                }
            }
        }
        let entries = results.values
        let index = try AtomicOutputFile(path: "\(directory)/index.html")
        try index.write(BatchIndex.html(entries, version: MemscopeVersion.string))
        try index.commit()
        return entries
    }

    // MARK: - Diffs

    /// The differences between two dumps, each read once.
    public func diff(base: InputSpec, new: InputSpec) throws -> DiffResult {
        let options = AnalysisOptions(suppressions: suppressions)
        let (baseAnalysis, baseFormat) = try analyzer.analyze(base, options: options)
        let (newAnalysis, newFormat) = try analyzer.analyze(new, options: options)
        return DiffResult(diff: AnalysisDiff(base: baseAnalysis, new: newAnalysis),
                          base: Summary(analysis: baseAnalysis, format: baseFormat.rawValue, path: base.shownAs),
                          new: Summary(analysis: newAnalysis, format: newFormat.rawValue, path: new.shownAs),
                          diagnostics: [baseAnalysis.diagnostics, newAnalysis.diagnostics])
    }
}

/// A built report.
public struct RenderedReport: Sendable {
    /// The page.
    public var html: String
    /// Every picture's scene, for `--images`.
    public var pictures: Pictures
    public var format: InputFormat
    /// Its row in a batch's index.
    public var entry: BatchIndex.Entry
    /// The files written into the plan's image directory.
    public var imagesWritten: [String] = []
}

/// Two dumps compared.
public struct DiffResult: Sendable {
    public var diff: AnalysisDiff
    public var base: Summary
    public var new: Summary
    /// The warnings of each dump's reading.
    public var diagnostics: [Diagnostics]

    /// The deltas as one JSON object.
    public var json: String { DiffReport.json(diff, base: base, new: new) }

    /// The differential report: flamegraphs painted on both cores, per-site changes, summary deltas.
    public func html() throws -> String {
        let diff = self.diff
        let costs = FlameCost.allCases.filter { cost in diff.tree.first.map { cost.value($0.base) > 0 || cost.value($0.new) > 0 } ?? false }
        let pictures = try FlamePainter.pngs(of: costs) { cost, measurer in
            DiffFlameLayout.scene(diff, cost: cost, measurer: measurer)
        }
        return try DiffReport.html(diff, base: base, new: new, pictures: pictures, version: MemscopeVersion.string)
    }
}
