import Dispatch
import Foundation
import MemscopeAnalysis
import MemscopeCairo
import MemscopeFormat
import MemscopeGraphLayout
import MemscopeLayout
import MemscopeModel
import MemscopeOwnership
import MemscopeReport
import MemscopeScene

/// Layout → paint → report, for one analysed dump and the analyses of its extra views.
struct ReportPainter {
    var flameLayout = FlameLayoutOptions.default
    var flameOptions = FlameGraphOptions.default
    var frameFilter = FrameFilter()
    /// Embed source lines around top sites (off with --no-source).
    var includeSource = true
    /// Show inferred edges and types (off with --no-inference).
    var includeInference = true
    var ownershipSites = GraphSelection.defaultSiteLimit

    /// Whether the run's unfiltered call trees are read for the every-frame view's
    /// flamegraphs only (a frame filter is on: the report's own flamegraphs are drawn on the
    /// filtered trees), so their parts those read will do (``Analysis/flameCallTrees(_:)``).
    var readsUnfilteredTreesForEveryFrameViewOnly: Bool { frameFilter != .none }

    /// What the every-frame view's flamegraphs read of the unfiltered trees, beside `views`
    /// thread and window views.
    func everyFrameNeeds(views: Int) -> FlameTreeNeeds {
        let options = Self.viewFlameOptions(flameOptions, views: views + 1)
        return FlameTreeNeeds(maxNodes: options.maxNodes, minimumFraction: options.minimumFraction, maxDepth: options.maxDepth)
    }

