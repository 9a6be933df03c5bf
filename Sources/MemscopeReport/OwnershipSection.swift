import MemscopeGraphLayout
import MemscopeModel
import MemscopeOwnership
import MemscopeScene

/// What the report's ownership section shows.
public enum OwnershipView: Sendable {
    /// The graph, the part of it drawn, the drawing (inline SVG, and its size in pixels) and
    /// its hover regions.
    case shown(graph: OwnershipGraph, selection: GraphSelection, svg: String, width: Double, height: Double,
               regions: [OwnershipLayout.Region])
    /// Why there is no graph (an input without block events, a dump too large, no edges).
    case unavailable(String)
}

/// The ownership section: the graph with hover details, the legend and every edge.
enum OwnershipSection {
    static let tableLimit = 400

    static func html(_ view: OwnershipView?) -> String {
        guard let view else { return "" }
        var html = "<section id=\"ownership\">\n<h2>Ownership</h2>\n"
        switch view {
        case .unavailable(let reason):
            html += "<p class=\"empty\">\(HTML.escape(reason))</p>\n"
        case .shown(let graph, let selection, let svg, let width, let height, let regions):
            html += intro(graph, selection)
            if selection.nodes.isEmpty {
                html += "<p class=\"empty\">No edges: no pointer scans, realloc chains, cross-thread frees or task annotations, and no ownership the rules could support.</p>\n"
            } else {
                html += legend(graph.coverage.inferenceIncluded, scanned: graph.nodes.contains { $0.leakKinds != nil },
                               lostDrawn: selection.nodes.contains(where: OwnershipLayout.marksLoss))
                html += "<div class=\"graph-wrap\"><div class=\"graph\">\(svg)"
                html += hits(graph, selection, regions, width: width, height: height) + "</div></div>\n"
            }
            html += edgeTable(graph)
        }
        return html + "</section>"
    }

    /// The summary's list of inferred elements: the ownership section's.
    static func inferredNotes(_ view: OwnershipView?) -> [String] {
        guard case .shown(let graph, _, _, _, _, _) = view, graph.coverage.inferenceIncluded else { return [] }
        let owns = graph.edges.filter { $0.kind == .owns }.count, shares = graph.edges.filter { $0.kind == .shares }.count
        let types = graph.nodes.filter { $0.typeProvenance == .inferred }.count
        guard owns + shares + types > 0 else { return [] }
        return ["Ownership: \(owns) owns and \(shares) shares edges between allocation sites, and \(types) container types recognised from stack symbols, each with its rule, evidence and confidence (see Ownership). Everything else there is observed."]
    }

    static func inferenceOff(_ view: OwnershipView?) -> Bool {
        if case .shown(let graph, _, _, _, _, _) = view { return !graph.coverage.inferenceIncluded }
        return false
    }

    static func intro(_ graph: OwnershipGraph, _ selection: GraphSelection) -> String {
        let c = graph.coverage
        var text = "Who holds whom, by allocation site. <strong>Observed</strong> edges (solid) are read off the events: "
            + "pointers found in blocks by the recorder's scans or in a block's words as it died (<em>references</em>), realloc chains, "
            + "blocks freed on another thread (<em>hands off</em>) and task annotations"
            + (c.deathsObserved
                ? "; and, from the words of dying blocks, <em>owns</em> (the one holder freed with its target, or handing it on to a "
                    + "new holder) and <em>shares</em> (holders that died leaving the target alive, the last one freed with it, as with "
                    + "a reference count). "
                : ". ")
        if c.inferenceIncluded {
            text += "<strong>Inferred</strong> edges (dashed) come from rules where nothing was observed: <em>owns</em> (created with or held "
                + "alone by an owner block, freed with it, referred to by nothing else) and <em>shares</em> (of a reference-counted type, "
                + "or, without dying blocks' words, held by several blocks in a scan). Each edge says its rule, the block pairs or "
                + "targets for and against it, and a confidence: "
                + "the share of its pairs that support it, times how often edges of its class (kind, provenance and what they rest on: "
                + "an owner seen holding its target when it died, or freed first, or a block created right after another…) were true "
                + "on the programs the rules were tuned on (so never 100%; hover a confidence for its class). \(Units.count(UInt64(c.rejectedHypotheses))) hypotheses with less than 75% "
                + "of their pairs for them were rejected and are not shown. "
        } else {
            text += "Inference is off (<code>--no-inference</code>): no <em>owns</em> or <em>shares</em> edges and no container types from symbols. "
        }
        text += c.scans == 0
            ? "This dump has no pointer scans (record with <code>memscope record</code>; it scans at exit, on SIGUSR2, and with <code>--scan-every</code> or <code>--scan-at-peak</code>), so there are no <em>references</em> from scans."
            : "The dump holds \(c.scans) pointer scan\(c.scans == 1 ? "" : "s"); a word that merely equals an address counts as a pointer."
        if c.sparseReferences > 0 {
            text += " \(c.sparseReferences) site pair\(c.sparseReferences == 1 ? "" : "s") whose references were found in fewer than one in ten of the source's scanned blocks \(c.sparseReferences == 1 ? "is" : "are") left out: such words look like old pointers left in memory the program never wrote."
        }
        if selection.omittedNodes > 0 {
            text += " The picture shows the \(selection.nodes.filter { $0.kind == .allocationSite }.count) sites with the most bytes; \(selection.omittedNodes) more sites with edges are only in the table."
        }
        if selection.omittedEdges > 0 {
            text += " \(selection.omittedEdges) weaker edges between the drawn sites are only in the table."
        }
        if selection.clustering != .none { text += " Boxes are grouped by \(selection.clustering.rawValue)." }
        return "<p class=\"note\">\(text) Hover a box or an edge label for its details; click an edge label for its row below.</p>\n"
    }

