/// Recoverable problems found while reading or analysing a dump.
///
/// Warnings are grouped by a key: the same kind of problem is reported once, with a
/// count and the location of its first occurrence, e.g.
/// `skipped 12 records of unknown kind 0x35; first at byte 1234`.
/// Groups keep the order in which they were first seen, so output is deterministic.
public struct Diagnostics: Sendable, Equatable {
    public struct Group: Sendable, Equatable {
        /// Identifies the kind of problem; equal keys are merged.
        public var key: String
        /// What happened, without the count (e.g. "record of unknown kind 0x35 skipped").
        public var message: String
        /// Where it first happened (e.g. "dump.msd: byte 1234").
        public var firstLocation: String
        public var count: Int
        /// A remedy, or an empty string.
        public var hint: String
    }

    public private(set) var groups: [Group] = []
    private var index: [String: Int] = [:]

    public init() {}

    public var isEmpty: Bool { groups.isEmpty }

    /// Records one occurrence of a problem.
    public mutating func warn(key: String, _ message: @autoclosure () -> String,
                              at location: @autoclosure () -> String, hint: String = "") {
        if let i = index[key] {
            groups[i].count += 1
            return
        }
        index[key] = groups.count
        groups.append(Group(key: key, message: message(), firstLocation: location(), count: 1, hint: hint))
    }

    /// Appends every group of `other` (merging equal keys).
    public mutating func merge(_ other: Diagnostics) {
        for group in other.groups {
            if let i = index[group.key] {
                groups[i].count += group.count
            } else {
                index[group.key] = groups.count
                groups.append(group)
            }
        }
    }

    /// One line per group, e.g. `dump.msd: byte 80: record of unknown kind 0x35 skipped (12 times)`.
    public var lines: [String] {
        groups.map { group in
            var line = "\(group.firstLocation): \(group.message)"
            if group.count > 1 { line += " (\(group.count) times; first shown)" }
            if !group.hint.isEmpty { line += "; hint: \(group.hint)" }
            return line
        }
    }
}
