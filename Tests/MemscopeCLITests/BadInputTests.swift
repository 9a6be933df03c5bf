import Foundation
import MemscopeTestSupport
import Testing

/// Every malformed sample and the error (or warning) it must produce.
let malformedExpectations: [(file: String, status: Int32, message: String)] = [
    ("absurd-size.msd", 1, "byte 187: error: alloc record: size 1152921504606846976 is absurd"),
    ("bad-json.jsonl", 1, "bad-json.jsonl:4:50: error: expected a quoted member name"),
    ("bad-magic.msd", 1, "byte 0: error: not a memscope dump"),
    ("bad-pointer-size.msd", 1, "byte 12: error: meta record: pointer_size is 16; expected 4 or 8"),
    ("bad-varint.msd", 1, "byte 187: error: alloc record: field 'size' is not a valid LEB128 integer"),
    ("empty.msd", 1, "empty.msd: error: the file is empty"),
    ("meta-not-first.msd", 1, "byte 12: error: expected a meta record first, found a string record"),
    ("missing-field.jsonl", 1, "missing-field.jsonl:12:1: error: alloc record lacks the field 'size'"),
    ("not-a-dump.txt", 1, "byte 0: error: not a memscope dump"),
    ("record-too-large.msd", 1, "byte 187: error: alloc record declares 16777217 payload bytes"),
    ("record-too-short.msd", 1, "byte 187: error: alloc record ends before its field 'stack'"),
    ("string-id-out-of-sequence.msd", 1, "byte 126: error: string record has id 5; expected 4"),
    ("undefined-stack.msd", 1, "byte 187: error: alloc record refers to stack 3, but only 2 are defined so far"),
    ("unsupported-version.msd", 1, "byte 8: error: unsupported .msd version 2"),
    ("truncated.msd", 0, "warning: samples/malformed/truncated.msd: byte 264: the dump is cut off inside a record of kind alloc"),
    ("unknown-kind.msd", 0, "skipped a record of kind rss_sample (0x35, reserved)"),
]

@Suite struct BadInputTests {
    @Test(arguments: malformedExpectations.map(\.file))
    func malformedSampleGivesItsError(file: String) throws {
        let expectation = try #require(malformedExpectations.first { $0.file == file })
        let result = try run("memscope", ["summary", "samples/malformed/\(file)"], currentDirectory: TestPaths.packageRoot)
        #expect(result.status == expectation.status, "\(file): \(result.stderr)")
        #expect(result.stderr.contains(expectation.message), "\(file): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("crashed"))
        if expectation.status == 1 {
            #expect(result.stderr.contains("\n  hint: "), "\(file) error has a hint")
            #expect(result.stdout.isEmpty)
        } else {
            #expect(result.stdout.contains("memscope summary of"))
        }
    }

    @Test func missingFileAndDirectory() throws {
        let missing = try memscope("summary", "/nonexistent/dump.msd")
        #expect(missing.status == 1)
        #expect(missing.stderr == "/nonexistent/dump.msd: error: cannot open the file: No such file or directory\n  hint: check the path and its permissions\n")
        let directory = try memscope("summary", "/tmp")
        #expect(directory.status == 1 && directory.stderr.contains("it is a directory"))
    }

    @Test func truncatedSampleReportsThePrefixFiguresAtEveryCut() throws {
        // Cut a real sample at many offsets: no crash, exit 0, a warning, figures of the prefix.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestPaths.sample("memory-errors.msd")))
        let directory = try TestPaths.temporaryDirectory()
        var previousEvents = -1
        for cut in stride(from: 12, to: bytes.count, by: 97) {
            let path = directory.appendingPathComponent("cut-\(cut).msd").path
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            let result = try run("memscope", ["summary", "--json", path])
            #expect(result.status == 0, "cut \(cut): \(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let events = try #require(json["events"] as? Int)
            #expect(events >= previousEvents, "cut \(cut)")
            previousEvents = events
            let warnings = try #require(json["warnings"] as? [String])
            if json["truncated"] as? Bool == true {
                #expect(warnings.contains { $0.contains("cut off") }, "cut \(cut)")
            } else {
                // Only a cut exactly between records is not truncated; before the meta record it still warns.
                #expect(warnings.allSatisfy { $0.contains("no meta record") }, "cut \(cut): \(warnings)")
            }
        }
        #expect(previousEvents > 100)
    }
}