    /// - Parameter lostDrawn: whether the picture draws a site red (the key is shown only then).
    static func legend(_ inference: Bool, scanned: Bool = true, lostDrawn: Bool = true) -> String {
        // Owns and shares are observed (solid) where blocks' words showed them, inferred
        // (dashed) elsewhere; the other kinds are always observed.
        let kinds = OwnershipEdgeKind.allCases
        let muted = Colour(hex: 0x6E7781).hexString
        return "<div class=\"legend graph-legend\">" + kinds.map { kind in
            let provenance = kind.provenance == .observed ? "observed" : inference ? "observed or inferred" : "observed"
            return "<span><i class=\"edge-key solid\" style=\"border-color:\(OwnershipLayout.colour(kind).hexString)\"></i>\(HTML.escape(kind.label)) (\(provenance))</span>"
        }.joined()
            + "<span><i class=\"edge-key solid\" style=\"border-color:\(muted)\"></i>solid: observed</span>"
            + (inference ? "<span><i class=\"edge-key dashed\" style=\"border-color:\(muted)\"></i>dashed: inferred (a rule's guess, never 100%)</span>" : "") + (!lostDrawn ? "" : "<span><i class=\"node-key leak\" style=\"border-color:\(Colour.peak.hexString)\"></i>"
            + (scanned ? "site with definitely or indirectly lost bytes" : "site with leaked bytes (still live at the end)") + "</span>") + "</div>\n"
    }

    static func hits(_ graph: OwnershipGraph, _ selection: GraphSelection, _ regions: [OwnershipLayout.Region],
                     width: Double, height: Double) -> String {
        guard width > 0, height > 0 else { return "" }
        let nodes = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        func percent(_ v: Double, _ of: Double) -> String { Units.fixed(v / of * 100, decimals: 3) + "%" }
        return regions.map { region in
            let f = region.frame
            let place = "left:\(percent(f.x, width));top:\(percent(f.y, height));width:\(percent(f.width, width));height:\(percent(f.height, height))"
            switch region.target {
            case .node(let id):
                guard let node = nodes[id] else { return "" }
                return "<span class=\"hit node\" style=\"\(place)\" title=\"\(HTML.escape(nodeDetails(node)))\"></span>"
            case .edge(let index):
                let edge = selection.edges[index]
                let first = selection.firstGraphEdge[index]
                let row = first < tableLimit ? "#edge-\(first + 1)" : "#ownership-edges"
                return "<a class=\"hit edge\" href=\"\(row)\" style=\"\(place)\" title=\"\(HTML.escape(edgeDetails(edge, nodes)))\"></a>"
            }
        }.joined()
    }

