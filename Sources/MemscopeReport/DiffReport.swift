import Foundation
import MemscopeAnalysis
import MemscopeLayout
import MemscopeModel
import MemscopeTemplates

/// The comparison of two dumps: the page, and the same deltas as JSON.
public enum DiffReport {
    public static func json(_ diff: AnalysisDiff, base: Summary, new: Summary, sites: Int = 100) -> String {
        let metrics = diff.metrics.map { m in
            "\(jsonString(m.name)):{\"base\":\(m.base),\"delta\":\(m.delta),\"new\":\(m.new),\"percent\":"
                + (m.percent.map { Units.fixed($0, decimals: 2) } ?? "null") + "}"
        }
        func costs(_ c: Costs) -> String {
            "{\"allocations\":\(c.allocations),\"bytes_allocated\":\(c.bytesAllocated),\"leaked_bytes\":\(c.leakedBytes),"
                + "\"peak_bytes\":\(c.peakBytes),\"temporary_allocations\":\(c.temporaryAllocations)}"
        }
        let siteJSON = diff.sites.prefix(sites).map { s in
            "{\"base\":\(costs(s.base)),\"new\":\(costs(s.new)),\"site\":\(jsonString(s.title)),"
                + "\"stack\":[\(s.frames.map(jsonString).joined(separator: ","))]}"
        }
        return "{\"base\":\(base.json),\"deltas\":{\(metrics.joined(separator: ","))},\"new\":\(new.json),"
            + "\"sites\":[\(siteJSON.joined(separator: ","))]}"
    }

    public static func html(_ diff: AnalysisDiff, base: Summary, new: Summary, pictures: [FlameCost: [UInt8]],
                            version: String) throws -> String {
        func delta(_ value: Int64, bytes: Bool) -> String {
            let magnitude = bytes ? Units.bytes(value.magnitude) : Units.count(value.magnitude)
            let cls = value > 0 ? "delta-up" : value < 0 ? "delta-down" : ""
            return "<span class=\"\(cls)\">\(value > 0 ? "+" : value < 0 ? "−" : "±")\(HTML.escape(magnitude))</span>"
        }
        let metricRows = diff.metrics.map { m -> String in
            let show = { (v: UInt64) in m.isBytes ? Units.bytes(v) : (m.name == "duration_ns" ? Units.duration(nanoseconds: v) : Units.count(v)) }
            let percent = m.percent.map { ($0 >= 0 ? "+" : "") + Units.fixed($0, decimals: 1) + "%" } ?? (m.new == 0 ? "±0" : "new")
            return "<tr><td>\(HTML.escape(m.name))</td><td class=\"num\">\(HTML.escape(show(m.base)))</td>"
                + "<td class=\"num\">\(HTML.escape(show(m.new)))</td><td class=\"num\">\(m.name == "duration_ns" ? HTML.escape((m.delta >= 0 ? "+" : "−") + Units.duration(nanoseconds: m.delta.magnitude)) : delta(m.delta, bytes: m.isBytes))</td>"
                + "<td class=\"num\">\(HTML.escape(percent))</td></tr>"
        }.joined()
        let metrics = "<table><thead><tr><th>figure</th><th class=\"num\">base</th><th class=\"num\">new</th>"
            + "<th class=\"num\">change</th><th class=\"num\">%</th></tr></thead><tbody>\(metricRows)</tbody></table>"
        let siteRows = diff.sites.prefix(50).map { s -> String in
            let stack = s.frames.map { "<li>\(HTML.escape($0))</li>" }.joined()
            func pair(_ b: UInt64, _ n: UInt64, bytes: Bool) -> String {
                "<td class=\"num\" data-value=\"\(Int64(clamping: n) &- Int64(clamping: b))\">\(delta(Int64(clamping: n) &- Int64(clamping: b), bytes: bytes))"
                    + "<div class=\"loc\">\(HTML.escape(bytes ? Units.bytes(b) : Units.count(b))) → \(HTML.escape(bytes ? Units.bytes(n) : Units.count(n)))</div></td>"
            }
            return "<tr><td class=\"fn\"><details><summary>\(HTML.escape(s.title))</summary><ol class=\"stack\">\(stack)</ol></details></td>"
                + pair(s.base.bytesAllocated, s.new.bytesAllocated, bytes: true) + pair(s.base.allocations, s.new.allocations, bytes: false)
                + pair(s.base.peakBytes, s.new.peakBytes, bytes: true) + pair(s.base.leakedBytes, s.new.leakedBytes, bytes: true) + "</tr>"
        }.joined()
        let sites = "<p class=\"note\">Sites matched by their frames' names; the \(min(50, diff.sites.count)) of \(diff.sites.count) "
            + "that changed most in bytes allocated, at peak or leaked.</p><table class=\"sortable\"><thead><tr><th>site</th><th class=\"num\">allocated</th>"
            + "<th class=\"num\">calls</th><th class=\"num\">at peak</th><th class=\"num\">leaked</th></tr></thead><tbody>\(siteRows)</tbody></table>"
        let shown = FlameCost.allCases.filter { pictures[$0] != nil }
        // Open on the cost that changed most, relative to its size.
        let root = diff.tree.first
        let first = shown.max { a, b in
            func relative(_ cost: FlameCost) -> Double {
                guard let root else { return 0 }
                let (old, new) = (Double(cost.value(root.base)), Double(cost.value(root.new)))
                return abs(new - old) / max(old, new, 1)
            }
            return (relative(a), b.index) < (relative(b), a.index)
        }
        let buttons = shown.map {
            "<button type=\"button\" data-cost=\"\($0.rawValue)\" aria-pressed=\"\($0 == first)\">\(HTML.escape($0.title))</button>"
        }.joined()
        let images = shown.map { cost in
            "<img alt=\"differential flamegraph: \(HTML.escape(cost.title))\" data-cost=\"\(cost.rawValue)\"\(cost == first ? "" : " hidden")"
                + " src=\"data:image/png;base64,\(Data(pictures[cost] ?? []).base64EncodedString())\">"
        }.joined()
        let subtitle = "Base <code>\(HTML.escape(base.path))</code> (\(HTML.escape(base.format))) · new <code>\(HTML.escape(new.path))</code> (\(HTML.escape(new.format)))"
        let script = "\n" + Compact.script(try ReportTemplates.text("diff.js")) + "\n"
        let values: [String: String] = [
            "script": script,
            // Only this script may run: its digest is the page's whole script policy.
            "scriptHash": SHA256.cspSource(for: script),
            "version": version,
            "title": "memscope diff: \(baseName(base.path)) → \(baseName(new.path))",
            "subtitle": subtitle,
            "css": Compact.style(try ReportTemplates.text("report.css")),
            "metrics": metrics,
            "costButtons": buttons,
            "pictures": images,
            "sites": sites,
            "diffJSON": json(diff, base: base, new: new),
        ]
        // style-src: the digests of the filled page's style element and style attributes.
        return StylePolicy.seal(try TemplateFiller.fill(try ReportTemplates.text("diff.html"), values))
    }
}
