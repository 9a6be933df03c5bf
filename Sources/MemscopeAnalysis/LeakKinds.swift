import MemscopeModel

/// memcheck's leak kinds, computed from the pointer references a recorder observed
/// (its reference scan). These are observations: a word that merely holds an integer
/// equal to an address counts as a pointer, so a leak can look reachable.
public struct LeakKinds: Sendable, Equatable {
    public struct Figure: Sendable, Equatable {
        public var bytes: UInt64 = 0
        public var blocks: UInt64 = 0

        public init(bytes: UInt64 = 0, blocks: UInt64 = 0) {
            self.bytes = bytes
            self.blocks = blocks
        }

        mutating func add(_ size: UInt64) {
            bytes &+= size
            blocks += 1
        }
    }

    /// Reachable from no root nor from any other leaked block.
    public var definitelyLost = Figure()
    /// Reachable only from definitely lost blocks.
    public var indirectlyLost = Figure()
    /// Reached only through pointers into the middle of the block.
    public var possiblyLost = Figure()
    /// Reachable from a root (module data, a thread stack, other non-heap memory).
    public var stillReachable = Figure()
    /// Live at the end but allocated after the last scan.
    public var notScanned = Figure()

    public init() {}

    /// Counts one block of `size` bytes under its kind.
    public mutating func add(_ kind: LeakKind, size: UInt64) {
        switch kind {
        case .definitelyLost: definitelyLost.add(size)
        case .indirectlyLost: indirectlyLost.add(size)
        case .possiblyLost: possiblyLost.add(size)
        case .stillReachable: stillReachable.add(size)
        case .notScanned: notScanned.add(size)
        }
    }

    /// The caveat shown wherever these figures are.
    public static let caveat = "observed by scanning memory for pointer-sized words that hold a block's address; an integer can look like a pointer"
}

/// Collects the references of the dump's last reference scan.
struct ReferenceScan {
    /// Time of the last scan (its marker record), nil when the dump has none.
    var time: UInt64?
    var references: [PointerReference] = []

    mutating func consume(_ reference: PointerReference) {
        if reference.to == 0 {
            // A scan marker: a new scan replaces the previous one.
            time = reference.timestamp
            references.removeAll(keepingCapacity: true)
            return
        }
        references.append(reference)
    }

    /// Classifies the blocks live at the end (address, size, allocation time), as
    /// memcheck does (see ``LeakKind/classify(references:scanTime:live:)``).
    func classify(live: [(address: UInt64, size: UInt64, ticks: UInt64)]) -> LeakKinds? {
        guard let time else { return nil }
        var kinds = LeakKinds()
        for (block, kind) in LeakKind.classify(references: references, scanTime: time, live: live) {
            kinds.add(kind, size: block.size)
        }
        return kinds
    }
}

/// memcheck's kind of one leaked block.
public enum LeakKind: String, Sendable, Equatable, CaseIterable {
    case definitelyLost = "definitely lost"
    case indirectlyLost = "indirectly lost"
    case possiblyLost = "possibly lost"
    case stillReachable = "still reachable"
    case notScanned = "not scanned"

    /// Classifies the blocks live at the end (address, size, allocation time) from the
    /// references of one scan made at `scanTime`, as memcheck does: mark from the roots,
    /// then each unmarked block leads the blocks only it reaches (indirectly lost); leaders
    /// are definitely lost. Blocks allocated after the scan are not scanned. Returned in
    /// address order.
    public static func classify(references: [PointerReference], scanTime: UInt64,
                                live: [(address: UInt64, size: UInt64, ticks: UInt64)])
        -> [(block: (address: UInt64, size: UInt64), kind: LeakKind)] {
        var result: [(block: (address: UInt64, size: UInt64), kind: LeakKind)] = []
        var index: [UInt64: Int] = [:]
        var scanned: [(address: UInt64, size: UInt64)] = []
        for block in live.sorted(by: { $0.address < $1.address }) {
            if block.ticks > scanTime {
                result.append(((block.address, block.size), .notScanned))
                continue
            }
            index[block.address] = scanned.count
            scanned.append((block.address, block.size))
        }
        var edges = [[Int]](repeating: [], count: scanned.count)
        var interiorEdges = [[Int]](repeating: [], count: scanned.count)
        var rootStarts: [Int] = []
        var rootInteriors: [Int] = []
        for reference in references {
            guard let to = index[reference.to] else { continue }
            if reference.source != .block {
                if reference.interior { rootInteriors.append(to) } else { rootStarts.append(to) }
            } else if let from = index[reference.from] {
                if reference.interior { interiorEdges[from].append(to) } else { edges[from].append(to) }
            }
        }
        enum Mark { case none, reachable, possibly, indirect }
        var marks = [Mark](repeating: .none, count: scanned.count)
        func spread(from starts: [Int], as mark: Mark) {
            var work = starts.filter { marks[$0] == .none }
            for block in work { marks[block] = mark }
            while let block = work.popLast() {
                for next in edges[block] where marks[next] == .none {
                    marks[next] = mark
                    work.append(next)
                }
            }
        }
        spread(from: rootStarts, as: .reachable)
        var possibleStarts = rootInteriors
        for block in scanned.indices where marks[block] == .reachable { possibleStarts += interiorEdges[block] }
        spread(from: possibleStarts, as: .possibly)

        for leader in scanned.indices where marks[leader] == .none {
            var work = edges[leader] + interiorEdges[leader]
            while let block = work.popLast() {
                guard block != leader, marks[block] == .none else { continue }
                marks[block] = .indirect
                work += edges[block] + interiorEdges[block]
            }
        }
        for (block, entry) in scanned.enumerated() {
            let kind: LeakKind = switch marks[block] {
            case .reachable: .stillReachable
            case .possibly: .possiblyLost
            case .indirect: .indirectlyLost
            case .none: .definitelyLost
            }
            result.append((entry, kind))
        }
        result.sort { $0.block.address < $1.block.address }
        return result
    }
}

/// How many observation records (annotations, scopes, tasks, references, modules) a dump holds.
public struct ObservationCounts: Sendable, Equatable {
    public var annotations: UInt64 = 0
    public var scopes: UInt64 = 0
    public var taskSwitches: UInt64 = 0
    public var pointerReferences: UInt64 = 0
    public var modules: UInt64 = 0

    public init(annotations: UInt64 = 0, scopes: UInt64 = 0, taskSwitches: UInt64 = 0, pointerReferences: UInt64 = 0,
                modules: UInt64 = 0) {
        self.annotations = annotations
        self.scopes = scopes
        self.taskSwitches = taskSwitches
        self.pointerReferences = pointerReferences
        self.modules = modules
    }
}
