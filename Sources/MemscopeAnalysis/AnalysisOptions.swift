import MemscopeModel

/// Settings of the analysis stage.
public struct AnalysisOptions: Sendable, Equatable {
    /// Most points kept in the memory-over-time series. Default: 2048.
    public var timelinePoints: Int
    /// Most distinct memory-error sites kept; further occurrences are still counted
    /// in ``Totals/errors``. Default: 10 000.
    public var maxErrorSites: Int
    /// Leaks matching these rules are reported as suppressed, not leaked. Default: none.
    public var suppressions: Suppressions
    /// Count allocations, frees and the peak only from this time on (ns since the start);
    /// blocks allocated earlier are carried in: live, but not counted. Default: 0.
    public var windowStartNanoseconds: UInt64 = 0
    /// Stop at this time (ns): "leaked" then means live at the end of the window. Default: none.
    public var windowEndNanoseconds: UInt64? = nil
    /// Only blocks allocated by this thread (and their frees, on any thread). Default: all.
    public var thread: UInt32? = nil

    /// Functions matching these regular expressions are allocation wrappers: site names
    /// go past them, and the frame filter hides them with the allocator. Default: none.
    public var wrapperPatterns: [String] = []
    /// Detect unnamed allocation wrappers (``AllocatorFrames``). Default: true.
    public var detectWrappers = true
    /// Cut the run into at most this many equal slices with every site's figures in each
    /// (``Analysis/slices``: a report's range selection); 0 for none. Default: 0.
    public var timelineSlices = 0
    /// Build the top-down and bottom-up call trees (``Analysis/topDown``,
    /// ``Analysis/bottomUp``: flamegraphs, `inspect`). Figures, sites and stacks do not need
    /// them: `summary` and `check` leave them out (a dump of 196,745 distinct stacks needed a
    /// gigabyte for its trees). Default: true.
    public var callTrees = true

    /// How much of the input to read (threads, stacks, frames, strings are checked by the
    /// analysis after each batch). Default: ``InputLimits/default``.
    public var limits = InputLimits.default

    public init(timelinePoints: Int = 2048, maxErrorSites: Int = 10_000, suppressions: Suppressions = Suppressions()) {
        self.timelinePoints = timelinePoints
        self.maxErrorSites = maxErrorSites
        self.suppressions = suppressions
    }

    public static let `default` = AnalysisOptions()
}
