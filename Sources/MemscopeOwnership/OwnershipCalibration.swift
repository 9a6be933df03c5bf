import MemscopeModel

/// How well an edge's confidence matches how often such edges are true: a reliability
/// table by confidence band, computed from edges scored against programs' truth files.
public enum OwnershipCalibration {
    /// Judged edges of each class scored on the tuned programs. Fitted at the sixth freeze
    /// (see docs/OWNERSHIP.md): the seven of Tests/OwnershipPrograms, the fourteen of each of
    /// Tests/OwnershipProgramsHeldOut and Tests/OwnershipProgramsHeldOut2 and the fifteen of
    /// each of Tests/OwnershipProgramsHeldOut3, Tests/OwnershipProgramsHeldOut4 and
    /// Tests/OwnershipProgramsHeldOut5, each set recorded once as `memscope record` does (new
    /// blocks' words cleared) and once with `--no-scan-on-free`, the twelve runs added up
    /// (memscope-ownership-eval's "judged edges by class" lines). Never refitted on the
    /// programs held out from these rules: those check it. An inferred `references` implied
    /// by an `owns` or `shares` edge is scored at that edge's class's rate
    /// (``OwnershipBasis/owningClass``).
    public static let tuned: [Class: Tally] = [
        Class(kind: .owns, provenance: .observed, basis: .heldAtDeath): Tally(correct: 208, scored: 209),
        Class(kind: .owns, provenance: .observed, basis: .singleTarget): Tally(correct: 86, scored: 87),
        Class(kind: .owns, provenance: .observed, basis: .freedFirst): Tally(correct: 21, scored: 25),
        Class(kind: .owns, provenance: .observed, basis: .lastOfSeveral): Tally(correct: 27, scored: 30),
        Class(kind: .owns, provenance: .observed, basis: .handedOn): Tally(correct: 2, scored: 2),
        Class(kind: .owns, provenance: .inferred, basis: .soleReferrer): Tally(correct: 73, scored: 86),
        Class(kind: .owns, provenance: .inferred, basis: .createdAfter): Tally(correct: 100, scored: 168),
        Class(kind: .shares, provenance: .observed, basis: .referenceCount): Tally(correct: 23, scored: 25),
        Class(kind: .shares, provenance: .observed, basis: .refcountedTarget): Tally(correct: 7, scored: 7),
        Class(kind: .shares, provenance: .inferred, basis: .heldBySeveral): Tally(correct: 13, scored: 45),
        Class(kind: .references, provenance: .observed, basis: .singleSighting): Tally(correct: 93, scored: 95),
        Class(kind: .references, provenance: .observed, basis: .hashTable): Tally(correct: 5, scored: 7),
        // Eighth freeze: the nine sets (Tests/OwnershipPrograms to …HeldOut8, 119 programs)
        // recorded once as `memscope record` does since then (spaced scans while the program
        // runs); only dumps with dying blocks' words have this class.
        Class(kind: .references, provenance: .observed, basis: .scanOnly): Tally(correct: 103, scored: 107),
        // Tenth freeze: the eleven sets (…HeldOut10 added, 143 programs) recorded once the
        // default way (2026-12-07 17:41 UTC); only dumps with dying blocks' words have this class.
        // Refitted at the eleventh freeze, whose rules draw more of it (recursive structures'
        // roots, referrers made after their targets set aside): the twelve sets (…HeldOut11
        // added, 155 programs) recorded once the default way (2026-12-07 20:43 UTC), 4 / 4 before.
        // Refitted at the twelfth freeze, whose rules take one false edge from it (a counted
        // holder) and add three true ones (holders handed off with their targets): the thirteen
        // sets (…HeldOut12 added, recorded 21:43 UTC), 25 / 26 before.
        Class(kind: .owns, provenance: .inferred, basis: .soleHolderSite): Tally(correct: 29, scored: 30),
        // Fourteenth freeze: the fifteen sets (Tests/OwnershipPrograms to …HeldOut14, 191
        // programs) recorded once the default way (2026-12-07 23:49–23:51 UTC): every edge of
        // the class true (device-reset.cc, doc-observers.cc, work-list.cc, expr-dag.cc,
        // order-book.cc of set 7, mvcc-versions.cc).
        Class(kind: .owns, provenance: .inferred, basis: .destructorTeardown): Tally(correct: 9, scored: 9),
    ]

    public struct Class: Hashable, Sendable, Comparable {
        public var kind: OwnershipEdgeKind
        public var provenance: Provenance
        public var basis: OwnershipBasis
        public init(kind: OwnershipEdgeKind, provenance: Provenance, basis: OwnershipBasis) {
            self.kind = kind
            self.provenance = provenance
            self.basis = basis
        }

