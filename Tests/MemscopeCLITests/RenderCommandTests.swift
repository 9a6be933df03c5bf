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
        #expect(again.stderr.contains("hint: memscope never overwrites a file unless told to: add --force, or choose another output path"))
        #expect(!again.stderr.contains("free space"))
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

@Suite struct CheckAndExportTests {
    @Test func checkPassesAndFailsWithDistinctExitCodes() throws {
        let ok = try memscope("check", TestPaths.sample("server-leak.msd"), "--max-leaked", "1MiB", "--max-peak", "200MiB", "--max-errors", "0")
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("ok   leaked_bytes: 202.6 KiB (207,472 bytes); limit ≤ 1.0 MiB"))
        #expect(ok.stdout.hasSuffix("All 3 limits hold.\n"))
        let bad = try memscope("check", TestPaths.sample("memory-errors.msd"), "--max-errors", "0", "--max-leaked", "900KiB")
        #expect(bad.status == 3)
        #expect(bad.stdout.contains("FAIL errors: 3; limit ≤ 0; exceeded by 3"))
        #expect(bad.stdout.contains("FAIL leaked_bytes: 900.3 KiB (921,872 bytes); limit ≤ 900.0 KiB; exceeded by 272 B"))
        let usage = try memscope("check", TestPaths.sample("tiny.jsonl"))
        #expect(usage.status == 64)
        let unreadable = try memscope("check", "/nonexistent.msd", "--max-errors", "0")
        #expect(unreadable.status == 1)
    }

    @Test func baselineGrowthAndJSON() throws {
        let result = try memscope("check", TestPaths.sample("memory-errors.msd"), "--baseline", TestPaths.sample("server-leak.msd"),
                                  "--max-growth", "10%", "--json")
        #expect(result.status == 3)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Bool == false)
        let checks = object?["checks"] as? [[String: Any]] ?? []
        let leaked = checks.first { $0["metric"] as? String == "leaked_bytes growth" }
        #expect(leaked?["passed"] as? Bool == false)
        #expect(leaked?["detail"] as? String == "+344.3% over the baseline's 202.6 KiB")
        let peak = checks.first { $0["metric"] as? String == "peak_bytes growth" }
        #expect(peak?["passed"] as? Bool == true)
    }

    @Test(arguments: ["1.5MiB", "1572864", "1536K", "1.5 MiB"])
    func sizesTakeUnits(size: String) throws {
        // tiny.jsonl peaks at 384 bytes: every spelling of 1.5 MiB passes, and 300 B fails.
        #expect(try memscope("check", TestPaths.sample("tiny.jsonl"), "--max-peak", size).status == 0)
        #expect(try memscope("check", TestPaths.sample("tiny.jsonl"), "--max-peak", "300B").status == 3)
    }

    @Test func exportWritesEveryTableDeterministically() throws {
        let a = try TestPaths.temporaryDirectory().path
        let b = try TestPaths.temporaryDirectory().path
        #expect(try memscope("export", "--csv", a, TestPaths.sample("server-leak.msd")).status == 0)
        #expect(try memscope("export", "--csv", b, TestPaths.sample("server-leak.msd")).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
        #expect(names == ["cross_thread.csv", "errors.csv", "leaks.csv", "lifetimes.csv", "module_hand_offs.csv", "modules.csv", "sites.csv",
                          "summary.json", "threads.csv", "timeline.csv"])
        for name in names {
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(a)/\(name)")) == Data(contentsOf: URL(fileURLWithPath: "\(b)/\(name)")))
        }
        let leaks = try String(contentsOfFile: "\(a)/leaks.csv", encoding: .utf8).split(separator: "\r\n")
        #expect(leaks.first == "stack_id,site,leaked_bytes,leaked_blocks,allocations,stack")
        #expect(leaks.count == 2)
        #expect(leaks[1].contains(",207472,296,360,"))
        let summary = try String(contentsOfFile: "\(a)/summary.json", encoding: .utf8)
        #expect(summary == (try memscope("summary", "--json", TestPaths.sample("server-leak.msd")).stdout))
    }
}

