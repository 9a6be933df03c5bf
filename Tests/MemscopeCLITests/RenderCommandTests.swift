import Foundation
import MemscopeTestSupport
import Testing

@Suite struct RenderCommandTests {
    @Test(arguments: ["server-leak.msd", "realloc-builder.msd", "thread-handoff.msd", "memory-errors.msd", "tiny.jsonl"])
    func rendersEverySample(sample: String) throws {
        let directory = try TestPaths.temporaryDirectory()
        let out = directory.appendingPathComponent("report.html").path
        let result = try memscope("render", TestPaths.sample(sample), "-o", out)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Wrote \(out) ("))
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.utf8.count < 5_000_000)
        #expect(html.contains("data:image/png;base64,"))
        #expect(html.contains("<svg"))
    }

    @Test func refusesToOverwriteAndDerivesTheDefaultName() throws {
        let directory = try TestPaths.temporaryDirectory()
        let first = try run("memscope", ["render", TestPaths.sample("tiny.jsonl")], currentDirectory: directory)
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("Wrote memscope-tiny.html ("))
        let again = try run("memscope", ["render", TestPaths.sample("tiny.jsonl")], currentDirectory: directory)
        #expect(again.status == 1)
        #expect(again.stderr.contains("memscope-tiny.html: error: cannot write the file: the file exists (pass --force to overwrite it)"))
        let forced = try run("memscope", ["render", "--force", "-q", TestPaths.sample("tiny.jsonl")], currentDirectory: directory)
        #expect(forced.status == 0 && forced.stdout.isEmpty)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names == ["memscope-tiny.html"])
    }

    @Test func sameInputGivesByteIdenticalReports() throws {
        let directory = try TestPaths.temporaryDirectory()
        let a = directory.appendingPathComponent("a.html").path
        let b = directory.appendingPathComponent("b.html").path
        #expect(try memscope("render", TestPaths.sample("server-leak.msd"), "-o", a).status == 0)
        #expect(try memscope("render", TestPaths.sample("server-leak.msd"), "-o", b).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }

    @Test func imagesAreWrittenAsPNGAndSVG() throws {
        let directory = try TestPaths.temporaryDirectory()
        let images = directory.appendingPathComponent("pictures").path
        let result = try memscope("render", TestPaths.sample("server-leak.msd"), "-o",
                                  directory.appendingPathComponent("r.html").path, "--images", images)
        #expect(result.status == 0)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: images))
        for name in ["timeline", "lifetimes", "lanes", "flamegraph-peak-top-down", "flamegraph-leaked-bottom-up"] {
            #expect(names.contains("\(name).png") && names.contains("\(name).svg"), "\(name)")
        }
        let png = try Data(contentsOf: URL(fileURLWithPath: "\(images)/timeline.png"))
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }

    @Test func badInputLeavesNoReport() throws {
        let directory = try TestPaths.temporaryDirectory()
        let out = directory.appendingPathComponent("r.html").path
        let result = try run("memscope", ["render", "samples/malformed/bad-varint.msd", "-o", out], currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad-varint.msd: byte 187: error:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
