import Foundation
import Testing

/// Compares `actual` with the golden file `Snapshots/<name>` next to the calling test file.
///
/// Records the golden when it is missing, or differs while `MEMSCOPE_RECORD_SNAPSHOTS=1`, and then
/// fails, so a new baseline never passes silently. On a mismatch, reports the first
/// differing line.
public func assertSnapshot(_ actual: String, named name: String, filePath: String = #filePath,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    try compare(actual, with: directory.appendingPathComponent(name), recordVariable: "MEMSCOPE_RECORD_SNAPSHOTS",
                sourceLocation: sourceLocation)
}

/// Compares `actual` with the golden file `Tests/Fixtures/golden/<name>`: the text output
/// of a pipeline stage (`inspect`, `summary`, the report's data and page).
///
/// A change to any of them must update its golden on purpose: run the tests with
/// `MEMSCOPE_UPDATE_GOLDENS=1` to rewrite every golden that differs (or is missing), review
/// the diff with `git diff Tests/Fixtures/golden`, and commit it with the change. Rewriting
/// fails the test, so a golden never passes the run that wrote it.
public func assertGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/golden").appendingPathComponent(name)
    try compare(actual, with: url, recordVariable: "MEMSCOPE_UPDATE_GOLDENS", sourceLocation: sourceLocation)
}

private func compare(_ actual: String, with url: URL, recordVariable: String, sourceLocation: SourceLocation) throws {
    let record = ProcessInfo.processInfo.environment[recordVariable] == "1"
    let stored = try? String(contentsOf: url, encoding: .utf8)
    guard let expected = stored, !(record && expected != actual) else {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("Recorded \(url.path); run the tests again", sourceLocation: sourceLocation)
        return
    }
    if expected == actual { return }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let index = (0..<min(expectedLines.count, actualLines.count)).first { expectedLines[$0] != actualLines[$0] }
        ?? min(expectedLines.count, actualLines.count)
    let want = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
    let got = index < actualLines.count ? String(actualLines[index]) : "<end>"
    Issue.record("""
        \(url.lastPathComponent):\(index + 1) differs
          expected: \(want)
          actual:   \(got)
        re-record with \(recordVariable)=1 if the change is intended
        """, sourceLocation: sourceLocation)
}