@Suite struct BatchRenderTests {
    @Test func rendersEachDumpAndAnIndexAndReportsFailuresAtTheEnd() throws {
        let directory = try TestPaths.temporaryDirectory().appendingPathComponent("out").path
        let result = try run("memscope", ["render", "samples/tiny.jsonl", "samples/server-leak.msd", "samples/malformed/empty.msd",
                                          "samples/tiny.jsonl", "-o", directory], currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 1)
        #expect(result.stderr.contains("samples/malformed/empty.msd: error: the file is empty"))
        #expect(result.stdout.contains("Wrote \(directory)/index.html (3 of 4 reports)"))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        #expect(names == ["index.html", "memscope-tiny.html", "memscope-server-leak.html", "memscope-tiny-2.html"])
        let index = try String(contentsOfFile: "\(directory)/index.html", encoding: .utf8)
        #expect(index.contains("<a href=\"memscope-server-leak.html\">samples/server-leak.msd</a>"))
        #expect(index.contains("202.6 KiB"))
        #expect(index.contains("failed: samples/malformed/empty.msd: error: the file is empty"))
        #expect(index.contains("default-src 'none'"))
    }

    /// `-o out/` (as a user types it) prints out/index.html, not out//index.html.
    @Test func aDirectoryGivenWithItsSlashIsPrintedWithOne() throws {
        let directory = try TestPaths.temporaryDirectory().appendingPathComponent("out").path + "/"
        let result = try run("memscope", ["render", "samples/tiny.jsonl", "samples/server-leak.msd", "-o", directory],
                             currentDirectory: TestPaths.packageRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Wrote \(directory)memscope-tiny.html\n"), "\(result.stdout)")
        #expect(result.stdout.contains("Wrote \(directory)index.html (2 of 2 reports)"), "\(result.stdout)")
        #expect(!result.stdout.contains("//"))
    }
}

@Suite struct DiffCommandTests {
    @Test func diffJSONShowsTheLeakAsTheRegression() throws {
        let result = try memscope("diff", "--json", TestPaths.sample("server-fixed.msd"), TestPaths.sample("server-leak.msd"))
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let deltas = try #require(object["deltas"] as? [String: [String: Any]])
        #expect(deltas["leaked_bytes"]?["base"] as? Int == 0)
        #expect(deltas["leaked_bytes"]?["new"] as? Int == 207_472)
        #expect(deltas["leaked_bytes"]?["delta"] as? Int == 207_472)
        #expect(deltas["allocations"]?["delta"] as? Int == 0)
        let sites = try #require(object["sites"] as? [[String: Any]])
        #expect((sites.first?["site"] as? String)?.hasPrefix("cache_insert (src/cache.c:103)") == true)
        let new = try #require(sites.first?["new"] as? [String: Int])
        #expect(new["leaked_bytes"] == 207_472)
    }

    @Test func diffReportIsOfflineAndDrawn() throws {
        let out = try TestPaths.temporaryDirectory().appendingPathComponent("diff.html").path
        let result = try memscope("diff", TestPaths.sample("server-fixed.msd"), TestPaths.sample("server-leak.msd"), "-o", out)
        #expect(result.status == 0)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("default-src 'none'"))
        #expect(html.matches(of: /data:image\/png;base64,/).count == 5)
        // The page opens on the cost that changed most: leaked bytes, from nothing.
        #expect(html.contains("data-cost=\"leaked\" aria-pressed=\"true\""))
        let again = try memscope("diff", TestPaths.sample("server-fixed.msd"), TestPaths.sample("server-leak.msd"), "-o", out)
        #expect(again.status == 1 && again.stderr.contains("pass --force"))
    }
}

@Suite struct NightlyScriptTests {
    @Test func nightlyScriptFailsOnTheRegressionAndPassesOnTheBaseline() throws {
        let binary = builtExecutable("memscope")
        let out = try TestPaths.temporaryDirectory().path
        var environment = ProcessInfo.processInfo.environment
        environment["MEMSCOPE"] = binary
        environment["OUT"] = out
        let script = TestPaths.packageRoot.appendingPathComponent("samples/nightly.sh").path
        let regression = try run(script, [], environment: environment, currentDirectory: TestPaths.packageRoot)
        #expect(regression.status == 3, "\(regression.stderr)")
        #expect(regression.stdout.contains("FAIL leaked_bytes growth"))
        let clean = try run(script, ["samples/server-fixed.msd"], environment: environment, currentDirectory: TestPaths.packageRoot)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("All 6 limits hold."))
        for file in ["report.html", "diff.html", "tables/sites.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file)")
        }
    }
}

