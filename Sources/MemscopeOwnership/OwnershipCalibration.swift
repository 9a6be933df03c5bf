import MemscopeModel

/// How well an edge's confidence matches how often such edges are true: a reliability
/// table by confidence band, computed from edges scored against programs' truth files.
public enum OwnershipCalibration {
    /// Judged edges (owns, shares) of each provenance scored on the tuned programs: the seven
    /// of Tests/OwnershipPrograms and the fourteen of Tests/OwnershipProgramsHeldOut, which
    /// the first rules were checked on and the second rules were written with. Measured with
    /// memscope-ownership-eval at the second freeze (2026-12-07), each set recorded once as
    /// `memscope record` does and once with `--no-scan-on-free`, the four runs added up
    /// (their "judged edges by class" lines). Never refitted on the programs held out from
    /// these rules (Tests/OwnershipProgramsHeldOut2): those check it.
    public static let tuned: [Class: Tally] = [
        Class(kind: .owns, provenance: .observed): Tally(correct: 49, scored: 49),
        Class(kind: .owns, provenance: .inferred): Tally(correct: 47, scored: 55),
        Class(kind: .shares, provenance: .observed): Tally(correct: 6, scored: 6),
        Class(kind: .shares, provenance: .inferred): Tally(correct: 6, scored: 16),
    ]

    public struct Class: Hashable, Sendable {
        public var kind: OwnershipEdgeKind
        public var provenance: Provenance
        public init(kind: OwnershipEdgeKind, provenance: Provenance) {
            self.kind = kind
            self.provenance = provenance
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
    /// succession). 49 true of 49 gives 0.980, 47 of 55 gives 0.842, 6 of 6 gives 0.875,
    /// 6 of 16 gives 0.389, nothing measured gives 0.5. It is below 1 however many were true.
    public static func rate(_ tally: Tally) -> Double {
        Double(tally.correct + 1) / Double(tally.scored + 2)
    }

    /// The tuned rate of judged edges of `kind` and `provenance` (0.5 for a class never measured).
    public static func tunedRate(_ kind: OwnershipEdgeKind, _ provenance: Provenance) -> Double {
        rate(tuned[Class(kind: kind, provenance: provenance)] ?? Tally(correct: 0, scored: 0))
    }

    /// The tallies of judged edges by class in `samples`, for refitting ``tuned``.
    public static func tallies(_ samples: [Sample]) -> [Class: Tally] {
        var result: [Class: Tally] = [:]
        for sample in samples where sample.kind == .owns || sample.kind == .shares {
            var tally = result[Class(kind: sample.kind, provenance: sample.provenance)] ?? Tally(correct: 0, scored: 0)
            tally.scored += 1
            tally.correct += sample.correct ? 1 : 0
            result[Class(kind: sample.kind, provenance: sample.provenance)] = tally
        }
        return result
    }

    /// One scored edge: its confidence, and whether the truth file has it.
    public struct Sample: Sendable, Equatable {
        public var kind: OwnershipEdgeKind
        public var provenance: Provenance
        public var confidence: Double
        public var correct: Bool

        public init(kind: OwnershipEdgeKind, provenance: Provenance, confidence: Double, correct: Bool) {
            self.kind = kind
            self.provenance = provenance
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