    static func nodeDetails(_ n: OwnershipNode) -> String {
        var lines = [n.function]
        if !n.file.isEmpty { lines.append("\(n.file)\(n.line > 0 ? ":\(n.line)" : "")") }
        if !n.module.isEmpty { lines.append("module \(n.module)") }
        if let type = n.type {
            lines.append("type \(type) (\(n.typeProvenance?.rawValue ?? "")\(n.typeRule.map { ": \($0)" } ?? ""))")
        }
        if !n.variables.isEmpty { lines.append("variables \(n.variables.joined(separator: ", "))") }
        switch n.kind {
        case .allocationSite:
            lines.append("\(Units.count(n.blocks, "block")), \(Units.bytes(n.bytes)) allocated here")
            if n.leakedBlocks > 0 { lines.append("leaked \(Units.bytes(n.leakedBytes)) in \(Units.count(n.leakedBlocks, "block"))") }
            if let k = n.leakKinds {
                lines.append("definitely lost \(Units.bytes(k.definitelyLost.bytes)), indirectly lost \(Units.bytes(k.indirectlyLost.bytes)), possibly lost \(Units.bytes(k.possiblyLost.bytes)), still reachable \(Units.bytes(k.stillReachable.bytes)) (observed by the last scan)")
            }
        case .freeSite: lines.append("frees blocks allocated on another thread")
        case .task: lines.append("task on threads \(n.threads.map(String.init).joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    static func edgeDetails(_ e: OwnershipEdge, _ nodes: [Int: OwnershipNode]) -> String {
        [
            "\(e.kind.label) (\(e.provenance.rawValue))",
            "\(nodes[e.from]?.location ?? "?") → \(nodes[e.to]?.location ?? "?")",
            "rule: \(e.rule)",
            "evidence \(Units.count(e.evidence)), contradictions \(Units.count(e.contradictions)), confidence \(e.confidencePercent(decimals: 1))%",
            e.confidenceReason ?? "",
            e.detail,
        ].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    static func edgeTable(_ graph: OwnershipGraph) -> String {
        guard !graph.edges.isEmpty else { return "" }
        let nodes = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        // Each rule is said once, above the table; a row names its rule by number.
        var rules: [String] = []
        var ruleNumber: [String: Int] = [:]
        for e in graph.edges.prefix(tableLimit) where ruleNumber[e.rule] == nil {
            rules.append(e.rule)
            ruleNumber[e.rule] = rules.count
        }
        var html = "<h3 id=\"ownership-edges\">Every edge (\(Units.count(UInt64(graph.edges.count))))</h3>\n"
            + "<p class=\"note\">Rules: " + rules.enumerated().map { "<span id=\"rule-\($0.offset + 1)\"><strong>R\($0.offset + 1)</strong> \(HTML.escape($0.element))</span>" }
                .joined(separator: "; ") + ".</p>\n"
            + "<div class=\"scroll\"><table class=\"edges\"><thead><tr>"
            + "<th>#</th><th>kind</th><th>from</th><th>to</th><th>provenance</th><th class=\"num\">evidence</th>"
            + "<th class=\"num\">against</th><th class=\"num\">confidence</th><th>rule</th></tr></thead><tbody>"
        for (i, e) in graph.edges.prefix(tableLimit).enumerated() {
            let badge = "<span class=\"badge \(e.provenance == .inferred ? "inferred" : "captured")\">\(e.provenance.rawValue)</span>"
            html += "<tr id=\"edge-\(i + 1)\"><td class=\"num\">\(i + 1)</td><td>\(HTML.escape(e.kind.label))</td>"
                + "<td class=\"fn\">\(HTML.escape(nodes[e.from]?.location ?? "?"))</td><td class=\"fn\">\(HTML.escape(nodes[e.to]?.location ?? "?"))</td>"
                + "<td>\(badge)</td><td class=\"num\">\(Units.count(e.evidence))</td><td class=\"num\">\(Units.count(e.contradictions))</td>"
                + "<td class=\"num\"\(e.confidenceReason.map { " title=\"\(HTML.escape($0))\"" } ?? "")>\(e.confidencePercent(decimals: 1))%</td>"
                + "<td class=\"rule\"><a href=\"#rule-\(ruleNumber[e.rule] ?? 0)\" title=\"\(HTML.escape(e.rule))\">R\(ruleNumber[e.rule] ?? 0)</a>"
                + "\(e.detail.isEmpty ? "" : " \(HTML.escape(e.detail))")</td></tr>"
        }
        html += "</tbody></table></div>\n"
        if graph.edges.count > tableLimit {
            html += "<p class=\"note\">\(graph.edges.count - tableLimit) more edges: <code>memscope inspect --stage ownership --json</code> lists them all.</p>\n"
        }
        return html
    }
}