@Suite struct SuppressionCommandTests {
    @Test func suppressionsMoveLeaksAndShowInTheReport() throws {
        let directory = try TestPaths.temporaryDirectory()
        let file = directory.appendingPathComponent("lsan.supp").path
        try Data("# known: ticket 42\nleak:cache_insert\n".utf8).write(to: URL(fileURLWithPath: file))
        let json = try memscope("summary", "--json", "--suppressions", file, TestPaths.sample("server-leak.msd"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["leaked_bytes"] as? Int == 0)
        #expect(object["suppressed_bytes"] as? Int == 207_472)
        #expect(object["suppressed_blocks"] as? Int == 296)
        let check = try memscope("check", "--suppressions", file, TestPaths.sample("server-leak.msd"), "--max-leaked", "0")
        #expect(check.status == 0)
        let out = directory.appendingPathComponent("r.html").path
        #expect(try memscope("render", "-q", "--suppressions", file, TestPaths.sample("server-leak.msd"), "-o", out).status == 0)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("Suppressed leaks") && html.contains("<code>leak:cache_insert</code> (line 2)"))
        try Data("leak cache_insert\n".utf8).write(to: URL(fileURLWithPath: file))
        let bad = try memscope("summary", "--suppressions", file, TestPaths.sample("server-leak.msd"))
        #expect(bad.status == 1 && bad.stderr.contains("lsan.supp:1:1: error: expected a suppression such as leak:PATTERN"))
    }
}

@Suite struct ScopeOptionTests {
    @Test func windowsAndThreadsRestrictEveryCommand() throws {
        let json = try memscope("summary", "--json", "--from", "50%", "--to", "30ms", TestPaths.sample("server-leak.msd"))
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["scope"] as? String)?.hasPrefix("from 18.5 ms to 30.0 ms") == true)
        #expect((object["duration_ns"] as? Int ?? .max) <= 30_000_000)
        let out = try TestPaths.temporaryDirectory().appendingPathComponent("t.html").path
        #expect(try memscope("render", "-q", "--thread", "4243", TestPaths.sample("server-leak.msd"), "-o", out).status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("Restricted view:</strong> blocks allocated by thread 4243"))
        let bad = try memscope("summary", "--from", "12 parsecs", TestPaths.sample("server-leak.msd"))
        #expect(bad.status == 64)
    }
}

@Suite struct UnavailableFiguresTests {
    @Test func importedInputsMarkWhatTheyCannotHave() throws {
        let massif = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/imports/massif.out.workload").path
        let json = try memscope("summary", "--json", massif)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let unavailable = try #require(object["unavailable"] as? [String])
        #expect(unavailable.contains("allocations") && unavailable.contains("lifetimes") && !unavailable.contains("peak_bytes"))
        let out = try TestPaths.temporaryDirectory().appendingPathComponent("m.html").path
        #expect(try memscope("render", "-q", massif, "-o", out).status == 0)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("<div class=\"label\">Allocation calls</div><div class=\"value\">—</div><div class=\"detail\">not in this input</div>"))
        #expect(html.contains("This input records no block lifetimes"))
        let own = try memscope("summary", "--json", TestPaths.sample("tiny.jsonl"))
        #expect(own.stdout.contains("\"unavailable\":[]"))
        #expect(html.contains("<section id=\"ownership\">") && html.contains("names no blocks by address and thread"))
    }

    /// The ownership section with and without inference, and left out on request.
    @Test func ownershipSectionHonoursNoInference() throws {
        let dir = try TestPaths.temporaryDirectory()
        let dump = TestPaths.sample("realloc-builder.msd")
        let full = dir.appendingPathComponent("full.html").path, plain = dir.appendingPathComponent("plain.html").path
        #expect(try memscope("render", "-q", dump, "-o", full).status == 0)
        #expect(try memscope("render", "-q", "--no-inference", dump, "-o", plain).status == 0)
        let a = try String(contentsOfFile: full, encoding: .utf8), b = try String(contentsOfFile: plain, encoding: .utf8)
        func section(_ html: String) -> Substring {
            guard let start = html.range(of: "<section id=\"ownership\">") else { return "" }
            return html[start.lowerBound...].split(separator: "</section>").first ?? ""
        }
        #expect(section(a).contains("<td>owns</td>"))
        #expect(section(a).contains("(inferred type)") || a.contains("container types recognised"))
        #expect(!section(b).contains("<td>owns</td>") && !section(b).contains(">inferred</span>"))
        #expect(section(b).contains("<td>reallocates</td>"), "observed edges stay")
        #expect(b.contains("Inference is off"))
        #expect(b.contains("none: inference is off (--no-inference)"))
        let none = dir.appendingPathComponent("none.html").path
        #expect(try memscope("render", "-q", "--no-ownership", dump, "-o", none).status == 0)
        #expect(try String(contentsOfFile: none, encoding: .utf8).contains("Left out (--no-ownership)."))
        let both = try memscope("render", "-q", "--ownership", "--no-ownership", dump, "-o", none, "--force")
        #expect(both.status == 64 && both.stderr.contains("contradict"))
    }
}

