import MemscopeOwnership
import Testing

@Suite struct CalibrationTests {
    typealias Sample = OwnershipCalibration.Sample

    static func sample(_ confidence: Double, _ correct: Bool, _ kind: OwnershipEdgeKind = .owns,
                       _ provenance: Provenance = .inferred, _ basis: OwnershipBasis = .createdAfter) -> Sample {
        Sample(kind: kind, provenance: provenance, basis: basis, confidence: confidence, correct: correct)
    }

    @Test func bandsCountEdgesTrueOnesAndMeanConfidence() throws {
        let samples = [Self.sample(0.85, true), Self.sample(0.82, false), Self.sample(0.95, true),
                       Self.sample(1.0, true), Self.sample(0.99, false), Self.sample(0.2, false), Self.sample(0.9, true)]
        let bands = OwnershipCalibration.bands(samples)
        #expect(bands.map(\.lower) == [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99])
        #expect(bands.map(\.edges) == [1, 0, 0, 0, 2, 1, 1, 2], "0.9 opens the 0.90–0.95 band; 1 and 0.99 fall in the last")
        #expect(bands.map(\.correct) == [0, 0, 0, 0, 1, 1, 1, 1])
        let high = try #require(bands.first { $0.lower == 0.8 })
        #expect(high.rate == 0.5)
        #expect(abs((high.meanConfidence ?? 0) - 0.835) < 1e-12)
        #expect(bands[1].rate == nil && bands[1].meanConfidence == nil)
        #expect(OwnershipCalibration.falseAbove(samples) == 1, "0.99 is false and above 0.9; 0.82 is not above it")
        #expect(OwnershipCalibration.falseAbove(samples, threshold: 0.8) == 2)
    }

    @Test func expectedErrorIsZeroOnlyWhenEveryBandMatchesItsRate() throws {
        let exact = [Self.sample(0.75, true), Self.sample(0.75, true), Self.sample(0.75, true), Self.sample(0.75, false)]
        #expect(OwnershipCalibration.expectedError(OwnershipCalibration.bands(exact)) == 0)
        let over = [Self.sample(0.95, false), Self.sample(0.95, true)]
        let error = try #require(OwnershipCalibration.expectedError(OwnershipCalibration.bands(over)))
        #expect(abs(error - 0.45) < 1e-12)
        #expect(OwnershipCalibration.expectedError(OwnershipCalibration.bands([])) == nil)
    }

    @Test func theRateIsLaplacesRuleOfSuccessionAndNeverCertain() {
        #expect(OwnershipCalibration.rate(.init(correct: 0, scored: 0)) == 0.5)
        #expect(OwnershipCalibration.rate(.init(correct: 19, scored: 19)) == 20.0 / 21)
        #expect(OwnershipCalibration.rate(.init(correct: 5, scored: 15)) == 6.0 / 17)
        #expect(OwnershipCalibration.rate(.init(correct: 100_000, scored: 100_000)) < 1)
        // The fitted classes: every judged class is below 1; a class never measured is a coin.
        for c in OwnershipCalibration.tuned.keys {
            #expect(OwnershipCalibration.tunedRate(c.kind, c.provenance, c.basis) < 1, "\(c)")
            #expect(c.basis != .fact, "facts are not judged")
        }
        #expect(OwnershipCalibration.tunedRate(.owns, .inferred, .fact) == 0.5)
        #expect(OwnershipCalibration.tunedRate(.shares, .inferred, .heldBySeveral) == 14.0 / 47, "13 true of 45: shares seen in scans alone")
        #expect(OwnershipCalibration.tunedRate(.owns, .observed, .heldAtDeath) == 209.0 / 211)
        #expect(OwnershipCalibration.tunedRate(.owns, .observed, .freedFirst) < OwnershipCalibration.tunedRate(.owns, .observed, .heldAtDeath),
                "an owner freed before its target is a weaker sighting than one freed with it")
    }

    @Test func talliesAreFittedFromJudgedEdgesOnly() {
        let samples = [Self.sample(0.9, true), Self.sample(0.9, false), Self.sample(1, true, .owns, .observed, .heldAtDeath),
                       Self.sample(0.6, false, .owns, .observed, .freedFirst),
                       Self.sample(1, true, .references, .observed, .fact), Self.sample(0.8, false, .references, .observed, .singleSighting),
                       Self.sample(0.7, false, .shares, .observed, .referenceCount)]
        let tallies = OwnershipCalibration.tallies(samples)
        #expect(tallies[.init(kind: .owns, provenance: .inferred, basis: .createdAfter)] == .init(correct: 1, scored: 2))
        #expect(tallies[.init(kind: .owns, provenance: .observed, basis: .heldAtDeath)] == .init(correct: 1, scored: 1))
        #expect(tallies[.init(kind: .owns, provenance: .observed, basis: .freedFirst)] == .init(correct: 0, scored: 1))
        #expect(tallies[.init(kind: .shares, provenance: .observed, basis: .referenceCount)] == .init(correct: 0, scored: 1))
        #expect(tallies[.init(kind: .references, provenance: .observed, basis: .singleSighting)] == .init(correct: 0, scored: 1))
        #expect(tallies[.init(kind: .references, provenance: .observed, basis: .fact)] == nil, "facts are not judged")
    }

    /// Scoring changes what an edge's confidence says, never which edges exist: rejection
    /// reads the evidence share (the frozen rule), and a judged edge scores its share times
    /// its class's rate, while observed facts keep their share.
    @Test func confidenceIsTheShareTimesTheClassRate() {
        var weak = OwnershipEdge(from: 0, to: 1, kind: .owns, rule: "", evidence: 2, contradictions: 1)
        weak.basis = .createdAfter
        #expect(weak.evidenceShare == 2.5 / 4)
        #expect(weak.confidence == 2.5 / 4 * OwnershipCalibration.tunedRate(.owns, .inferred, .createdAfter))
        var shared = OwnershipEdge(from: 0, to: 1, kind: .shares, rule: "", evidence: 9, contradictions: 1)
        shared.provenance = .observed
        shared.basis = .referenceCount
        #expect(shared.confidence == 0.9 * OwnershipCalibration.tunedRate(.shares, .observed, .referenceCount))
        let moved = OwnershipEdge(from: 0, to: 1, kind: .reallocates, rule: "", evidence: 3)
        #expect(moved.confidence == 1)
        var once = OwnershipEdge(from: 0, to: 1, kind: .references, rule: "", evidence: 1)
        #expect(once.confidence == 1, "a reference seen is a fact")
        once.basis = .singleSighting
        #expect(once.confidence == OwnershipCalibration.tunedRate(.references, .observed, .singleSighting),
                "unless it was seen once: one word may be stale")
        #expect(once.confidenceReason?.contains("93 of 95 such edges were true") == true)
        #expect(moved.confidenceReason == nil)
        let options = OwnershipOptions.default
        #expect(options.minimumConfidence == 0.75, "the rejection threshold of the frozen rules")
        for kind in OwnershipEdgeKind.allCases {
            for evidence in [UInt64(1), 2, 10, 1_000] {
                let edge = OwnershipEdge(from: 0, to: 1, kind: kind, rule: "", evidence: evidence)
                if edge.provenance == .inferred {
                    #expect(edge.confidence < 0.96 && edge.confidenceFraction() != "1.000", "\(kind) \(evidence)")
                }
            }
        }
    }
}
