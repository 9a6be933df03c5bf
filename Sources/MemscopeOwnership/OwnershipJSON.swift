import MemscopeModel

extension OwnershipGraph {
    /// `{"nodes": [...], "edges": [...], "coverage": {...}}`, one node or edge per line, keys in
    /// a fixed order (`memscope inspect --stage ownership --json`).
    public func json() -> String {
        var out = "{\"nodes\": [\n"
        out += nodes.map { n in
            var fields = [
                "\"id\": \(n.id)", "\"kind\": \(jsonString(n.kind.rawValue))", "\"function\": \(jsonString(n.function))",
                "\"file\": \(jsonString(n.file))", "\"line\": \(n.line)", "\"column\": \(n.column)", "\"module\": \(jsonString(n.module))",
                "\"type\": \(n.type.map(jsonString) ?? "null")",
                "\"type_provenance\": \(n.typeProvenance.map { jsonString($0.rawValue) } ?? "null")",
                "\"type_rule\": \(n.typeRule.map(jsonString) ?? "null")",
                "\"variables\": [\(n.variables.map(jsonString).joined(separator: ", "))]",
                "\"blocks\": \(n.blocks)", "\"bytes\": \(n.bytes)",
                "\"leaked_blocks\": \(n.leakedBlocks)", "\"leaked_bytes\": \(n.leakedBytes)",
            ]
            if let k = n.leakKinds {
                fields.append("\"leak_kinds\": {\"definitely_lost\": \(k.definitelyLost.bytes), \"indirectly_lost\": \(k.indirectlyLost.bytes), \"possibly_lost\": \(k.possiblyLost.bytes), \"still_reachable\": \(k.stillReachable.bytes), \"not_scanned\": \(k.notScanned.bytes)}")
            }
            if n.kind == .task { fields.append("\"threads\": [\(n.threads.map(String.init).joined(separator: ", "))]") }
            return "  {" + fields.joined(separator: ", ") + "}"
        }.joined(separator: ",\n")
        out += "\n], \"edges\": [\n"
        out += edges.map { e in
            "  {\"from\": \(e.from), \"to\": \(e.to), \"kind\": \(jsonString(e.kind.rawValue)), \"provenance\": \(jsonString(e.provenance.rawValue)), \"basis\": \(jsonString(e.basis.rawValue)), \"rule\": \(jsonString(e.rule)), \"evidence\": \(e.evidence), \"contradictions\": \(e.contradictions), \"confidence\": \(e.confidenceFraction(decimals: 3)), \"detail\": \(jsonString(e.detail))}"
        }.joined(separator: ",\n")
        out += "\n], \"coverage\": {\"scans\": \(coverage.scans), \"task_annotations\": \(coverage.taskAnnotations), \"rejected_hypotheses\": \(coverage.rejectedHypotheses), \"sparse_references\": \(coverage.sparseReferences), \"inference_included\": \(coverage.inferenceIncluded), \"deaths_observed\": \(coverage.deathsObserved), \"blocks_observed_at_death\": \(coverage.blocksObservedAtDeath)}}\n"
        return out
    }
}