    /// The pictures and the page.
    /// - Parameter views: the analyses restricted to one thread or one time window each, for
    ///   the page's selectors, and the ownership section: waited for only once the run's own
    ///   pictures are drawn.
    /// - Parameter unfiltered: consumed: its call trees are replaced by the filtered ones (the
    ///   unfiltered trees are let go first, after the "every frame" view is drawn from them).
    func render(_ unfiltered: consuming Analysis, inputPath: String, format: String, views pending: PendingViews = .none,
                clock: inout StageClock) throws -> (html: String, pictures: Pictures) {
        var analysis = unfiltered
        let everyFrame = pending.allFrames && frameFilter != .none
        let viewOptions = Self.viewFlameOptions(flameOptions, views: pending.count + (everyFrame ? 1 : 0))
        // The every-frame view first, from the unfiltered trees, which the filter then lets go.
        let allFramesFlame = everyFrame ? Self.flameView("all", "every frame", shown: analysis, options: viewOptions) : nil
        // The filtered trees, with their paths: tallied views are drawn on them
        // (``SharedViewTrees``), and the timeline's overlay finds each site's node in them.
        let runTrees = frameFilter.applyForViews(to: &analysis)
        let (topDown, topDownBoxes) = FlameGraphBuilder.buildWithNodeMap(analysis, direction: .topDown, options: flameOptions)
        let (bottomUp, bottomUpBoxes) = FlameGraphBuilder.buildWithNodeMap(analysis, direction: .bottomUp, options: flameOptions)
        // The timeline's overlay finds each site's box through the trees; from here the run's
        // call trees are read by the views alone, for their shape: the analysis lets its copies
        // go, and the views' copy its costs (held through the pictures' painting and the page's
        // early parts, while the extra-view read's tables grow).
        let overlay = TimelineOverlay(analysis, filter: frameFilter, topDownBoxOfNode: topDownBoxes,
                                      bottomUpBoxOfNode: bottomUpBoxes, siteNodes: runTrees?.siteNodes(of: analysis))
        analysis.releaseCallTrees()
        var viewTrees = consume runTrees
        viewTrees?.releaseCosts()
        clock.lap("flamegraph trees")
        let measurer = CairoTextMeasurer()
        let timeline = TimelineLayout.scene(analysis, measurer: measurer)
        let histogramBuckets = (0..<LifetimeBuckets.count).map { i in analysis.sites.reduce(UInt64(0)) { $0 + $1.lifetimes.buckets[i] } }
        let histogram = LifetimeLayout.histogram(histogramBuckets, measurer: measurer)
        let lanes = LifetimeLayout.lanes(analysis, sites: LifetimeLayout.topSites(analysis), measurer: measurer)
        let sizes = analysis.sizes
        let sizeHistogram = LifetimeLayout.bars(labels: SizeBuckets.labels, counts: sizes.counts,
                                                notes: sizes.bytes.map { $0 == 0 ? "" : Units.bytes($0) }, measurer: measurer)
        clock.lap("chart layouts")
        let flamePNGs = try paintFlames(topDown)
        clock.lap("flamegraph layout+paint")
        var pictures = Pictures(timeline: timeline, histogram: histogram, lanes: lanes, sizes: sizeHistogram, topDown: topDown, bottomUp: bottomUp,
                                flameLayout: flameLayout)
        let reportPictures = ReportPictures(
            timelineSVG: TextSVGPainter.svg(timeline, idPrefix: "timeline", measurer: measurer),
            lifetimeHistogramSVG: TextSVGPainter.svg(histogram, idPrefix: "histogram", measurer: measurer),
            lanesSVG: TextSVGPainter.svg(lanes, idPrefix: "lanes", measurer: measurer),
            sizeHistogramSVG: TextSVGPainter.svg(sizeHistogram, idPrefix: "sizes", measurer: measurer),
            flamePNGs: flamePNGs)
        var withThreads = reportPictures
        if analysis.threads.count > 1 {
            withThreads.threadLanesSVG = TextSVGPainter.svg(LifetimeLayout.threadLanes(analysis, measurer: measurer),
                                                             idPrefix: "threads", measurer: measurer)
        }
        let defaultCost: FlameCost = analysis.totals.peakBytes > 0 ? .peak : .allocations
        clock.lap("chart paint")
        var withThreadFlames = ReportInput(analysis: analysis, inputPath: inputPath, format: format,
                                           version: MemscopeVersion.string, topDown: topDown, bottomUp: bottomUp,
                                           flameLayout: flameLayout, flameOptions: flameOptions, pictures: withThreads,
                                           defaultCost: defaultCost, frameFilter: frameFilter.description,
                                           source: includeSource ? SourceContext(analysis: analysis) : SourceContext())
        withThreadFlames.allFramesFlame = allFramesFlame
        withThreadFlames.timeline = overlay
        // The page's parts that need neither the views nor the ownership section, on both
        // cores while the extra-view read goes on.
        let earlyParts = HTMLReport.early(withThreadFlames)
        clock.lap("html before the views")
        let views = try pending.views(&clock)
        clock.lap("wait for extra views")
        // The views on both cores (the extra-view read's thread lays the ownership graph out
        // and paints it meanwhile). Tallied views are drawn on the run's filtered trees (or one
        // shared tree per direction): each view's costs summed along its sites' paths.
        let flames = Self.viewFlames(views, filter: frameFilter, runTrees: consume viewTrees, options: viewOptions)
        withThreadFlames.threadFlames = Array(flames.prefix(views.threads.count))
        withThreadFlames.windowFlames = Array(flames.dropFirst(views.threads.count))
        if !views.threads.isEmpty || !views.windows.isEmpty { clock.lap("thread and window flamegraph trees") }
        let ownership = try pending.ownership(&clock)
        clock.lap("wait for the ownership section")
        withThreadFlames.ownership = ownership?.view
        pictures.ownership = ownership?.scene
        let html = try HTMLReport.render(withThreadFlames, early: earlyParts)
        clock.lap("html")
        return (html, pictures)
    }

    /// The ownership section of `full`: the graph (observed edges only with --no-inference),
    /// the part of it drawn, laid out and painted. Runs on the extra-view read's thread, with
    /// a text measurer of its own (Pango objects are per thread).
    func ownershipSection(_ full: OwnershipGraph) throws -> (view: OwnershipView, scene: Scene) {
        let measurer = CairoTextMeasurer()
        let graph = (includeInference ? full : full.observedOnly()).shortenedForDisplay()
        let selection = GraphSelection(graph, siteLimit: ownershipSites)
        let picture = try OwnershipLayout.picture(selection, measurer: measurer, placer: GraphvizPlacer())
        return (.shown(graph: graph, selection: selection,
                       svg: TextSVGPainter.svg(picture.scene, idPrefix: "ownership", measurer: measurer),
                       width: picture.scene.width, height: picture.scene.height, regions: picture.regions),
                picture.scene)
    }

