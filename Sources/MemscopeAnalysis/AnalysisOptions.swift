/// Settings of the analysis stage.
public struct AnalysisOptions: Sendable, Equatable {
    /// Most points kept in the memory-over-time series. Default: 2048.
    public var timelinePoints: Int
    /// Most distinct memory-error sites kept; further occurrences are still counted
    /// in ``Totals/errors``. Default: 10 000.
    public var maxErrorSites: Int
    /// Leaks matching these rules are reported as suppressed, not leaked. Default: none.
    public var suppressions: Suppressions

    public init(timelinePoints: Int = 2048, maxErrorSites: Int = 10_000, suppressions: Suppressions = Suppressions()) {
        self.timelinePoints = timelinePoints
        self.maxErrorSites = maxErrorSites
        self.suppressions = suppressions
    }

    public static let `default` = AnalysisOptions()
}
