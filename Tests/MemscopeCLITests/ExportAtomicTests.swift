import Foundation
import MemscopeTestSupport
import Testing

/// `export --csv` writes every file or none: a write that fails (here: the file-size limit,
/// as a full disk would) leaves neither a partial directory nor partial or temporary files.
@Suite struct ExportAtomicTests {
    /// Runs memscope under `ulimit -f` (1 KiB blocks) with SIGXFSZ ignored, so that writes
    /// past the limit fail with EFBIG instead of killing it.
    func exportLimited(_ directory: String, blocks: Int) throws -> ProcessResult {
        let memscope = builtExecutable("memscope")
        return try run("bash", ["-c", "trap '' XFSZ; ulimit -f \(blocks); exec \"$0\" export --csv \"$1\" \"$2\"",
                                memscope, directory, TestPaths.sample("server-leak.msd")])
    }

    @Test func aFailedExportLeavesNoNewDirectory() throws {
        let directory = try TestPaths.temporaryDirectory().appendingPathComponent("out").path
        let result = try exportLimited(directory, blocks: 1)
        #expect(result.status == 1)
        #expect(result.stderr.contains("File too large"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func aFailedExportLeavesAnExistingDirectoryAsItWas() throws {
        let directory = try TestPaths.temporaryDirectory().appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "old\n".write(toFile: directory + "/sites.csv", atomically: false, encoding: .utf8)
        try "mine\n".write(toFile: directory + "/notes.txt", atomically: false, encoding: .utf8)
        let result = try exportLimited(directory, blocks: 1)
        #expect(result.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["notes.txt", "sites.csv"])
        #expect(try String(contentsOfFile: directory + "/sites.csv", encoding: .utf8) == "old\n")
        // With room, every file is written and the user's own file stays.
        let written = try exportLimited(directory, blocks: 100_000)
        #expect(written.status == 0, "\(written.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.count == 11 && names.contains("notes.txt") && !names.contains { $0.hasPrefix(".") })
    }

    @Test func aFileInTheWayIsNamed() throws {
        let file = try TestPaths.temporaryDirectory().appendingPathComponent("plain").path
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        let result = try memscope("export", "--csv", file, TestPaths.sample("server-leak.msd"))
        #expect(result.status == 1)
        #expect(result.stderr.contains("it is not a directory (hint: --csv names a directory"), "\(result.stderr)")
    }
}

/// An input whose events all share one time (heaptrack's 10 ms stamps on a short run) has
/// no rate per second and no memory-over-time picture, and the page says why.
@Suite struct SingleInstantReportTests {
    @Test func noRateAndNoTimelineForASingleInstant() throws {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("h.html").path
        let input = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/imports/heaptrack.workload.zst").path
        let result = try memscope("render", input, "-o", path, "-q")
        #expect(result.status == 0, "\(result.stderr)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("Every event of this input carries the same time"))
        #expect(!html.contains("id=\"timeline-surface\""))
        #expect(!html.contains("/s</div>"), "no calls per second over a zero duration")
    }
}

/// `render --images` on a disk that fills (here: the file-size limit) is a located error with
/// a hint, and writes neither the report nor a part of the pictures.
@Suite struct ImagesFullDiskTests {
    @Test func aFailedPictureWritesNoReport() throws {
        let directory = try TestPaths.temporaryDirectory()
        let report = directory.appendingPathComponent("r.html").path
        let images = directory.appendingPathComponent("pictures").path
        let memscope = builtExecutable("memscope")
        let result = try run("bash", ["-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" render -q \"$1\" -o \"$2\" --images \"$3\"",
                                      memscope, TestPaths.sample("server-leak.msd"), report, images])
        #expect(result.status == 1)
        #expect(result.stderr.contains("File too large") && result.stderr.contains("hint:"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
        #expect(!FileManager.default.fileExists(atPath: report))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: images)) ?? []).isEmpty, "no partial pictures")
    }
}
