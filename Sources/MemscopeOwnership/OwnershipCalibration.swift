import MemscopeModel

/// How well an edge's confidence matches how often such edges are true: a reliability
/// table by confidence band, computed from edges scored against programs' truth files.
public enum OwnershipCalibration {
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