/// Byte sums of a dump that do not fit in 64 bits (2^16 blocks of the format's largest
/// size, 2^48 bytes) are flagged, never wrapped: the CI gate cannot pass on them.
@Suite struct OverflowingFiguresTests {
    static func dump(blocks: Int) throws -> String {
        var dump = DumpBuilder()
        let stack = dump.stack("main", "hoard")
        for i in 0..<blocks {
            dump.alloc(ts: UInt64(i + 1), address: 0x1000 + UInt64(i) * 16, size: 1 << 48, stack: stack)
        }
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("huge.msd").path
        try Data(encodeBinary(dump.records)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func figuresPast64BitsAreFlaggedAndFailTheGate() throws {
        let path = try Self.dump(blocks: 65_536)
        let json = try summaryJSON(path)
        #expect(json["overflowed"] as? [String] == ["bytes_allocated", "leaked_bytes", "peak_bytes"])
        #expect(json["leaked_bytes"] as? UInt64 == UInt64.max, "saturated, not wrapped to 0")
        let text = try memscope("summary", path)
        #expect(text.stdout.contains("leaked         more than 16.0 EiB (the exact figure does not fit in 64 bits)"), "\(text.stdout)")
        let gate = try memscope("check", path, "--max-leaked", "1")
        #expect(gate.status == 3)
        #expect(gate.stdout.contains("FAIL leaked_bytes") && gate.stdout.contains("does not fit in 64 bits"), "\(gate.stdout)")
    }

    @Test func figuresJustBelow64BitsAreExact() throws {
        let path = try Self.dump(blocks: 65_535)
        let json = try summaryJSON(path)
        #expect(json["overflowed"] as? [String] == [])
        #expect(json["leaked_bytes"] as? UInt64 == 65_535 << 48)
        #expect(json["bytes_allocated"] as? UInt64 == 65_535 << 48)
    }
}

/// Times at the end of UInt64's range (a forged `ts`) render, never trap.
@Suite struct HugeTimesTests {
    @Test(arguments: [[String](), ["--window-flamegraphs", "0"], ["--to", "50%"]])
    func aTimeNear2To64Renders(options: [String]) throws {
        var dump = DumpBuilder()
        let stack = dump.stack("main", "load")
        dump.alloc(ts: 1, address: 0x10, size: 64, stack: stack)
        dump.alloc(ts: UInt64.max - 1, address: 0x20, size: 32, stack: stack)
        dump.free(ts: UInt64.max, address: 0x10)
        let directory = try TestPaths.temporaryDirectory()
        let path = directory.appendingPathComponent("late.msd").path
        try Data(encodeBinary(dump.records)).write(to: URL(fileURLWithPath: path))
        let out = directory.appendingPathComponent("late.html").path
        let render = try run("memscope", ["render", "-q", path, "-o", out] + options)
        #expect(render.status == 0, "\(render.stderr)")
        #expect(FileManager.default.fileExists(atPath: out))
        #expect(try memscope("summary", path).status == 0)
    }
}

/// A massif tree line's child count is checked: a forged count is a located error at
/// once, never a long loop or a trap.
@Suite struct MassifChildCountTests {
    @Test(arguments: ["1000000000000", "-9223372036854775808", "-1"])
    func forgedChildCountsAreLocatedErrors(count: String) throws {
        let text = "desc: (none)\ncmd: ./x\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\ntime=0\nmem_heap_B=10\n"
            + "mem_heap_extra_B=0\nmem_stacks_B=0\nheap_tree=detailed\nn\(count): 10 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("massif.out.1").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let result = try memscope("summary", "--format", "massif", path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("massif.out.1:12:2: error:") && result.stderr.contains("a child count from 0 to 1000000"),
                "\(result.stderr)")
    }
}

/// Inputs from pipes, outputs into devices and FIFOs.
@Suite struct PipesAndSpecialFilesTests {
    /// Runs `memscope ARGS` through the shell, so a pipe feeds its standard input.
    static func shell(_ command: String) throws -> ProcessResult {
        try run("/bin/sh", ["-c", command.replacingOccurrences(of: "MEMSCOPE", with: builtExecutable("memscope"))])
    }

