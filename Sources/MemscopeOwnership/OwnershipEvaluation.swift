import MemscopeModel

/// Scores an ownership graph against a program's known ownership (its ground truth).
///
/// Sites are named in the program's source by `site: NAME` comments on their lines; a
/// truth file lists site-level edges, one `kind from to` per line (`#` starts a comment).
/// Edges between sites the source does not name (the C library's own, the loader's) are
/// left out of the score and counted.
public enum OwnershipEvaluation {
    public struct TruthEdge: Hashable, Comparable, Sendable {
        public var kind: OwnershipEdgeKind
        public var from: String
        public var to: String

        public init(kind: OwnershipEdgeKind, from: String, to: String) {
            self.kind = kind
            self.from = from
            self.to = to
        }

        public static func < (a: Self, b: Self) -> Bool { (a.kind, a.from, a.to) < (b.kind, b.from, b.to) }
    }

    public struct Score: Sendable, Equatable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0

        public init() {}

        public var precision: Double? {
            truePositives + falsePositives == 0 ? nil : Double(truePositives) / Double(truePositives + falsePositives)
        }

        public var recall: Double? {
            truePositives + falseNegatives == 0 ? nil : Double(truePositives) / Double(truePositives + falseNegatives)
        }

        public static func + (a: Score, b: Score) -> Score {
            var s = Score()
            s.truePositives = a.truePositives + b.truePositives
            s.falsePositives = a.falsePositives + b.falsePositives
            s.falseNegatives = a.falseNegatives + b.falseNegatives
            return s
        }
    }

    public struct PredictedEdge: Sendable, Equatable {
        public var truth: TruthEdge
        public var edge: OwnershipEdge
    }

    public struct Result: Sendable, Equatable {
        public var scores: [OwnershipEdgeKind: Score] = [:]
        public var falsePositives: [TruthEdge] = []
        public var falseNegatives: [TruthEdge] = []
        /// Predicted edges with an end at a site the source does not name.
        public var unnamed = 0
        /// The graph's edges between named sites, each with the truth edge it names.
        public var predicted: [PredictedEdge] = []

        public init() {}
    }

    public struct TruthError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses a truth file: `kind from to` per line.
    public static func parseTruth(_ text: String, file: String) throws -> Set<TruthEdge> {
        var edges = Set<TruthEdge>()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.isEmpty { continue }
            guard words.count == 3, let kind = OwnershipEdgeKind(rawValue: String(words[0])) else {
                throw TruthError(description: "\(file):\(number + 1): expected `kind from to` with kind one of \(OwnershipEdgeKind.allCases.map(\.rawValue).joined(separator: ", ")), found \(jsonString(String(raw)))")
            }
            edges.insert(TruthEdge(kind: kind, from: String(words[1]), to: String(words[2])))
        }
        return edges
    }

    /// The `site: NAME` comments of a source file, by line number (1-based). A line with two
    /// allocation calls names both, in the order of their columns: `sites: NODE LABEL`
    /// (returned as `"NODE LABEL"`).
    public static func siteMarkers(source: String) -> [UInt32: String] {
        var markers: [UInt32: String] = [:]
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: "sites: ") {
                let names = line[range.upperBound...].split(separator: " ").map { $0.prefix { $0.isLetter || $0.isNumber || $0 == "_" } }
                    .prefix { !$0.isEmpty }
                if !names.isEmpty { markers[UInt32(index + 1)] = names.joined(separator: " ") }
                continue
            }
            guard let range = line.range(of: "site: ") else { continue }
            let name = line[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty { markers[UInt32(index + 1)] = String(name) }
        }
        return markers
    }

    /// Compares the graph's edges (between sites of `sourceFile`, named by `markers`) with
    /// the truth, per edge kind.
    public static func evaluate(_ graph: OwnershipGraph, truth: Set<TruthEdge>, sourceFile: String,
                                markers: [UInt32: String]) -> Result {
        var names: [Int: String] = [:]
        var byLine: [UInt32: [OwnershipNode]] = [:]
        for node in graph.nodes where baseName(node.file) == baseName(sourceFile) {
            guard let marker = markers[node.line] else { continue }
            if marker.contains(" ") { byLine[node.line, default: []].append(node) } else { names[node.id] = marker }
        }
        // Several sites on one line: named in the order of their columns (a free site on
        // that line keeps the first name).
        for (line, nodes) in byLine {
            let list = markers[line]!.split(separator: " ").map(String.init)
            let sites = nodes.filter { $0.kind == .allocationSite }.sorted { ($0.column, $0.id) < ($1.column, $1.id) }
            for (rank, node) in sites.enumerated() where rank < list.count { names[node.id] = list[rank] }
            for node in nodes where node.kind != .allocationSite { names[node.id] = list[0] }
        }
        var result = Result()
        var predicted = Set<TruthEdge>()
        for edge in graph.edges where edge.kind != .task {
            guard let from = names[edge.from], let to = names[edge.to] else {
                result.unnamed += 1
                continue
            }
            predicted.insert(TruthEdge(kind: edge.kind, from: from, to: to))
            result.predicted.append(PredictedEdge(truth: TruthEdge(kind: edge.kind, from: from, to: to), edge: edge))
        }
        for kind in OwnershipEdgeKind.allCases where kind != .task {
            var score = Score()
            let p = predicted.filter { $0.kind == kind }, t = truth.filter { $0.kind == kind }
            score.truePositives = p.intersection(t).count
            score.falsePositives = p.subtracting(t).count
            score.falseNegatives = t.subtracting(p).count
            result.scores[kind] = score
        }
        result.falsePositives = predicted.subtracting(truth).sorted()
        result.falseNegatives = truth.subtracting(predicted).sorted()
        return result
    }
}
