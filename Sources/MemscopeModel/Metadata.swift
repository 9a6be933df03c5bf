/// Facts about the traced program, from the dump's `meta` record.
public struct Metadata: Sendable, Equatable {
    /// The program that wrote the dump, e.g. `memscope-record`.
    public var producer: String
    public var producerVersion: String
    public var pid: UInt32
    /// Wall-clock start of the run, nanoseconds since the Unix epoch; 0 when unknown.
    public var startTimeUnixNanoseconds: UInt64
    /// How many nanoseconds one timestamp tick lasts (1 for nanosecond clocks).
    public var clockUnitNanoseconds: UInt64
    /// Pointer size of the traced process in bytes: 4 or 8.
    public var pointerSize: UInt8
    /// The traced command line, program first.
    public var commandLine: [String]
    /// The process this one was started or forked from, when the producer knows it
    /// (`memscope record` does); nil when the dump does not say (the field is absent).
    public var parentPid: UInt32?
    /// The command lines the process ran before it replaced its program by `exec`
    /// (`exec` records), oldest first; `commandLine` is then the last program's. Empty for
    /// the `meta` record itself: the analysis fills it in.
    public var earlierCommandLines: [[String]] = []

    public init(producer: String, producerVersion: String, pid: UInt32 = 0,
                startTimeUnixNanoseconds: UInt64 = 0, clockUnitNanoseconds: UInt64 = 1,
                pointerSize: UInt8 = 8, commandLine: [String] = [], parentPid: UInt32? = nil) {
        self.producer = producer
        self.producerVersion = producerVersion
        self.pid = pid
        self.startTimeUnixNanoseconds = startTimeUnixNanoseconds
        self.clockUnitNanoseconds = clockUnitNanoseconds
        self.pointerSize = pointerSize
        self.commandLine = commandLine
        self.parentPid = parentPid
    }

    /// How the process started, when it replaced its program by `exec` before the one it
    /// is named after: the first command line and how many `exec`s led from it to
    /// `commandLine` (each earlier program exec'd the next). One wording for the summary and
    /// the report: "then 2 execs".
    public var execChain: (firstCommandLine: [String], execs: Int)? {
        guard let first = earlierCommandLines.first else { return nil }
        return (first, earlierCommandLines.count)
    }

    /// "then 1 exec", "then 5 execs".
    public static func execsPhrase(_ count: Int) -> String {
        "then \(count) exec" + (count == 1 ? "" : "s")
    }

    /// Used when a dump was cut off before its `meta` record.
    public static let unknown = Metadata(producer: "unknown", producerVersion: "")
}