    @Test(arguments: ["-", "/dev/stdin"])
    func aPipedDumpIsReadWhole(name: String) throws {
        let sample = TestPaths.sample("server-leak.msd")
        let piped = try Self.shell("cat '\(sample)' | MEMSCOPE summary --json \(name)")
        let direct = try memscope("summary", "--json", sample)
        #expect(piped.status == 0, "\(piped.stderr)")
        let figures = { (text: String) in
            (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]).flatMap { $0 }
                .map { [$0["allocations"] as? Int, $0["leaked_bytes"] as? Int, $0["peak_bytes"] as? Int] }
        }
        #expect(figures(piped.stdout) != nil && figures(piped.stdout)! == figures(direct.stdout)!)
    }

    /// `- < file` (standard input a regular file) is read too, and messages and figures
    /// name "standard input", never the temporary copy's path.
    @Test func standardInputIsNamedAsSuch() throws {
        let sample = TestPaths.sample("server-leak.msd")
        let redirected = try Self.shell("MEMSCOPE summary - < '\(sample)'")
        #expect(redirected.status == 0, "\(redirected.stderr)")
        #expect(redirected.stdout.hasPrefix("memscope summary of standard input (msd)"), "\(redirected.stdout)")
        let directory = try TestPaths.temporaryDirectory()
        let garbage = directory.appendingPathComponent("garbage.txt").path
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: garbage))
        for command in ["cat '\(garbage)' | MEMSCOPE summary -", "MEMSCOPE summary - < '\(garbage)'"] {
            let result = try Self.shell(command)
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.hasPrefix("standard input: byte 0: error: not a memscope dump"), "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("memscope-input-"), "\(result.stderr)")
        }
        let json = try Self.shell("cat '\(sample)' | MEMSCOPE check --json --max-leaked 1G -")
        #expect(json.stdout.contains("\"dump\":\"standard input\""), "\(json.stdout)")
    }

    @Test func aFIFOIsReadAndItsCopyRemoved() throws {
        let directory = try TestPaths.temporaryDirectory()
        let fifo = directory.appendingPathComponent("dump.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let scratch = try TestPaths.temporaryDirectory()
        let result = try Self.shell("cat '\(TestPaths.sample("tiny.jsonl"))' > '\(fifo)' & TMPDIR='\(scratch.path)' MEMSCOPE summary --json '\(fifo)'")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"allocations\""))
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        #expect(left.isEmpty, "temporary copies left: \(left)")
    }

    @Test func aDeviceOrFIFOGivenAsOutputIsWrittenNotReplaced() throws {
        let full = try memscope("render", "-q", TestPaths.sample("tiny.jsonl"), "-o", "/dev/full")
        #expect(full.status == 1 && full.stderr.contains("No space left on device"), "\(full.stderr)")
        var info = stat()
        #expect(stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "/dev/full is still a device")
        let directory = try TestPaths.temporaryDirectory()
        let fifo = directory.appendingPathComponent("report.fifo").path
        let copy = directory.appendingPathComponent("report.html").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try Self.shell("cat '\(fifo)' > '\(copy)' & MEMSCOPE render -q '\(TestPaths.sample("tiny.jsonl"))' -o '\(fifo)'; wait")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(stat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the FIFO is still a FIFO")
        #expect(try String(contentsOfFile: copy, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    }
}

/// An interrupted output leaves nothing behind: its temporary file is removed on SIGTERM,
/// and memscope still dies of the signal.
@Suite struct InterruptedOutputTests {
    @Test(arguments: [SIGTERM, SIGINT])
    func theTemporaryFileIsRemoved(signal: Int32) throws {
        let directory = try TestPaths.temporaryDirectory()
        let generated = try run("memscope-bench", ["--generate", "1000000", "--out", directory.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        let dump = directory.appendingPathComponent("bench-1000000.msd").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: builtExecutable("memscope"))
        process.arguments = ["convert", dump, "-o", directory.appendingPathComponent("out.jsonl").path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        func temporaryFiles() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".out.jsonl.tmp-") }
        }
        let deadline = Date().addingTimeInterval(10)
        while try temporaryFiles().isEmpty && process.isRunning && Date() < deadline { usleep(5_000) }
        try #require(process.isRunning, "the conversion ended before it could be interrupted")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal)
        #expect(try temporaryFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.jsonl").path))
    }
}

/// Inputs that once trapped (Tests/Fixtures/fuzz, each named `TARGET--…` after the fuzz
/// target that found it, see Sources/memscope-fuzz) and every malformed sample, replayed
/// through every reader alone, the whole pipeline (read as detected, and as each other
/// tool's file), the analysis and the report: none may trap.
@Suite struct FuzzReplayTests {
    static let targets = ["msd", "jsonl", "heaptrack", "massif", "dhat", "memscope-rs-json", "memscope-rs-binary", "folded",
                          "analysis", "report", "pipeline"]

