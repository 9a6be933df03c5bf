import MemscopeModel

extension OwnershipGraph {
    /// Stable text, one node or edge per line (`memscope inspect --stage ownership`).
    public func text() -> String {
        var out = "nodes\n"
        for n in nodes {
            var line = "  n\(n.id) \(n.kind.rawValue) \(n.location)"
            if !n.module.isEmpty { line += " [\(baseName(n.module))]" }
            if let type = n.type { line += " type=\(jsonString(type)) (\(n.typeProvenance?.rawValue ?? ""))" }
            if !n.variables.isEmpty { line += " variables=\(n.variables.joined(separator: ","))" }
            line += " blocks=\(n.blocks) bytes=\(n.bytes)"
            if n.leakedBlocks > 0 { line += " leaked=\(n.leakedBytes)B/\(n.leakedBlocks)" }
            if n.kind == .task { line += " threads=\(n.threads.map(String.init).joined(separator: ","))" }
            out += line + "\n"
        }
        out += "edges\n"
        for e in edges {
            out += "  n\(e.from) -\(e.kind.rawValue)-> n\(e.to) \(e.provenance.rawValue) evidence=\(e.evidence) contradictions=\(e.contradictions) confidence=\(e.confidencePercent(decimals: 1))%"
                + (e.detail.isEmpty ? "" : " (\(e.detail))") + "\n"
        }
        out += "coverage scans=\(coverage.scans) task_annotations=\(coverage.taskAnnotations) rejected_hypotheses=\(coverage.rejectedHypotheses) sparse_references=\(coverage.sparseReferences) inference_included=\(coverage.inferenceIncluded) deaths_observed=\(coverage.deathsObserved) blocks_observed_at_death=\(coverage.blocksObservedAtDeath)\n"
        return out
    }
}
