import Foundation
import MemscopeTestSupport
import Testing

/// Parses `summary --json` output into a dictionary.
func summaryJSON(_ path: String, _ extra: [String] = []) throws -> [String: Any] {
    let result = try run("memscope", ["summary", "--json"] + extra + [path])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    return try #require(object as? [String: Any])
}

/// The headline figures of samples/EXPECTED.md, computed by an independent reader.
let expectedFigures: [(sample: String, figures: [String: Int])] = [
    ("server-leak.msd", ["events": 16274, "allocations": 8765, "frees": 8469, "bytes_allocated": 27_049_350,
                         "peak_bytes": 1_245_077, "leaked_bytes": 207_472, "leaked_blocks": 296,
                         "temporary_allocations": 2080, "threads": 5, "errors": 0, "peak_time_ns": 28_170_537]),
    ("realloc-builder.msd", ["events": 9243, "allocations": 7133, "frees": 7130, "bytes_allocated": 2_818_502,
                             "peak_bytes": 720_530, "leaked_bytes": 1192, "leaked_blocks": 3,
                             "temporary_allocations": 6372, "threads": 1, "errors": 0, "peak_time_ns": 11_533_949]),
    ("thread-handoff.msd", ["events": 9476, "allocations": 4752, "frees": 4708, "bytes_allocated": 1_262_262,
                            "peak_bytes": 37722, "leaked_bytes": 13099, "leaked_blocks": 44,
                            "temporary_allocations": 1558, "threads": 5, "errors": 0, "cross_thread_frees": 3145]),
    ("memory-errors.msd", ["events": 160, "allocations": 79, "frees": 76, "bytes_allocated": 1_342_041,
                           "peak_bytes": 982_084, "leaked_bytes": 921_872, "leaked_blocks": 3,
                           "temporary_allocations": 40, "threads": 1, "errors": 3]),
    ("tiny.jsonl", ["events": 8, "allocations": 4, "frees": 3, "bytes_allocated": 480, "peak_bytes": 384,
                    "leaked_bytes": 256, "leaked_blocks": 1, "temporary_allocations": 1, "threads": 1, "errors": 0,
                    "peak_time_ns": 2600]),
]

@Suite struct SummaryCommandTests {
    @Test(arguments: expectedFigures.map(\.sample))
    func summaryMatchesTheIndependentFigures(sample: String) throws {
        let json = try summaryJSON(TestPaths.sample(sample))
        let expected = try #require(expectedFigures.first { $0.sample == sample }?.figures)
        for (key, value) in expected {
            #expect(json[key] as? Int == value, "\(sample): \(key)")
        }
        for key in ["format", "events", "allocations", "frees", "bytes_allocated", "peak_bytes", "peak_time_ns",
                    "leaked_bytes", "leaked_blocks", "temporary_allocations", "threads", "errors", "warnings"] {
            #expect(json[key] != nil, "\(sample) lacks \(key)")
        }
        #expect(json["format"] as? String == (sample.hasSuffix(".jsonl") ? "jsonl" : "msd"))
        #expect((json["warnings"] as? [String])?.isEmpty == true)
    }

    @Test func textSummaryNamesTheLeakAndTheEnd() throws {
        let result = try memscope("summary", TestPaths.sample("server-leak.msd"))
        #expect(result.status == 0)
        #expect(result.stdout.contains("leaked         202.6 KiB  in 296 blocks"))
        #expect(result.stdout.contains("cache_insert (src/cache.c:109)"))
        #expect(result.stdout.contains("ended          exited with status 0"))
        #expect(result.stderr.isEmpty)
        let errors = try memscope("summary", TestPaths.sample("memory-errors.msd"))
        #expect(errors.stdout.contains("killed by signal 6 (SIGABRT)"))
        #expect(errors.stdout.contains("double free ×1 at image_destroy (src/image.c:41)"))
    }

    @Test func outputIsDeterministic() throws {
        let first = try memscope("inspect", "--stage", "analyze", TestPaths.sample("server-leak.msd"))
        let second = try memscope("inspect", "--stage", "analyze", TestPaths.sample("server-leak.msd"))
        #expect(first.status == 0 && first.stdout == second.stdout && !first.stdout.isEmpty)
    }

    @Test func helpExplainsEachCommandWithAnExample() throws {
        for command in ["render", "summary", "check", "diff", "export", "inspect", "convert"] {
            let help = try memscope(command, "--help")
            #expect(help.status == 0)
            #expect(help.stdout.contains("memscope \(command) "), "\(command) --help has an example")
        }
        let root = try memscope("--help")
        #expect(root.stdout.contains("SUBCOMMANDS") && root.stdout.contains("summary"))
    }

    @Test func wrongUsageExitsWith64() throws {
        let result = try memscope("summary")
        #expect(result.status == 64)
        #expect(result.stderr.contains("Missing expected argument '<dump>'"))
        let stage = try memscope("inspect", "--stage", "paint", TestPaths.sample("tiny.jsonl"))
        #expect(stage.status == 64)
    }
}

@Suite struct GeneratedDocsTests {
    @Test(arguments: [("bash", "memscope.bash"), ("zsh", "_memscope"), ("fish", "memscope.fish")])
    func committedCompletionsAreCurrent(shell: String, file: String) throws {
        let generated = try memscope("--generate-completion-script", shell)
        #expect(generated.status == 0)
        let committed = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/completions/\(file)"), encoding: .utf8)
        #expect(generated.stdout == committed, "run scripts/generate-docs.sh")
    }

    @Test func manPageCoversEveryCommand() throws {
        let man = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("docs/man/memscope.1"), encoding: .utf8)
        for command in ["render", "summary", "check", "diff", "export", "inspect", "convert"] {
            #expect(man.contains(command), "\(command) is in the man page; run scripts/generate-docs.sh")
        }
        #expect(man.contains("--max-leaked"))
    }
}
