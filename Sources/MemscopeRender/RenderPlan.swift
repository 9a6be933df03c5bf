import MemscopeAnalysis
import MemscopeImport
import MemscopeLayout
import MemscopeModel

/// Everything a render needs to know, as plain values: which dumps, what part of them,
/// which frames, which views, and where the report goes.
///
/// The CLI builds one from its options in one function (`Render.plan()`); nothing in a
/// plan is argv. ``ReportBuilder`` turns a plan into reports.
///
/// ```swift
/// let plan = RenderPlan(inputs: [InputSpec(path: "samples/server-leak.msd")], output: .file("report.html"))
/// let report = try ReportBuilder(plan: plan).build(plan.inputs[0])
/// ```
public struct RenderPlan: Sendable, Equatable {
    /// The dumps to render: one report each.
    public var inputs: [InputSpec]
    /// The part of each dump to analyse, and the leaks to suppress.
    public var scope: ScopePlan
    /// Which frames the flamegraphs show, and what else the page embeds.
    public var frames: FramePlan
    /// The extra views: per-thread and per-window flamegraphs, and the ownership graph.
    public var views: ViewPlan
    /// A directory to write every picture into as PNG and SVG too (nil: none).
    public var images: String?
    /// Where the report (or the reports and their index) go.
    public var output: OutputPlan

    public init(inputs: [InputSpec], scope: ScopePlan = ScopePlan(), frames: FramePlan = FramePlan(),
                views: ViewPlan = ViewPlan(), images: String? = nil, output: OutputPlan) {
        self.inputs = inputs
        self.scope = scope
        self.frames = frames
        self.views = views
        self.images = images
        self.output = output
    }
}

/// A dump to read, and how to read it.
public struct InputSpec: Sendable, Equatable {
    /// The path as the user gave it (pipes already copied to a file).
    public var path: String
    /// Read as this format instead of detecting it by content. Default: detect.
    public var format: InputFormat?
    /// What the counts of folded stacks are. Default: allocations.
    public var foldedCost: FoldedCost
    /// How much of the input to read before stopping with an error. Default: ``InputLimits/default``.
    public var limits: InputLimits
    /// What reports call the input: the path, or the name the user gave a piped input
    /// (`standard input`) rather than its temporary copy's path.
    public var shownAs: String

    public init(path: String, format: InputFormat? = nil, foldedCost: FoldedCost = .allocations, limits: InputLimits = .default,
                shownAs: String? = nil) {
        self.path = path
        self.format = format
        self.foldedCost = foldedCost
        self.limits = limits
        self.shownAs = shownAs ?? path
    }
}

/// A point in a dump's run: a time since its start, or a share of its duration.
public enum TimePoint: Sendable, Equatable {
    case nanoseconds(UInt64)
    /// 0 to 100.
    case percent(Double)

    /// Parses `12.5s`, `850ms`, `40us`, `1200ns` or `25%`; nil for anything else.
    public init?(parsing text: String) {
        let text = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()).lowercased()
        if text.hasSuffix("%") {
            guard let p = Double(text.dropLast()), p >= 0, p <= 100 else { return nil }
            self = .percent(p)
            return
        }
        let digits = text.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 0 else { return nil }
        let scale: Double
        switch text.dropFirst(digits.count) {
        case "s": scale = 1e9
        case "ms": scale = 1e6
        case "us", "µs": scale = 1e3
        case "ns": scale = 1
        default: return nil
        }
        guard number * scale < 1.8e19 else { return nil }
        self = .nanoseconds(UInt64((number * scale).rounded()))
    }

    /// Nanoseconds since the start; `duration` resolves a percentage (and is called only then).
    public func nanoseconds(duration: () throws -> UInt64) rethrows -> UInt64 {
        switch self {
        case .nanoseconds(let ns): ns
        case .percent(let p): UInt64(clamping: (Double(try duration()) * p / 100).rounded())
        }
    }

    var isRelative: Bool {
        if case .percent = self { return true }
        return false
    }
}

/// What part of a dump to analyse, and which leaks to suppress.
public struct ScopePlan: Sendable, Equatable {
    /// A LeakSanitizer-style suppressions file (nil: none).
    public var suppressionsPath: String?
    /// Count only from this time. Default: the start.
    public var from: TimePoint?
    /// Stop at this time; leaked then means live at this time. Default: the end.
    public var to: TimePoint?
    /// Only the blocks this thread allocated. Default: every thread.
    public var thread: UInt32?
    /// Functions of the program's own that wrap the allocator (regular expressions).
    public var wrapperPatterns: [String]
    /// Infer allocation wrappers among frames without a symbol. Default: true.
    public var detectWrappers: Bool

    public init(suppressionsPath: String? = nil, from: TimePoint? = nil, to: TimePoint? = nil, thread: UInt32? = nil,
                wrapperPatterns: [String] = [], detectWrappers: Bool = true) {
        self.suppressionsPath = suppressionsPath
        self.from = from
        self.to = to
        self.thread = thread
        self.wrapperPatterns = wrapperPatterns
        self.detectWrappers = detectWrappers
    }

    /// Restricted to a time window or a thread (such reports have no extra views).
    public var isRestricted: Bool { from != nil || to != nil || thread != nil }

