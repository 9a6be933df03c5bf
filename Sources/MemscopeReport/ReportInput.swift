import MemscopeAnalysis
import MemscopeLayout

/// Everything a report needs, already computed and painted. The report stage only
/// writes HTML: it never draws and never analyses.
public struct ReportInput: Sendable {
    public var analysis: Analysis
    /// The dump's path as the user gave it, and its format's name.
    public var inputPath: String
    public var format: String
    public var version: String
    /// Both flamegraphs (top-down and bottom-up), pruned.
    public var topDown: FlameGraph
    public var bottomUp: FlameGraph
    /// The flamegraph layout the pictures used (the page's script repeats it).
    public var flameLayout: FlameLayoutOptions
    public var flameOptions: FlameGraphOptions
    /// Cairo-painted pictures.
    public var pictures: ReportPictures
    /// The cost the flamegraph opens with.
    public var defaultCost: FlameCost
    /// What the flamegraphs' frame filter hides, in words.
    public var frameFilter: String
    /// Source lines around top sites (empty with --no-source).
    public var source: SourceContext
    /// Flamegraphs of the top threads alone, for the page's thread selector (empty: none).
    public var threadFlames: [FlameView] = []
    /// Flamegraphs of time windows (equal slices of the run, then the peak's), for the
    /// page's window picker (empty: none).
    public var windowFlames: [FlameView] = []
    /// The whole run's flamegraphs with every frame (no frame filter), for the page's toggle;
    /// nil when the report's flamegraphs already show every frame, or the trees are too big.
    public var allFramesFlame: FlameView?
    /// The ownership section (nil: none, for aggregate inputs that say so elsewhere).
    public var ownership: OwnershipView?
    /// What the page draws over the memory-over-time picture (nil: no hover or range overlay).
    public var timeline: TimelineOverlay?

    public init(analysis: Analysis, inputPath: String, format: String, version: String, topDown: FlameGraph,
                bottomUp: FlameGraph, flameLayout: FlameLayoutOptions, flameOptions: FlameGraphOptions,
                pictures: ReportPictures, defaultCost: FlameCost, frameFilter: String = "all frames shown",
                source: SourceContext = SourceContext()) {
        self.analysis = analysis
        self.inputPath = inputPath
        self.format = format
        self.version = version
        self.topDown = topDown
        self.bottomUp = bottomUp
        self.flameLayout = flameLayout
        self.flameOptions = flameOptions
        self.pictures = pictures
        self.defaultCost = defaultCost
        self.frameFilter = frameFilter
        self.source = source
    }
}

/// Flamegraphs of a part of the run, for the page's selectors: an analysis restricted to
/// one thread's blocks, or to a time window.
public struct FlameView: Sendable {
    /// Its value in the page's selector and URL: a thread id, or a window's number.
    public var key: String
    /// How the page names it: `thread 3 "worker"`, `2.0 ms – 4.0 ms`.
    public var label: String
    public var topDown: FlameGraph
    public var bottomUp: FlameGraph

    public init(key: String, label: String, topDown: FlameGraph, bottomUp: FlameGraph) {
        self.key = key
        self.label = label
        self.topDown = topDown
        self.bottomUp = bottomUp
    }
}

/// The pictures of a report, painted by Cairo.
public struct ReportPictures: Sendable {
    /// Memory over time, inline SVG (ids prefixed).
    public var timelineSVG: String
    /// Lifetime histogram, inline SVG.
    public var lifetimeHistogramSVG: String
    /// Per-site lanes of live bytes over time, inline SVG.
    public var lanesSVG: String
    /// Allocation sizes of the whole run, inline SVG.
    public var sizeHistogramSVG: String
    /// Per-thread lanes of live bytes over time, inline SVG (empty with one thread).
    public var threadLanesSVG: String = ""
    /// Top-down icicle flamegraph PNG per cost (costs with no value have none).
    public var flamePNGs: [FlameCost: [UInt8]]

    public init(timelineSVG: String, lifetimeHistogramSVG: String, lanesSVG: String, sizeHistogramSVG: String,
                flamePNGs: [FlameCost: [UInt8]]) {
        self.timelineSVG = timelineSVG
        self.lifetimeHistogramSVG = lifetimeHistogramSVG
        self.lanesSVG = lanesSVG
        self.sizeHistogramSVG = sizeHistogramSVG
        self.flamePNGs = flamePNGs
    }
}
