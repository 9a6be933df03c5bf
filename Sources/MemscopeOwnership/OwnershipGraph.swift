import Foundation
import MemscopeAnalysis
import MemscopeModel

/// Who holds whom: the ownership graph of a dump, with the evidence behind every edge.
///
/// Nodes are code locations: allocation sites (the first frame of an allocating stack that
/// is not an allocator or language runtime), free sites (where a block handed between threads
/// was freed) and async tasks. Edges are either *observed* (read off the events: pointer
/// references seen by the recorder's scan, realloc chains, cross-thread frees, task
/// annotations) or *inferred* (owns, shares: a rule over the observations). Each edge says
/// which rule produced it, how many block pairs support it, how many speak against it, and
/// a confidence computed from those two counts (see ``OwnershipEdge/confidence``).
public struct OwnershipGraph: Sendable, Equatable {
    public var nodes: [OwnershipNode]
    public var edges: [OwnershipEdge]
    /// What the graph could see: scans, task annotations, hypotheses rejected.
    public var coverage: OwnershipCoverage

    public init(nodes: [OwnershipNode], edges: [OwnershipEdge], coverage: OwnershipCoverage) {
        self.nodes = nodes
        self.edges = edges
        self.coverage = coverage
    }

    /// The graph without anything inferred: observed edges only, and node types only when
    /// the program annotated them (`--no-inference`).
    public func observedOnly() -> OwnershipGraph {
        var copy = self
        copy.edges = edges.filter { $0.provenance == .observed }
        copy.nodes = nodes.map { node in
            var n = node
            if n.typeProvenance == .inferred {
                n.type = nil
                n.typeRule = nil
                n.typeProvenance = nil
            }
            return n
        }
        copy.coverage.inferenceIncluded = false
        return copy
    }
}

public enum Provenance: String, Sendable, Equatable, Comparable {
    case observed, inferred
    public static func < (a: Provenance, b: Provenance) -> Bool { a.rawValue < b.rawValue }
}

public enum OwnershipNodeKind: String, Sendable, Equatable {
    /// Where blocks were allocated.
    case allocationSite = "allocation_site"
    /// Where blocks allocated on another thread were freed (only hand-off edges end here).
    case freeSite = "free_site"
    /// An async task the program annotated.
    case task
}

public struct OwnershipNode: Sendable, Equatable, Identifiable {
    public var id: Int
    public var kind: OwnershipNodeKind
    public var function: String
    public var file: String
    public var line: UInt32
    /// The module (executable or shared library) of the site's frame.
    public var module: String
    /// A type: annotated by the program (observed) or recognised from the stack's symbols
    /// (inferred, with ``typeRule``).
    public var type: String?
    public var typeProvenance: Provenance?
    public var typeRule: String?
    /// Variable names the program annotated on this site's blocks, most frequent first.
    public var variables: [String]
    /// Allocation calls made here (a realloc counts as one) and their bytes, over the run.
    public var blocks: UInt64
    public var bytes: UInt64
    /// Blocks and bytes still live at the end of the dump.
    public var leakedBlocks: UInt64
    public var leakedBytes: UInt64
    /// Of the leaked bytes, memcheck's kinds from the dump's last reference scan (nil without one).
    public var leakKinds: LeakKinds?
    /// For tasks: the threads the task ran on.
    public var threads: [UInt32]

    public init(id: Int, kind: OwnershipNodeKind, function: String, file: String = "", line: UInt32 = 0,
                module: String = "", type: String? = nil, typeProvenance: Provenance? = nil, typeRule: String? = nil,
                variables: [String] = [], blocks: UInt64 = 0, bytes: UInt64 = 0, leakedBlocks: UInt64 = 0,
                leakedBytes: UInt64 = 0, leakKinds: LeakKinds? = nil, threads: [UInt32] = []) {
        self.id = id
        self.kind = kind
        self.function = function
        self.file = file
        self.line = line
        self.module = module
        self.type = type
        self.typeProvenance = typeProvenance
        self.typeRule = typeRule
        self.variables = variables
        self.blocks = blocks
        self.bytes = bytes
        self.leakedBlocks = leakedBlocks
        self.leakedBytes = leakedBytes
        self.leakKinds = leakKinds
        self.threads = threads
    }

