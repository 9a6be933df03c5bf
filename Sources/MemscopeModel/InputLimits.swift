/// How much of an input memscope reads before it stops with an error: inputs come from
/// strangers (bug tickets, CI artifacts), and each limit bounds the time or memory one
/// hostile file can cost. Every limit can be raised with `--limit NAME=VALUE`; the
/// defaults are far above what a real program's dump holds (README, "Limits").
public struct InputLimits: Sendable, Equatable {
    /// Records read (events and tables), any format with records.
    public var records: UInt64 = 20_000_000_000
    /// Distinct thread ids in one analysis (Linux's pid_max is at most 4,194,304).
    public var threads: Int = 4_194_304
    /// Distinct call stacks defined.
    public var stacks: Int = 100_000_000
    /// Frames in one call stack.
    public var frames: Int = 65_536
    /// Bytes of one string (function, file, module, thread name, JSON string).
    public var stringBytes: Int = 1 << 20
    /// Decompressed bytes per compressed byte, checked past the first GiB (zstd, gzip).
    public var decompressionRatio: UInt64 = 4_096
    /// Nesting of JSON arrays and objects (DHAT, memscope-rs).
    public var jsonDepth: Int = 256
    /// massif snapshots, and children of one tree node.
    public var massifSnapshots: Int = 10_000_000
    public var massifChildren: Int = 1_000_000
    /// DHAT program points.
    public var dhatProgramPoints: Int = 100_000_000

    public init() {}

    public static let `default` = InputLimits()

    /// Each limit's name for `--limit NAME=VALUE`, what it counts, and its value.
    public static let names: [(name: String, meaning: String)] = [
        ("records", "records read"),
        ("threads", "distinct thread ids"),
        ("stacks", "distinct call stacks"),
        ("frames", "frames in one call stack"),
        ("strings", "bytes of one string"),
        ("ratio", "decompressed bytes per compressed byte (past the first GiB)"),
        ("json-depth", "nesting of JSON arrays and objects"),
        ("massif-snapshots", "massif snapshots"),
        ("massif-children", "children of one massif tree node"),
        ("dhat-points", "DHAT program points"),
    ]

    /// The value of the limit called `name`.
    public func value(of name: String) -> UInt64? {
        switch name {
        case "records": records
        case "threads": UInt64(threads)
        case "stacks": UInt64(stacks)
        case "frames": UInt64(frames)
        case "strings": UInt64(stringBytes)
        case "ratio": decompressionRatio
        case "json-depth": UInt64(jsonDepth)
        case "massif-snapshots": UInt64(massifSnapshots)
        case "massif-children": UInt64(massifChildren)
        case "dhat-points": UInt64(dhatProgramPoints)
        default: nil
        }
    }

    /// Sets the limit called `name`; false for an unknown name.
    public mutating func set(_ name: String, to value: UInt64) -> Bool {
        let small = Int(clamping: value)
        switch name {
        case "records": records = value
        case "threads": threads = small
        case "stacks": stacks = small
        case "frames": frames = small
        case "strings": stringBytes = small
        case "ratio": decompressionRatio = max(1, value)
        case "json-depth": jsonDepth = small
        case "massif-snapshots": massifSnapshots = small
        case "massif-children": massifChildren = small
        case "dhat-points": dhatProgramPoints = small
        default: return false
        }
        return true
    }
}

/// An input went past one of its ``InputLimits``.
public struct LimitExceeded: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// The limit's name (``InputLimits/names``).
    public var name: String
    public var limit: UInt64
    /// What went past it, in words ("a stack of 70,000 frames").
    public var found: String
    /// Where in the input, if known ("byte 1,234", "record 5").
    public var location: String

    public init(path: String, name: String, limit: UInt64, found: String, location: String = "") {
        self.path = path
        self.name = name
        self.limit = limit
        self.found = found
        self.location = location
    }

    public var description: String {
        let meaning = InputLimits.names.first { $0.name == name }?.meaning ?? name
        return "\(path)\(location.isEmpty ? "" : ": \(location)"): error: \(found): past the limit of \(Units.count(limit)) \(meaning)\n"
            + "  hint: if the input is genuine, raise the limit with --limit \(name)=N"
    }
}