    @Test func findingsAndMalformedSamplesReplayWithoutATrap() throws {
        let fixtures = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/fuzz")
        let found = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).sorted()
        for name in found {
            let target = name.components(separatedBy: "--").first ?? ""
            #expect(name.contains("--") && Self.targets.contains(target), "\(name) names no fuzz target")
        }
        var inputs = found.map { fixtures.appendingPathComponent($0).path }
        let malformed = TestPaths.packageRoot.appendingPathComponent("samples/malformed")
        let directory = try TestPaths.temporaryDirectory()
        for name in try FileManager.default.contentsOfDirectory(atPath: malformed.path).sorted() {
            let bytes = try Data(contentsOf: malformed.appendingPathComponent(name))
            for reader: UInt8 in [0, 3, 4, 5, 6, 7] {  // the pipeline: detected, and as each other tool's file
                let path = directory.appendingPathComponent("pipeline--\(reader)-\(name)").path
                try (Data([reader]) + bytes).write(to: URL(fileURLWithPath: path))
                inputs.append(path)
            }
            for target in Self.targets where target != "pipeline" {
                let path = directory.appendingPathComponent("\(target)--\(name)").path
                try bytes.write(to: URL(fileURLWithPath: path))
                inputs.append(path)
            }
        }
        #expect(inputs.count > 200)
        let result = try run("memscope-fuzz", inputs)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("memscope-fuzz: \(inputs.count) inputs replayed ("), "\(result.stdout)")
        #expect(result.stdout.contains("), none trapped"), "\(result.stdout)")
        for target in Self.targets {
            #expect(result.stdout.contains("\(target) "), "\(target) replayed nothing: \(result.stdout)")
        }
    }
}

/// Input limits (README, "Limits"): each hit is exit 1 with a message naming the limit and
/// the option that raises it; raised, the same input reads.
@Suite struct InputLimitTests {
    func expectLimit(_ arguments: [String], name: String, _ found: String) throws {
        let result = try run("memscope", arguments)
        #expect(result.status == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(found), "\(result.stderr)")
        #expect(result.stderr.contains("hint: if the input is genuine, raise the limit with --limit \(name)=N"), "\(result.stderr)")
        #expect(!result.stderr.contains("Error:"), "printed as memscope's own error, not the argument parser's")
    }

    @Test func eachLimitOfAnEventDumpIsNamed() throws {
        let dump = TestPaths.sample("server-leak.msd")
        try expectLimit(["summary", "--limit", "records=500", dump], name: "records", "more than 500 records")
        try expectLimit(["summary", "--limit", "frames=3", dump], name: "frames", "has more than 3 frames")
        try expectLimit(["summary", "--limit", "strings=8", dump], name: "strings", "bytes long: past the limit of 8 bytes of one string")
        try expectLimit(["render", "--limit", "stacks=2", dump, "-o", try TestPaths.temporaryDirectory().appendingPathComponent("r.html").path],
                        name: "stacks", "more than 2 call stacks")
        try expectLimit(["summary", "--limit", "threads=1", TestPaths.sample("thread-handoff.msd")], name: "threads",
                        "more than 1 distinct thread ids")
        // Raised (or left at the default), the same dump reads.
        #expect(try memscope("summary", "--limit", "records=1G", "--limit", "frames=100", dump).status == 0)
    }

    @Test func importsHaveTheirLimits() throws {
        let dhat = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/imports").path
        let files = try FileManager.default.contentsOfDirectory(atPath: dhat)
        let dhatFile = try #require(files.sorted().first { $0.hasPrefix("dhat") && !$0.contains("bad") })
        try expectLimit(["summary", "--limit", "json-depth=1", dhat + "/" + dhatFile], name: "json-depth",
                        "arrays and objects nested more than 1 deep")
        try expectLimit(["summary", "--limit", "dhat-points=1", dhat + "/" + dhatFile], name: "dhat-points", "more than 1 program points")
        let massif = try #require(files.sorted().first { $0.hasPrefix("massif") && !$0.contains("bad") })
        try expectLimit(["summary", "--limit", "massif-snapshots=1", dhat + "/" + massif], name: "massif-snapshots",
                        "more than 1 snapshots")
    }
}
