import Foundation
import MemscopeTestSupport
import Testing

/// `make install PREFIX=…` gives a memscope that works with no build tree beside it: the
/// report templates are compiled into the binary, and the recorder's preload library sits
/// in PREFIX/lib/memscope.
@Suite struct InstallTests {
    @Test func installedBinaryRendersFromAnywhere() throws {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let prefix = root.appendingPathComponent("prefix")
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        // The binaries under test, not a fresh release build.
        let built = URL(fileURLWithPath: builtExecutable("memscope")).deletingLastPathComponent().path
        let install = try run("make", ["-C", TestPaths.packageRoot.path, "install", "PREFIX=\(prefix.path)", "BUILT=\(built)"])
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")

        let files = try FileManager.default.subpathsOfDirectory(atPath: prefix.path).sorted()
        #expect(files == ["bin", "bin/memscope", "lib", "lib/memscope", "lib/memscope/libmemscope-preload.so"])

        let installed = prefix.appendingPathComponent("bin/memscope").path
        let sample = TestPaths.sample("server-leak.msd")
        let result = try run(installed, ["render", sample, "-o", "report.html"], currentDirectory: elsewhere)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try String(contentsOf: elsewhere.appendingPathComponent("report.html"), encoding: .utf8)
        // The same page as the build tree's binary writes.
        let reference = root.appendingPathComponent("reference.html").path
        #expect(try memscope("render", sample, "-o", reference).status == 0)
        #expect(report == (try String(contentsOfFile: reference, encoding: .utf8)))

        let diff = try run(installed, ["diff", TestPaths.sample("server-fixed.msd"), sample, "-o", "diff.html"], currentDirectory: elsewhere)
        #expect(diff.status == 0, "\(diff.stderr)")

        // The recorder finds its library in PREFIX/lib/memscope.
        let record = try run(installed, ["record", "-o", "true.msd", "--", "/bin/true"], currentDirectory: elsewhere)
        #expect(record.status == 0, "\(record.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("true.msd").path))
    }
}