    /// The flamegraphs of the thread and window views, in their order (threads first), drawn
    /// on both cores: every view's top-down graph, then every view's bottom-up one, so the
    /// views' tree buffers are of one direction at a time (the first direction's are freed
    /// before the second's are made); the shared trees' buffers are let go on return.
    private static func viewFlames(_ views: PartialAnalyses, filter: FrameFilter, runTrees: SharedViewTrees.RunTrees?,
                                   options: FlameGraphOptions) -> [FlameView] {
        let parts = views.threads + views.windows
        let shared = views.tallied && !parts.isEmpty
            ? SharedViewTrees(filter: filter, views: parts.map(\.analysis), run: runTrees) : nil
        // Views the shared trees do not serve: both graphs from a tree of their own, in the first pass.
        let own = ResultSlots<FlameView>(count: parts.count)
        let work = Handoff((parts, filter, shared, options))
        func graphs(_ direction: CallTree.Direction) -> ResultSlots<FlameGraph> {
            let made = ResultSlots<FlameGraph>(count: parts.count)
            DispatchQueue.concurrentPerform(iterations: min(2, parts.count)) { worker in
                let (parts, filter, shared, options) = work.value
                for i in stride(from: worker, to: parts.count, by: 2) {
                    if let shared, let tree = shared.tree(of: parts[i].analysis, direction) {
                        made.set(i, FlameGraphBuilder.build(tree, analysis: parts[i].analysis.shortenedForDisplay(), options: options))
                    } else if direction == .topDown {
                        var view = parts[i].analysis
                        filter.apply(to: &view)
                        own.set(i, Self.flameView(parts[i].key, parts[i].label, shown: view, options: options))
                    }
                }
            }
            return made
        }
        let topDown = graphs(.topDown)
        shared?.freeSpareBuffers()
        let bottomUp = graphs(.bottomUp)
        return parts.indices.map { i in
            if let topDown = topDown.value(i), let bottomUp = bottomUp.value(i) {
                return FlameView(key: parts[i].key, label: parts[i].label, topDown: topDown, bottomUp: bottomUp)
            }
            return own.value(i)!
        }
    }

    /// A view's flamegraphs, its strings shortened for display.
    private static func flameView(_ key: String, _ label: String, shown full: Analysis, options: FlameGraphOptions) -> FlameView {
        let shown = full.shortenedForDisplay()
        return FlameView(key: key, label: label,
                         topDown: FlameGraphBuilder.build(shown, direction: .topDown, options: options),
                         bottomUp: FlameGraphBuilder.build(shown, direction: .bottomUp, options: options))
    }

    /// Flamegraph nodes the extra views share (both directions of each thread, window and
    /// every-frame view): at about 30 bytes a node in the flame data, 1.8 MB of the page's
    /// 5 MB, whatever the number of views and the size of the dump.
    static let viewNodeBudget = 60_000

    /// The options of each extra view's flamegraphs: the report's, with at most a share of
    /// ``viewNodeBudget`` nodes (never below 500). Trees smaller than half the share are
    /// unchanged by it.
    static func viewFlameOptions(_ options: FlameGraphOptions, views: Int) -> FlameGraphOptions {
        var shared = options
        if views > 0 { shared.maxNodes = min(options.maxNodes, max(500, viewNodeBudget / (2 * views))) }
        return shared
    }

    /// The top-down icicle of every cost that has a value, painted on both cores.
    private func paintFlames(_ graph: FlameGraph) throws -> [FlameCost: [UInt8]] {
        let layout = flameLayout
        return try FlamePainter.pngs(of: FlameCost.allCases.filter { graph.total($0) > 0 }) { cost, measurer in
            FlameLayout.scene(graph, cost: cost, measurer: measurer, options: layout)
        }
    }
}

