import ArgumentParser
import MemscopeAnalysis
import MemscopeRender
import MemscopeTestSupport
import Testing
@testable import memscope

/// The command line parsed in-process, as swift-argument-parser's own tests do: options
/// into render plans, and the exact message and exit code of each usage error. The
/// end-to-end runs (RenderCommandTests, BadInputTests) cover the same through the binary.
@Suite struct ParsingTests {
    private func plan(_ arguments: [String]) throws -> RenderPlan {
        let command = try Memscope.parseAsRoot(arguments)
        if let render = command as? Render { return render.plan() }
        if let diff = command as? Diff { return diff.plan() }
        Issue.record("\(arguments) parsed as \(type(of: command))")
        return RenderPlan(inputs: [], output: .none)
    }

    /// The message and exit code the binary would print for `arguments`.
    private func failure(_ arguments: [String]) -> (message: String, code: Int32) {
        do {
            _ = try Memscope.parseAsRoot(arguments)
            return ("parsed", 0)
        } catch {
            return (Memscope.message(for: error), Memscope.exitCode(for: error).rawValue)
        }
    }

    @Test func renderDefaults() throws {
        #expect(try plan(["render", "samples/server-leak.msd"])
            == RenderPlan(inputs: [InputSpec(path: "samples/server-leak.msd")], output: .file("memscope-server-leak.html", force: false)))
    }

    @Test func renderOptionsBecomeOnePlan() throws {
        let parsed = try plan(["render", "dumps/a.msd.zst", "-o", "r.html", "--force", "--format", "heaptrack", "--folded-cost", "bytes",
                               "--from", "1.5ms", "--to", "80%", "--thread", "3", "--suppressions", "lsan.supp",
                               "--wrapper", "my_alloc", "--no-wrapper-detection", "--all-frames", "--collapse-recursion",
                               "--exclude-module", "libc", "--include", "parse", "--min-fraction", "0.5%", "--no-source",
                               "--thread-flamegraphs", "2", "--window-flamegraphs", "5", "--no-ownership", "--no-inference",
                               "--ownership-sites", "40", "--images", "pictures"])
        let expected = RenderPlan(
            inputs: [InputSpec(path: "dumps/a.msd.zst", format: .heaptrack, foldedCost: .bytes)],
            scope: ScopePlan(suppressionsPath: "lsan.supp", from: .nanoseconds(1_500_000), to: .percent(80), thread: 3,
                             wrapperPatterns: ["my_alloc"], detectWrappers: false),
            frames: FramePlan(filter: FrameFilter(hideRuntimeFrames: false, stopAtMain: false, collapseRecursion: true,
                                                  excludeModules: ["libc"], include: "parse", exclude: nil),
                              minimumFraction: 0.005, includeSource: false),
            views: ViewPlan(threadFlamegraphs: 2, windowFlamegraphs: 5, ownership: .never, includeInference: false, ownershipSites: 40),
            images: "pictures", output: .file("r.html", force: true))
        #expect(parsed == expected)
    }

    @Test func severalDumpsRenderIntoADirectory() throws {
        let parsed = try plan(["render", "a/x.msd", "b/x.msd", "--ownership"])
        #expect(parsed.output == .directory("memscope-reports", force: false))
        #expect(parsed.inputs.map(\.path) == ["a/x.msd", "b/x.msd"])
        #expect(parsed.views.ownership == .always)
        #expect(ReportNames.unique(parsed.inputs.map(\.path)) == ["memscope-x.html", "memscope-x-2.html"])
    }

    @Test func diffIsAPlanOfTwoInputs() throws {
        let parsed = try plan(["diff", "old.msd", "new.folded", "--folded-cost", "bytes"])
        #expect(parsed.inputs == [InputSpec(path: "old.msd", foldedCost: .bytes), InputSpec(path: "new.folded", foldedCost: .bytes)])
        #expect(parsed.output == .file("memscope-diff-old-new.folded.html", force: false))
        #expect(try plan(["diff", "--json", "a.msd", "b.msd"]).output == .none)
    }

    @Test(arguments: [
        ("25%", TimePoint.percent(25)), ("12.5s", .nanoseconds(12_500_000_000)), ("850ms", .nanoseconds(850_000_000)),
        ("40us", .nanoseconds(40_000)), ("40µs", .nanoseconds(40_000)), ("1200ns", .nanoseconds(1200)), (" 3ms ", .nanoseconds(3_000_000)),
    ])
    func timePoints(text: String, expected: TimePoint) {
        #expect(TimePoint(parsing: text) == expected)
    }

    @Test(arguments: [
        (["render"], "Missing expected argument '<dumps> ...'"),
        (["render", "a.msd", "b.msd", "--to", "10%"], "--from, --to and --thread take one dump at a time."),
        (["render", "a.msd", "b.msd", "--images", "dir"], "--images takes one dump at a time."),
        (["render", "a.msd", "--window-flamegraphs", "101"], "--window-flamegraphs takes a count from 0 to 100."),
        (["render", "a.msd", "--thread-flamegraphs=-1"], "--thread-flamegraphs takes a count of 0 or more."),
        (["render", "a.msd", "--ownership", "--no-ownership"], "--ownership and --no-ownership contradict each other."),
        (["render", "a.msd", "--ownership-sites", "0"], "--ownership-sites takes a count from 1 to 200."),
        (["render", "a.msd", "--to", "120%"], "The value '120%' is invalid for '--to <to>'"),
        (["render", "a.msd", "--from", "3 days"], "The value '3 days' is invalid for '--from <from>'"),
        (["render", "a.msd", "--format", "pdf"], "The value 'pdf' is invalid for '--format <format>'"),
        (["render", "a.msd", "--wrapper", "("], "--wrapper (: not a valid regular expression"),
        (["render", "a.msd", "--include", "[a"], "--include/--exclude: not a regular expression"),
        (["summary", "a.msd", "--bogus"], "Unknown option '--bogus'"),
        (["check", "a.msd"], "Give at least one limit, e.g. --max-leaked 1MiB or --baseline old.msd --max-growth 10%."),
        (["check", "a.msd", "--max-growth", "10%"], "--max-growth needs --baseline."),
        (["check", "a.msd", "--max-leaked", "lots"], "The value 'lots' is invalid for '--max-leaked <max-leaked>'"),
        (["inspect", "a.msd", "--stage", "layout"], "The value 'layout' is invalid for '--stage <stage>'"),
    ])
    func usageErrors(arguments: [String], message: String) {
        let (text, code) = failure(arguments)
        #expect(text.hasPrefix(message), "\(arguments): \(text)")
        #expect(code == ExitCode.validationFailure.rawValue, "\(arguments)")
    }

    /// Bad input (not bad usage) is exit code 1 with the located message on stderr.
    @Test func badInputIsExitCodeOne() throws {
        var command = try Memscope.parseAsRoot(["summary", TestPaths.sample("malformed/undefined-stack.msd")])
        #expect(throws: ExitCode(1)) { try command.run() }
    }

    /// Every value of an enumerated option is listed once, with what it means (the man page
    /// lists them from the same descriptions); a hand-written "(values: …)" in a help string
    /// had doubled the list swift-argument-parser appends.
    @Test(arguments: [
        (["inspect"], ["parse", "analyze", "ownership"]),
        (["convert"], ["msd", "jsonl"]),
        (["summary"], ["heaptrack", "massif", "dhat", "memscope-rs", "folded", "allocations", "bytes"]),
    ])
    func enumeratedValuesAreListedOnceWithTheirMeaning(command: [String], values: [String]) {
        let text = Memscope.helpMessage(for: subcommand(command[0]), columns: 200)
        #expect(!text.contains("(values:"), "\(command): \(text)")
        for value in values {
            #expect(text.contains("\n        \(value) "), "\(command): no line for \(value)")
        }
    }

    private func subcommand(_ name: String) -> ParsableCommand.Type {
        Memscope.configuration.subcommands.first { $0._commandName == name } ?? Memscope.self
    }
}
