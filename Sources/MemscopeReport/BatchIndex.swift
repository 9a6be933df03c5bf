import MemscopeAnalysis
import MemscopeModel

/// The `index.html` of a batch render: one row per input with its headline figures, or
/// the error that stopped it.
public enum BatchIndex {
    public struct Entry: Sendable {
        public var input: String
        public var report: String?
        public var totals: Totals?
        public var command: String
        public var error: String?
        /// The traced process and the one it was forked or started from (`meta`), 0 when unknown.
        public var pid: UInt32
        public var parentPid: UInt32
        /// Definitely and indirectly lost bytes (memcheck's kinds), when the dump's scans told them.
        public var lostBytes: UInt64?

        public init(input: String, report: String?, totals: Totals?, command: String, error: String?,
                    pid: UInt32 = 0, parentPid: UInt32 = 0, lostBytes: UInt64? = nil) {
            self.lostBytes = lostBytes
            self.input = input
            self.report = report
            self.totals = totals
            self.command = command
            self.error = error
            self.pid = pid
            self.parentPid = parentPid
        }
    }

    /// The process tree of the dumps (a compiler driver and its cc1 and as, a test runner
    /// and its tests): nested lists, parent before children, each linking to its report.
    /// Empty when no dump's parent is among the dumps.
    static func processTree(_ entries: [Entry]) -> String {
        let byPid = Dictionary(entries.filter { $0.pid != 0 }.map { ($0.pid, $0) }, uniquingKeysWith: { first, _ in first })
        func hasParent(_ e: Entry) -> Bool { e.parentPid != 0 && e.parentPid != e.pid && byPid[e.parentPid] != nil }
        guard entries.contains(where: hasParent) else { return "" }
        var children: [UInt32: [Entry]] = [:]
        for e in entries where hasParent(e) { children[e.parentPid, default: []].append(e) }
        var seen = Set<UInt32>()
        func item(_ e: Entry) -> String {
            if e.pid != 0 { guard seen.insert(e.pid).inserted else { return "" } }
            let program = e.command.split(separator: " ").first.map { String($0.split(separator: "/").last ?? $0) } ?? e.input
            let label = "<b>\(HTML.escape(program))</b> pid \(e.pid)"
            let name = e.report.map { "<a href=\"\(HTML.escape($0))\">\(label)</a>" } ?? label
            let kids = (children[e.pid] ?? []).sorted { $0.pid < $1.pid }.map(item).joined()
            return "<li>\(name) <span class=\"cmd\">\(HTML.escape(e.command))</span>"
                + (kids.isEmpty ? "" : "<ul>\(kids)</ul>") + "</li>"
        }
        let roots = entries.filter { !hasParent($0) }.map(item).joined()
        return "<h2>Processes</h2><ul class=\"tree\">\(roots)</ul>"
    }

    public static func html(_ entries: [Entry], version: String) -> String {
        let rows = entries.map { e -> String in
            let name = e.report.map { "<a href=\"\(HTML.escape($0))\">\(HTML.escape(e.input))</a>" } ?? HTML.escape(e.input)
            guard let t = e.totals else {
                return "<tr class=\"failed\"><td>\(name)</td><td colspan=\"7\">failed: \(HTML.escape(e.error ?? "unknown error"))</td></tr>"
            }
            func cell(_ text: String, _ value: UInt64) -> String { "<td class=\"num\" data-value=\"\(value)\">\(HTML.escape(text))</td>" }
            return "<tr><td>\(name)<div class=\"cmd\">\(HTML.escape(e.command))</div></td>"
                + cell(Units.duration(nanoseconds: t.durationNanoseconds), t.durationNanoseconds)
                + cell(Units.count(t.allocations), t.allocations) + cell(Units.bytes(t.peakBytes), t.peakBytes)
                + cell(Units.bytes(t.leakedBytes), t.leakedBytes)
                + (e.lostBytes.map { cell(Units.bytes($0), $0) } ?? "<td class=\"num\" data-value=\"-1\">–</td>")
                + cell(Units.count(t.temporaryAllocations), t.temporaryAllocations)
                + cell(Units.count(t.errors), t.errors) + "</tr>"
        }.joined()
        let failed = entries.filter { $0.totals == nil }.count
        return StylePolicy.seal("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src \(StylePolicy.placeholder)">
            <title>memscope reports</title>
            <style>
            body { font-family: "DejaVu Sans", system-ui, sans-serif; font-size: 14px; color: #1f2328; margin: 24px auto; max-width: 1100px; }
            table { border-collapse: collapse; width: 100%; } th, td { padding: 6px 8px; border-bottom: 1px solid #d8dee4; text-align: left; vertical-align: top; }
            th { background: #f6f8fa; } td.num, th.num { text-align: right; white-space: nowrap; } .cmd { color: #59636e; font-size: 12px; }
            tr.failed td { color: #cf222e; } a { color: #2f6feb; }
            ul.tree, ul.tree ul { list-style: none; padding-left: 20px; } ul.tree li { margin: 3px 0; }
            ul.tree ul li::before { content: "└ "; color: #59636e; }
            </style></head><body>
            <h1>memscope reports</h1>
            <p>\(entries.count) dumps, \(failed) failed. Made by memscope \(HTML.escape(version)).</p>
            \(processTree(entries))
            <h2>Dumps</h2>
            <table><thead><tr><th>dump</th><th class="num">duration</th><th class="num">calls</th><th class="num">peak</th>
            <th class="num" title="live at the end of the run">leaked</th><th class="num" title="definitely and indirectly lost, memcheck's kinds: held by no pointer at exit; – when the dump has no scan">lost</th><th class="num">temporary</th><th class="num">errors</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            </body></html>

            """)
    }
}
