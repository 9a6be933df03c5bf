import Foundation
import MemscopeTestSupport
import Testing

/// Golden files of every text stage, under `Tests/Fixtures/golden/`: what `inspect --stage
/// parse|analyze|ownership` prints, `summary` as text and JSON, the report's flamegraph
/// data and the page of a tiny dump.
///
/// A change that alters any of these outputs must update its golden on purpose:
///
///     MEMSCOPE_UPDATE_GOLDENS=1 swift test --skip-build --filter GoldenTests
///     git diff Tests/Fixtures/golden     # review, then commit with the change
///
/// The run that rewrites a golden fails (run again to see it pass). Commands run the built
/// binary from the package root with relative paths, so no golden names this machine.
@Suite struct GoldenTests {
    private func output(_ arguments: [String]) throws -> String {
        let result = try run("memscope", arguments, currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    @Test(arguments: [("parse", "tiny.jsonl"), ("analyze", "tiny.jsonl"), ("analyze", "memory-errors.msd"),
                      ("ownership", "tiny.jsonl"), ("ownership", "server-leak.msd")])
    func inspectStage(stage: String, sample: String) throws {
        try assertGolden(try output(["inspect", "--stage", stage, "samples/\(sample)"]), named: "inspect-\(stage)-\(sample).txt")
    }

    @Test func inspectOwnershipJSON() throws {
        try assertGolden(try output(["inspect", "--stage", "ownership", "--json", "samples/thread-handoff.msd"]),
                         named: "inspect-ownership-thread-handoff.msd.json")
    }

    @Test(arguments: ["tiny.jsonl", "server-leak.msd", "memory-errors.msd"])
    func summary(sample: String) throws {
        try assertGolden(try output(["summary", "samples/\(sample)"]), named: "summary-\(sample).txt")
        try assertGolden(try output(["summary", "--json", "samples/\(sample)"]), named: "summary-\(sample).json")
    }

    /// The report of the tiny dump: its flamegraph data verbatim, and its page with what
    /// Cairo and Pango draw or measure (PNG bytes; SVG shapes and label positions, which change with their versions) and
    /// the inlined stylesheet and script (`Templates/`, with their own tests) stubbed.
    @Test func tinyReport() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tiny.html").path
        _ = try output(["render", "samples/tiny.jsonl", "-o", path, "-q"])
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let data = try #require(Self.element(html, open: "<script type=\"application/json\" id=\"flame-data\">", close: "</script>"))
        try assertGolden(data + "\n", named: "flame-data-tiny.jsonl.json")
        try assertGolden(Self.stubbed(html), named: "report-tiny.jsonl.html")
    }

    static func element(_ html: String, open: String, close: String) -> String? {
        guard let start = html.range(of: open), let end = html.range(of: close, range: start.upperBound..<html.endIndex) else {
            return nil
        }
        return String(html[start.upperBound..<end.lowerBound])
    }

    /// The page with drawn pictures and inlined assets replaced by markers.
    static func stubbed(_ html: String) -> String {
        var text = html
        func replace(_ pattern: String, with template: String) {
            let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
            text = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        replace("<style>.*?</style>", with: "<style>/* Templates/report.css */</style>")
        replace("<script>.*?</script>", with: "<script>/* Templates/report.js */</script>")
        replace("'sha256-[A-Za-z0-9+/=]+'", with: "'sha256-(the script's digest)'")
        replace("data:image/png;base64,[A-Za-z0-9+/=]+", with: "data:image/png;base64,(PNG)")
        replace("(<svg[^>]*>).*?</svg>", with: "$1(drawn from the scene)</svg>")
        return text
    }
}