        public static func < (a: Class, b: Class) -> Bool {
            (a.kind.rawValue, a.provenance, a.basis) < (b.kind.rawValue, b.provenance, b.basis)
        }
    }

    public struct Tally: Equatable, Sendable {
        public var correct: Int
        public var scored: Int
        public init(correct: Int, scored: Int) {
            self.correct = correct
            self.scored = scored
        }
    }

    /// The rate at which edges of a class are true: the mean of a uniform Beta(1, 1) prior
    /// updated with the class's tally, (correct + 1) / (scored + 2) (Laplace's rule of
    /// succession). 208 true of 209 gives 0.991, 100 of 168 gives 0.594, 13 of 45 gives 0.298,
    /// nothing measured gives 0.5. It is below 1 however many were true.
    public static func rate(_ tally: Tally) -> Double {
        Double(tally.correct + 1) / Double(tally.scored + 2)
    }

    /// The tuned rate of judged edges of `kind`, `provenance` and `basis` (0.5 for a class never measured).
    public static func tunedRate(_ kind: OwnershipEdgeKind, _ provenance: Provenance, _ basis: OwnershipBasis) -> Double {
        rate(tuned[Class(kind: kind, provenance: provenance, basis: basis)] ?? Tally(correct: 0, scored: 0))
    }

    /// The tuned tally of an edge's class (nil when the class was never measured).
    public static func tunedTally(of edge: OwnershipEdge) -> Tally? {
        tuned[Class(kind: edge.kind, provenance: edge.provenance, basis: edge.basis)]
    }

    /// The tallies of judged edges by class in `samples`, for refitting ``tuned``.
    public static func tallies(_ samples: [Sample]) -> [Class: Tally] {
        var result: [Class: Tally] = [:]
        for sample in samples where sample.basis != .fact {
            let key = Class(kind: sample.kind, provenance: sample.provenance, basis: sample.basis)
            var tally = result[key] ?? Tally(correct: 0, scored: 0)
            tally.scored += 1
            tally.correct += sample.correct ? 1 : 0
            result[key] = tally
        }
        return result
    }

    /// One scored edge: its confidence, and whether the truth file has it.
    public struct Sample: Sendable, Equatable {
        public var kind: OwnershipEdgeKind
        public var provenance: Provenance
        public var basis: OwnershipBasis
        public var confidence: Double
        public var correct: Bool

        public init(kind: OwnershipEdgeKind, provenance: Provenance, basis: OwnershipBasis = .fact, confidence: Double, correct: Bool) {
            self.kind = kind
            self.provenance = provenance
            self.basis = basis
            self.confidence = confidence
            self.correct = correct
        }
    }

    /// The edges whose confidence is in [lower, upper) (the last band includes 1).
    public struct Band: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var edges = 0
        public var correct = 0
        /// The sum of the edges' confidences (their mean is `confidenceSum / edges`).
        public var confidenceSum = 0.0

        public init(lower: Double, upper: Double) {
            self.lower = lower
            self.upper = upper
        }

        /// The measured share of true edges (nil when the band is empty).
        public var rate: Double? { edges == 0 ? nil : Double(correct) / Double(edges) }
        public var meanConfidence: Double? { edges == 0 ? nil : confidenceSum / Double(edges) }
    }

    /// Band limits: [0, 0.5), [0.5, 0.6), …, [0.8, 0.9), [0.9, 0.95), [0.95, 0.99), [0.99, 1].
    public static let limits: [Double] = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1]

    /// The reliability table of `samples`: every band of `limits`, empty ones included, in order.
    public static func bands(_ samples: [Sample], limits: [Double] = limits) -> [Band] {
        var bands = zip(limits, limits.dropFirst()).map { Band(lower: $0, upper: $1) }
        for sample in samples {
            let last = bands.count - 1
            let index = bands.firstIndex { sample.confidence >= $0.lower && sample.confidence < $0.upper }
                ?? (sample.confidence >= bands[last].lower ? last : 0)
            bands[index].edges += 1
            bands[index].correct += sample.correct ? 1 : 0
            bands[index].confidenceSum += sample.confidence
        }
        return bands
    }

    /// Expected calibration error: the edge-weighted mean of |mean confidence − rate| over
    /// the non-empty bands (0 for a perfectly calibrated score; nil without samples).
    public static func expectedError(_ bands: [Band]) -> Double? {
        let total = bands.reduce(0) { $0 + $1.edges }
        guard total > 0 else { return nil }
        return bands.reduce(0.0) { sum, band in
            guard let rate = band.rate, let mean = band.meanConfidence else { return sum }
            return sum + Double(band.edges) / Double(total) * abs(mean - rate)
        }
    }

    /// False edges scored above `threshold`.
    public static func falseAbove(_ samples: [Sample], threshold: Double = 0.9) -> Int {
        samples.filter { !$0.correct && $0.confidence > threshold }.count
    }
}