@Suite struct RecordedSampleReportTests {
    @Test func leakKindsShowAsObservedWithTheirCaveat() throws {
        let out = try TestPaths.temporaryDirectory().appendingPathComponent("r.html").path
        #expect(try memscope("render", "-q", TestPaths.sample("recorded/minihttpd.msd"), "-o", out).status == 0)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("<span class=\"badge inferred\">observed</span> Leak kinds"))
        #expect(html.contains("<strong>definitely lost</strong> 7.8 KiB in 40 blocks"))
        #expect(html.contains("Caveat: "))
    }

    /// The page's per-thread flamegraphs come from analyses restricted to one thread: their
    /// totals must equal what `summary --thread` says about the same thread.
    @Test func threadFlamegraphsAgreeWithSummaryOfThatThread() throws {
        let directory = try TestPaths.temporaryDirectory()
        let out = directory.appendingPathComponent("r.html").path
        let sample = TestPaths.sample("server-leak.msd")
        #expect(try memscope("render", sample, "-o", out, "--thread-flamegraphs", "3").status == 0)
        let data = try flameData(out)
        let threads = try #require(data["threads"] as? [[String: Any]])
        #expect(threads.count == 3)
        let costs = try #require(data["costs"] as? [[String: Any]]).map { $0["key"] as? String ?? "" }
        var previousAllocated = Int.max
        for thread in threads {
            let id = try #require(Int(thread["key"] as? String ?? ""))
            #expect((thread["label"] as? String)?.hasPrefix("thread \(id)") == true)
            let summary = try JSONSerialization.jsonObject(
                with: Data(try memscope("summary", "--json", "--thread", String(id), sample).stdout.utf8)) as? [String: Any]
            let tree = try #require((thread["trees"] as? [String: Any])?["top-down"] as? [String: Any])
            let values = try #require(tree["values"] as? [[Int]])
            func root(_ key: String) -> Int { values[costs.firstIndex(of: key)!][0] }
            #expect(root("peak") == summary?["peak_bytes"] as? Int, "thread \(id) peak")
            #expect(root("allocated") == summary?["bytes_allocated"] as? Int, "thread \(id) bytes")
            #expect(root("allocations") == summary?["allocations"] as? Int, "thread \(id) calls")
            #expect(root("leaked") == summary?["leaked_bytes"] as? Int, "thread \(id) leaked")
            #expect(root("allocated") <= previousAllocated, "threads ordered by bytes allocated")
            previousAllocated = root("allocated")
        }
        #expect(try memscope("render", sample, "-o", out, "--force", "--thread-flamegraphs", "0").status == 0)
        #expect((try flameData(out)["threads"] as? [Any])?.isEmpty == true, "--thread-flamegraphs 0: none")
        let without = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!without.contains("id=\"flame-thread\""))
        #expect(without.contains("No per-thread flamegraphs in this report"), "the page says how to get them")
        #expect(try memscope("render", sample, "-o", out, "--force").status == 0)
        #expect((try flameData(out)["threads"] as? [Any])?.count == 4, "a small dump has four by default")
        #expect(try memscope("render", sample, "-o", out, "--force", "--thread-flamegraphs", "-1").status == 64)
        #expect(try memscope("render", sample, "-o", out, "--force", "--thread", "4243").status == 0)
        #expect((try flameData(out)["threads"] as? [Any])?.isEmpty == true, "a one-thread report has no thread views")
    }

    private func flameData(_ path: String) throws -> [String: Any] {
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let match = try #require(html.firstMatch(of: /<script type="application\/json" id="flame-data">([^<]*)<\/script>/))
        return try #require(try JSONSerialization.jsonObject(with: Data(String(match.1).utf8)) as? [String: Any])
    }

    /// The window picker's flamegraphs are analyses of time windows: each one's totals must
    /// equal what `summary --from --to` says about the same window.
    @Test func windowFlamegraphsAgreeWithSummaryOfThatWindow() throws {
        let directory = try TestPaths.temporaryDirectory()
        let out = directory.appendingPathComponent("r.html").path
        let sample = TestPaths.sample("thread-handoff.msd")
        #expect(try memscope("render", sample, "-o", out, "--window-flamegraphs", "4", "--thread-flamegraphs", "0").status == 0)
        let whole = try #require(try JSONSerialization.jsonObject(
            with: Data(try memscope("summary", "--json", sample).stdout.utf8)) as? [String: Any])
        let duration = try #require(whole["duration_ns"] as? Int)
        let peakTime = try #require(whole["peak_time_ns"] as? Int)
        let data = try flameData(out)
        #expect((data["threads"] as? [Any])?.isEmpty == true)
        let windows = try #require(data["windows"] as? [[String: Any]])
        #expect(windows.map { $0["key"] as? String ?? "" } == ["1", "2", "3", "4", "peak"])
        let costs = try #require(data["costs"] as? [[String: Any]]).map { $0["key"] as? String ?? "" }
        let width = duration / 4
        let peakStart = min(max(peakTime - width / 2, 0), duration - width)
        let bounds = (0..<4).map { (duration * $0 / 4, duration * ($0 + 1) / 4) } + [(peakStart, peakStart + width)]
        var allocatedInSlices = 0
        for (window, (from, to)) in zip(windows, bounds) {
            let summary = try #require(try JSONSerialization.jsonObject(
                with: Data(try memscope("summary", "--json", "--from", "\(from)ns", "--to", "\(to)ns", sample).stdout.utf8))
                as? [String: Any])
            let tree = try #require((window["trees"] as? [String: Any])?["bottom-up"] as? [String: Any])
            let values = try #require(tree["values"] as? [[Int]])
            func root(_ key: String) -> Int { values[costs.firstIndex(of: key)!][0] }
            let key = window["key"] as? String ?? "?"
            #expect(root("allocated") == summary["bytes_allocated"] as? Int, "window \(key) bytes")
            #expect(root("allocations") == summary["allocations"] as? Int, "window \(key) calls")
            #expect(root("peak") == summary["peak_bytes"] as? Int, "window \(key) [\(from), \(to)] peak")
            #expect(root("leaked") == summary["leaked_bytes"] as? Int, "window \(key) live at its end")
            if key != "peak" { allocatedInSlices += root("allocations") }
        }
        #expect(allocatedInSlices == whole["allocations"] as? Int, "the slices partition the run's allocation calls")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("<option value=\"peak\">around the peak: "))
        #expect(try memscope("render", sample, "-o", out, "--force", "--window-flamegraphs", "0").status == 0)
        #expect((try flameData(out)["windows"] as? [Any])?.isEmpty == true)
        #expect(try memscope("render", sample, "-o", out, "--force", "--from", "10%").status == 0)
        #expect((try flameData(out)["windows"] as? [Any])?.isEmpty == true, "a windowed report has no window picker")
    }

    /// The every-frame toggle's trees are the whole run's without a frame filter: the same
    /// totals, more frames; absent when the report already shows every frame.
    @Test func everyFrameTreesKeepTheTotals() throws {
        let directory = try TestPaths.temporaryDirectory()
        let out = directory.appendingPathComponent("r.html").path
        let sample = TestPaths.sample("server-leak.msd")
        #expect(try memscope("render", sample, "-o", out).status == 0)
        let data = try flameData(out)
        let all = try #require((data["allFrames"] as? [String: Any])?["trees"] as? [String: Any])
        let filtered = try #require(data["trees"] as? [String: Any])
        for direction in ["top-down", "bottom-up"] {
            let a = try #require(all[direction] as? [String: Any]), f = try #require(filtered[direction] as? [String: Any])
            let aValues = try #require(a["values"] as? [[Int]]), fValues = try #require(f["values"] as? [[Int]])
            #expect(aValues.map { $0[0] } == fValues.map { $0[0] }, "\(direction): totals per cost")
            #expect((a["parent"] as? [Int])?.count ?? 0 > (f["parent"] as? [Int])?.count ?? .max, "\(direction): more frames")
        }
        #expect(try memscope("render", sample, "-o", out, "--force", "--all-frames").status == 0)
        #expect(try flameData(out)["allFrames"] is NSNull, "--all-frames: the flamegraphs already show every frame")
        #expect(!(try String(contentsOfFile: out, encoding: .utf8)).contains("id=\"flame-all-frames\""))
    }
}