/// Flamegraph pictures of several costs, laid out and painted on both cores: the report's
/// and the diff's.
enum FlamePainter {
    /// A PNG per cost, `scene` laid out on a worker with its own text measurer (Pango
    /// objects are per thread).
    static func pngs(of costs: [FlameCost],
                     scene: @Sendable @escaping (FlameCost, CairoTextMeasurer) -> Scene) throws -> [FlameCost: [UInt8]] {
        let results = ResultSlots<Result<[UInt8], any Error>>(count: costs.count)
        DispatchQueue.concurrentPerform(iterations: costs.count) { i in
            results.set(i, Result { try CairoPainter.png(scene(costs[i], CairoTextMeasurer())) })
        }
        var pngs: [FlameCost: [UInt8]] = [:]
        for (cost, result) in zip(costs, results.values) { pngs[cost] = try result.get() }
        return pngs
    }
}

/// Every scene of a report, for `--images`.
public struct Pictures: Sendable {
    var timeline: Scene
    var histogram: Scene
    var lanes: Scene
    var sizes: Scene
    var topDown: FlameGraph
    var bottomUp: FlameGraph
    var flameLayout: FlameLayoutOptions
    var ownership: Scene?

    /// Writes each picture as PNG and SVG into `directory`; returns the file names.
    /// Writes every picture or none (each staged under a temporary name, then renamed);
    /// errors are located ``DumpError``s with a hint.
    public func write(to directory: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DumpError(path: directory, problem: .writeFailed(
                reason: "cannot create the directory for --images (\((error as NSError).localizedFailureReason ?? "it is not a writable directory"))"))
        }
        let measurer = CairoTextMeasurer()
        var scenes: [(String, Scene)] = [("timeline", timeline), ("lifetimes", histogram), ("lanes", lanes), ("sizes", sizes)]
        if let ownership { scenes.append(("ownership", ownership)) }
        for graph in [topDown, bottomUp] {
            for cost in FlameCost.allCases where graph.total(cost) > 0 {
                scenes.append(("flamegraph-\(cost.rawValue)-\(graph.direction.rawValue)",
                               FlameLayout.scene(graph, cost: cost, measurer: measurer, options: flameLayout)))
            }
        }
        try AtomicOutputFile.writeAll(scenes.flatMap { name, scene in
            [("\(directory)/\(name).png", { try $0.write(try CairoPainter.png(scene)) }),
             ("\(directory)/\(name).svg", { try $0.write(try CairoPainter.svg(scene)) })]
        })
        return scenes.flatMap { name, _ in ["\(name).png", "\(name).svg"] }
    }
}

/// A report's extra views while they are being read: what the drawing needs to know
/// first, and a wait for the views themselves.
struct PendingViews {
    /// The thread and window views there will be.
    var count: Int
    /// Whether the page also gets the whole run's flamegraphs with every frame.
    var allFrames: Bool
    /// The views, once they are done; adds the laps of their making to the clock.
    var views: (inout StageClock) throws -> PartialAnalyses
    /// The ownership section (nil: none), once it is done (after the views); adds the laps
    /// of its making to the clock.
    var ownership: (inout StageClock) throws -> (view: OwnershipView, scene: Scene?)?

    /// No extra views.
    static var none: PendingViews {
        PendingViews(count: 0, allFrames: false, views: { _ in PartialAnalyses() }, ownership: { _ in nil })
    }
}

/// Analyses of parts of a run: the top threads alone, and time windows.
struct PartialAnalyses {
    struct Part {
        var key: String
        var label: String
        var analysis: Analysis
    }
    var threads: [Part] = []
    var windows: [Part] = []
    /// Whether the page also gets the whole run's flamegraphs with every frame.
    var allFrames = false
    /// Whether the parts were tallied in one pass (``ViewTally``): they share the run's
    /// symbols and come without call trees.
    var tallied = false
}
