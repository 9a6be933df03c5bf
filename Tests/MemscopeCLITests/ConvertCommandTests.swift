import Foundation
import MemscopeTestSupport
import Testing

@Suite struct ConvertCommandTests {
    @Test(arguments: ["server-leak.msd", "memory-errors.msd", "malformed/unknown-kind.msd"])
    func binaryToTextAndBackIsByteIdentical(sample: String) throws {
        let directory = try TestPaths.temporaryDirectory()
        let text = directory.appendingPathComponent("d.jsonl").path
        let back = directory.appendingPathComponent("d.msd").path
        let zstd = directory.appendingPathComponent("d.msd.zst").path
        #expect(try memscope("convert", TestPaths.sample(sample), "-o", text).status == 0)
        #expect(try memscope("convert", text, "-o", back).status == 0)
        #expect(try memscope("convert", back, "-o", zstd, "--zstd").status == 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: TestPaths.sample(sample)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == original)
        // The compressed copy reads back to the same figures.
        var a = try summaryJSON(TestPaths.sample(sample))
        var b = try summaryJSON(zstd)
        // Warnings name the file they come from; everything else must be equal.
        #expect((a.removeValue(forKey: "warnings") as? [String])?.count == (b.removeValue(forKey: "warnings") as? [String])?.count)
        #expect(NSDictionary(dictionary: a) == NSDictionary(dictionary: b) && !a.isEmpty)
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let directory = try TestPaths.temporaryDirectory()
        let out = directory.appendingPathComponent("out.jsonl").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: out))
        let refused = try memscope("convert", TestPaths.sample("tiny.jsonl"), "-o", out)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the file exists (pass --force to overwrite it)"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep")
        #expect(try memscope("convert", TestPaths.sample("tiny.jsonl"), "-o", out, "--force").status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("{\"type\":\"header\""))
        // No temporary files are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func failedConversionLeavesNoOutput() throws {
        let directory = try TestPaths.temporaryDirectory()
        let out = directory.appendingPathComponent("never.msd").path
        let result = try run("memscope", ["convert", "samples/malformed/undefined-stack.msd", "-o", out],
                             currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func inspectParsePrintsEveryRecord() throws {
        let result = try memscope("inspect", "--stage", "parse", TestPaths.sample("tiny.jsonl"))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "format jsonl")
        #expect(lines.filter { $0.hasPrefix("#") }.count == 17)
        #expect(result.stdout.contains("alloc ts="))
    }
}