    /// The source column of the call, 0 when unknown.
    public var column: UInt32 = 0
    /// Another node of the graph is at the same file and line (two calls on one line): the
    /// column tells them apart wherever the node is named.
    public var sharesLine = false

    /// `function (file:line)` or the function alone; `file:line:column` when another node
    /// shares the line.
    public var location: String {
        file.isEmpty ? function : "\(function) (\(baseName(file))\(line > 0 ? ":\(line)" : "")\(sharesLine && column > 0 ? ":\(column)" : ""))"
    }
}

public enum OwnershipEdgeKind: String, Sendable, Equatable, CaseIterable, Comparable {
    case references
    case owns
    case shares
    case reallocates
    case handsOff = "hands_off"
    case task

    public var provenance: Provenance {
        switch self {
        case .owns, .shares: .inferred
        case .references, .reallocates, .handsOff, .task: .observed
        }
    }

    public var label: String {
        switch self {
        case .handsOff: "hands off"
        default: rawValue
        }
    }

    /// Position in ``allCases`` (the order of `<`), without making the array per comparison.
    private var rank: Int {
        switch self {
        case .references: 0
        case .owns: 1
        case .shares: 2
        case .reallocates: 3
        case .handsOff: 4
        case .task: 5
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public struct OwnershipEdge: Sendable, Equatable {
    public struct ThreadPair: Sendable, Equatable {
        public var from: UInt32
        public var to: UInt32
        public init(from: UInt32, to: UInt32) {
            self.from = from
            self.to = to
        }
    }

    public var from: Int
    public var to: Int
    public var kind: OwnershipEdgeKind
    public var provenance: Provenance
    /// The rule that produced the edge, in words.
    public var rule: String
    /// Block pairs (or blocks, or calls, as the rule says) that support the edge.
    public var evidence: UInt64
    /// Block pairs that speak against it.
    public var contradictions: UInt64
    /// Detail for the reader: the threads of a hand-off, the reallocs of a chain.
    public var detail: String
    /// For hand-offs: the allocating and the freeing thread.
    public var threads: ThreadPair?
    /// What a judged edge rests on, which with its kind and provenance picks its calibration
    /// class; ``OwnershipBasis/fact`` for the others.
    public var basis: OwnershipBasis = .fact

    public init(from: Int, to: Int, kind: OwnershipEdgeKind, rule: String, evidence: UInt64,
                contradictions: UInt64 = 0, detail: String = "") {
        self.from = from
        self.to = to
        self.kind = kind
        self.provenance = kind.provenance
        self.rule = rule
        self.evidence = evidence
        self.contradictions = contradictions
        self.detail = detail
    }

    /// The share of the edge's own block pairs that support it: e / (e + c) for observed
    /// edges, a smoothed (e + ½) / (e + c + 1) for inferred ones (one supporting pair gives
    /// 0.75, ten give 0.95). The rules reject judged edges below 0.75 of it (frozen at
    /// 6a35f2d, docs/OWNERSHIP.md); it is not a probability that the edge is true.
    public var evidenceShare: Double {
        let e = Double(evidence), c = Double(contradictions)
        switch provenance {
        case .observed: return e + c == 0 ? 0 : e / (e + c)
        case .inferred: return (e + 0.5) / (e + c + 1)
        }
    }

    /// The probability that the edge is true, as far as it was measured. Observed facts
    /// (`references`, `reallocates`, `hands_off`, `task`) have their evidence share: a word
    /// held an address, realloc moved a buffer. A reference seen in one block pair only is
    /// judged like `owns` (times its class's tuned rate): one word may be a stale one. A judged edge (`owns`, `shares`, observed or
    /// inferred) has its evidence share times the rate at which edges of its kind, provenance
    /// and basis were true on the programs the rules were tuned on
    /// (``OwnershipCalibration/tunedRate(_:_:_:)``): how many pairs support one edge does not
    /// tell a right edge from a wrong one (wrong ones had 200 to 5,000), its class does.
    public var confidence: Double {
        switch kind {
        case .owns, .shares: evidenceShare * OwnershipCalibration.tunedRate(kind, provenance, basis)
        case .references where basis == .singleSighting || basis == .hashTable || basis == .scanOnly:
            evidenceShare * OwnershipCalibration.tunedRate(kind, provenance, basis)
        case .references where provenance == .inferred:
            // Implied by an `owns` or `shares` edge (sixth rules): scored at the rate of that edge's class.
            evidenceShare * (basis.owningClass.map { OwnershipCalibration.tunedRate($0.kind, $0.provenance, basis) } ?? 0.5)
        case .references, .reallocates, .handsOff, .task: evidenceShare
        }
    }

    /// How the confidence of a judged edge was computed, in words (nil for an observed fact):
    /// its evidence share times its class's tuned rate, and that class's tally.
    public var confidenceReason: String? {
        guard basis != .fact else { return nil }
        let implied = kind == .references && provenance == .inferred ? basis.owningClass : nil
        let tally = implied.map { OwnershipCalibration.tuned[.init(kind: $0.kind, provenance: $0.provenance, basis: basis)] }
            ?? OwnershipCalibration.tunedTally(of: self)
        let rate = implied.map { OwnershipCalibration.tunedRate($0.kind, $0.provenance, basis) }
            ?? OwnershipCalibration.tunedRate(kind, provenance, basis)
        let measured = tally.map { "\($0.correct) of \($0.scored) such edges were true" } ?? "no such edge was scored"
        return "confidence \(Units.fixed((evidenceShare * 1000).rounded(.down) / 10, decimals: 1))% of its pairs for it × "
            + "\(Units.fixed((rate * 1000).rounded(.down) / 1000, decimals: 3)), the rate of its class (\(basis.words): \(measured) on the tuned programs)"
    }

    /// The confidence as a percentage with `decimals` digits, never rounded up: an inferred
    /// edge backed by 1,000 pairs (99.95%) reads 99.9%, never 100.0%, which only an
    /// observed edge with no contradiction shows.
    public func confidencePercent(decimals: Int = 1) -> String {
        confidenceText(scale: 100, decimals: decimals)
    }

    /// The confidence as a fraction with `decimals` digits, rounded down: an inferred edge never reads 1.
    public func confidenceFraction(decimals: Int = 3) -> String {
        confidenceText(scale: 1, decimals: decimals)
    }

    private func confidenceText(scale unit: Double, decimals: Int) -> String {
        let scale = pow(10.0, Double(decimals))
        var value = (confidence * unit * scale).rounded(.down) / scale
        if provenance == .inferred { value = min(value, unit - 1 / scale) }
        return Units.fixed(value, decimals: decimals)
    }

}

public struct OwnershipCoverage: Sendable, Equatable {
    /// Reference scans in the dump (the recorder's; each sees the blocks live at its time).
    public var scans: Int = 0
    /// Whether the dump has task annotations.
    public var taskAnnotations: Bool = false
    /// Inferred hypotheses that the evidence rejected (confidence below the threshold).
    public var rejectedHypotheses: Int = 0
    /// Site pairs whose references were too rare to be the program's (fewer than one in ten
    /// scanned source blocks): likely stale words in memory never written. Left out.
    public var sparseReferences: Int = 0
    /// Site pairs all of whose references were read where a block the holder's site refers
    /// to had been before (stale words, eighth rules). Left out.
    public var staleReferences: Int = 0
    /// False when the graph was stripped of inferred elements.
    public var inferenceIncluded: Bool = true
    /// Whether the dump records the words of blocks as they die (`memscope record` does,
    /// unless `--no-scan-on-free`), and of how many freed blocks it holds some.
    public var deathsObserved: Bool = false
    public var blocksObservedAtDeath: Int = 0

    public init() {}
}

extension OwnershipGraph {
    /// A copy for pages and pictures: node names, files, modules, types and variables
    /// longer than `maxCharacters` cut in the middle (``Units/shortened(_:to:)``), as the
    /// analysis' strings are (`Analysis.shortenedForDisplay`).
    public func shortenedForDisplay(maxCharacters: Int = 4096) -> OwnershipGraph {
        var copy = self
        func cut(_ text: String) -> String { text.utf8.count > maxCharacters ? Units.shortened(text, to: maxCharacters) : text }
        for i in copy.nodes.indices {
            copy.nodes[i].function = cut(copy.nodes[i].function)
            copy.nodes[i].file = cut(copy.nodes[i].file)
            copy.nodes[i].module = cut(copy.nodes[i].module)
            copy.nodes[i].type = copy.nodes[i].type.map(cut)
            copy.nodes[i].variables = copy.nodes[i].variables.map(cut)
        }
        return copy
    }
}
