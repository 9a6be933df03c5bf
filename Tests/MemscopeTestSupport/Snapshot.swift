import Foundation
import Testing

/// Compares `actual` with the golden file `Snapshots/<name>` next to the calling test file.
///
/// Records the golden when it is missing or when `MEMSCOPE_RECORD_SNAPSHOTS=1`, and then
/// fails, so a new baseline never passes silently. On a mismatch, reports the first
/// differing line.
public func assertSnapshot(_ actual: String, named name: String, filePath: String = #filePath,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
    let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = directory.appendingPathComponent(name)
    let record = ProcessInfo.processInfo.environment["MEMSCOPE_RECORD_SNAPSHOTS"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("Recorded new snapshot \(url.path); run the tests again", sourceLocation: sourceLocation)
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
        re-record with MEMSCOPE_RECORD_SNAPSHOTS=1 if the change is intended
        """, sourceLocation: sourceLocation)
}
