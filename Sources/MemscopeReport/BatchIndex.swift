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

        public init(input: String, report: String?, totals: Totals?, command: String, error: String?) {
            self.input = input
            self.report = report
            self.totals = totals
            self.command = command
            self.error = error
        }
    }

    public static func html(_ entries: [Entry], version: String) -> String {
        let rows = entries.map { e -> String in
            let name = e.report.map { "<a href=\"\(HTML.escape($0))\">\(HTML.escape(e.input))</a>" } ?? HTML.escape(e.input)
            guard let t = e.totals else {
                return "<tr class=\"failed\"><td>\(name)</td><td colspan=\"6\">failed: \(HTML.escape(e.error ?? "unknown error"))</td></tr>"
            }
            func cell(_ text: String, _ value: UInt64) -> String { "<td class=\"num\" data-value=\"\(value)\">\(HTML.escape(text))</td>" }
            return "<tr><td>\(name)<div class=\"cmd\">\(HTML.escape(e.command))</div></td>"
                + cell(Units.duration(nanoseconds: t.durationNanoseconds), t.durationNanoseconds)
                + cell(Units.count(t.allocations), t.allocations) + cell(Units.bytes(t.peakBytes), t.peakBytes)
                + cell(Units.bytes(t.leakedBytes), t.leakedBytes) + cell(Units.count(t.temporaryAllocations), t.temporaryAllocations)
                + cell(Units.count(t.errors), t.errors) + "</tr>"
        }.joined()
        let failed = entries.filter { $0.totals == nil }.count
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>memscope reports</title>
            <style>
            body { font-family: "DejaVu Sans", system-ui, sans-serif; font-size: 14px; color: #1f2328; margin: 24px auto; max-width: 1100px; }
            table { border-collapse: collapse; width: 100%; } th, td { padding: 6px 8px; border-bottom: 1px solid #d8dee4; text-align: left; vertical-align: top; }
            th { background: #f6f8fa; } td.num, th.num { text-align: right; white-space: nowrap; } .cmd { color: #59636e; font-size: 12px; }
            tr.failed td { color: #cf222e; } a { color: #2f6feb; }
            </style></head><body>
            <h1>memscope reports</h1>
            <p>\(entries.count) dumps, \(failed) failed. Made by memscope \(HTML.escape(version)).</p>
            <table><thead><tr><th>dump</th><th class="num">duration</th><th class="num">calls</th><th class="num">peak</th>
            <th class="num">leaked</th><th class="num">temporary</th><th class="num">errors</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            </body></html>

            """
    }
}