    /// Whether a bound is a share of the run, which needs the dump's duration.
    public var needsDuration: Bool { (from?.isRelative ?? false) || (to?.isRelative ?? false) }

    /// The analysis options of this scope; `duration` is asked only for relative bounds.
    public func analysisOptions(suppressions: Suppressions, duration: () throws -> UInt64) throws -> AnalysisOptions {
        var options = AnalysisOptions(suppressions: suppressions)
        var known: UInt64?
        let total = { () throws -> UInt64 in
            if let known { return known }
            let value = try duration()
            known = value
            return value
        }
        if let from { options.windowStartNanoseconds = try from.nanoseconds(duration: total) }
        if let to { options.windowEndNanoseconds = try to.nanoseconds(duration: total) }
        options.thread = thread
        options.wrapperPatterns = wrapperPatterns
        options.detectWrappers = detectWrappers
        return options
    }
}

/// Which frames the flamegraphs show, how small frames fold, and whether source lines
/// are embedded.
public struct FramePlan: Sendable, Equatable {
    public var filter: FrameFilter
    /// Frames below this share of every cost fold into one box per caller (a fraction,
    /// not a percentage). Default: ``FlameGraphOptions/default``'s.
    public var minimumFraction: Double?
    /// Embed the source lines around top sites when the files are readable. Default: true.
    public var includeSource: Bool

    public init(filter: FrameFilter = FrameFilter(), minimumFraction: Double? = nil, includeSource: Bool = true) {
        self.filter = filter
        self.minimumFraction = minimumFraction
        self.includeSource = includeSource
    }
}

/// The report's extra views, each computed in the one extra read of the dump.
public struct ViewPlan: Sendable, Equatable {
    /// Whether the ownership graph is built.
    public enum Ownership: Sendable, Equatable {
        /// For dumps of up to ``ViewPlan/ownershipEventLimit`` events.
        case automatic
        /// Whatever the dump's size (`--ownership`).
        case always
        /// Never (`--no-ownership`).
        case never
    }

    /// Flamegraphs of each of this many top threads alone. Default (nil): ``defaultThreadFlamegraphs``.
    public var threadFlamegraphs: Int?
    /// Flamegraphs of this many equal time slices, and of the peak's. Default (nil): ``defaultWindowFlamegraphs``.
    public var windowFlamegraphs: Int?
    public var ownership: Ownership
    /// Show inferred ownership edges and types. Default: true.
    public var includeInference: Bool
    /// Allocation sites drawn in the ownership graph. Default: 24.
    public var ownershipSites: Int

    public init(threadFlamegraphs: Int? = nil, windowFlamegraphs: Int? = nil, ownership: Ownership = .automatic,
                includeInference: Bool = true, ownershipSites: Int = 24) {
        self.threadFlamegraphs = threadFlamegraphs
        self.windowFlamegraphs = windowFlamegraphs
        self.ownership = ownership
        self.includeInference = includeInference
        self.ownershipSites = ownershipSites
    }

    /// Flamegraphs of this many top threads by default, whatever the dump's size: the views
    /// are tallied in one pass whose memory is bounded by the live blocks and sites once
    /// (``ViewTally``).
    public static let defaultThreadFlamegraphs = 4
    /// Flamegraphs of this many equal time slices (and the peak's) by default, whatever the size.
    public static let defaultWindowFlamegraphs = 10
    /// Above this many events the ownership graph is left out unless asked for (the
    /// inference costs about 0.25 µs per event).
    public static let ownershipEventLimit: UInt64 = 2_000_000
}

/// Where reports go.
public enum OutputPlan: Sendable, Equatable {
    /// One report, written to this path.
    case file(String, force: Bool)
    /// One report per dump in this directory, named by ``ReportNames/unique(_:)``, and `index.html`.
    case directory(String, force: Bool)
    /// Nothing written: the caller takes the report (diff --json, tests).
    case none

    public var force: Bool {
        switch self {
        case .file(_, let force), .directory(_, let force): force
        case .none: false
        }
    }
}

/// The default names of reports.
public enum ReportNames {
    /// `memscope-<name>.html`, the name without its directory and dump extensions.
    public static func defaultOutput(for dump: String) -> String {
        var name = Substring(dump.split(separator: "/").last ?? "dump")
        for suffix in [".zst", ".gz", ".msd", ".jsonl", ".json"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
        }
        if name.hasPrefix("memscope-") { name = name.dropFirst("memscope-".count) }
        return "memscope-\(name.isEmpty ? "dump" : name).html"
    }

    /// Report names for the dumps, numbered where two dumps share a name.
    public static func unique(_ dumps: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return dumps.map { dump in
            let base = defaultOutput(for: dump)
            let count = seen[base, default: 0]
            seen[base] = count + 1
            return count == 0 ? base : String(base.dropLast(5)) + "-\(count + 1).html"
        }
    }

    /// The name part of a dump's default report: `server-leak` for `samples/server-leak.msd`.
    public static func stem(_ path: String) -> String {
        String(defaultOutput(for: path).dropFirst("memscope-".count).dropLast(".html".count))
    }
}

/// memscope's version, written into every report.
public enum MemscopeVersion {
    public static let string = "0.1.0"
}
