import Foundation
import MemscopeAnalysis
import MemscopeImport
import MemscopeRender
import MemscopeTestSupport
import Synchronization
import Testing

/// Counts the reads of dumps a render makes: every call of ``DumpReading/read`` reads a
/// dump once, start to end.
final class CountingReader: DumpReading {
    private let inner = InputLoaderReader()
    private let counts = Mutex<[String: Int]>([:])

    func read(_ input: InputSpec, everyOptions: [AnalysisOptions], alongside: [any RecordConsumer],
              progress: (UInt64) -> Void) throws -> (analyses: [Analysis], format: InputFormat) {
        counts.withLock { $0[input.path, default: 0] += 1 }
        return try inner.read(input, everyOptions: everyOptions, alongside: alongside, progress: progress)
    }

    func reads(of path: String) -> Int { counts.withLock { $0[path] ?? 0 } }
    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}

@Suite struct ReadCountTests {
    let sample = TestPaths.sample("server-leak.msd")

    private func render(_ plan: RenderPlan) throws -> (html: String, reads: Int) {
        let reader = CountingReader()
        var clock = StageClock()
        let report = try ReportBuilder(plan: plan, reader: reader).build(plan.inputs[0], clock: &clock)
        return (report.html, reader.reads(of: plan.inputs[0].path))
    }

    /// Threads, windows and ownership all come from one read after the main analysis.
    @Test func everyExtraViewComesFromOneMoreRead() throws {
        let plan = RenderPlan(inputs: [InputSpec(path: sample)], output: .none)
        let (html, reads) = try render(plan)
        #expect(reads == 2)
        #expect(html.contains("\"threads\":[{"))  // the thread views
        #expect(html.contains("around the peak: "))  // the window views
        #expect(html.contains("id=\"ownership-surface\""))  // the ownership graph, drawn
        #expect(!html.contains("Left out"))
    }

    @Test func noExtraViewsMeansOneRead() throws {
        let plan = RenderPlan(inputs: [InputSpec(path: sample)],
                              views: ViewPlan(threadFlamegraphs: 0, windowFlamegraphs: 0, ownership: .never), output: .none)
        #expect(try render(plan).reads == 1)
    }

    /// Ownership alone still costs only the one extra read.
    @Test func ownershipAloneIsTheSecondRead() throws {
        let plan = RenderPlan(inputs: [InputSpec(path: sample)],
                              views: ViewPlan(threadFlamegraphs: 0, windowFlamegraphs: 0, ownership: .always), output: .none)
        #expect(try render(plan).reads == 2)
    }

    /// A share of the run (`--to 80%`) needs the duration: that read replaces the extra-view
    /// read a restricted report does not have, so the total stays two; absolute bounds need one.
    @Test(arguments: [(TimePoint.percent(80), 2), (.nanoseconds(20_000_000), 1)])
    func restrictedReportsReadAtMostTwice(to: TimePoint, expected: Int) throws {
        let plan = RenderPlan(inputs: [InputSpec(path: sample)], scope: ScopePlan(from: .percent(10), to: to), output: .none)
        let relative = try render(plan).reads
        let absolute = try render(RenderPlan(inputs: [InputSpec(path: sample)],
                                             scope: ScopePlan(from: .nanoseconds(1_000), to: to), output: .none)).reads
        #expect(relative == 2)
        #expect(absolute == expected)
    }

    @Test func batchReadsEachDumpTwiceAndDiffOnce() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = [sample, TestPaths.sample("thread-handoff.msd"), TestPaths.sample("tiny.jsonl")]
        let reader = CountingReader()
        let plan = RenderPlan(inputs: paths.map { InputSpec(path: $0) }, output: .directory(directory.path, force: false))
        let entries = try ReportBuilder(plan: plan, reader: reader).writeAll(into: directory.path, force: false)
        #expect(entries.allSatisfy { $0.error == nil })
        for path in paths { #expect(reader.reads(of: path) <= 2, "\(path)") }

        let diffReader = CountingReader()
        let diffPlan = RenderPlan(inputs: [InputSpec(path: sample), InputSpec(path: TestPaths.sample("server-fixed.msd"))],
                                  output: .none)
        _ = try ReportBuilder(plan: diffPlan, reader: diffReader).diff(base: diffPlan.inputs[0], new: diffPlan.inputs[1])
        #expect(diffReader.total == 2)
    }

    /// Other tools' files are read once for all the analyses of a call too (they were read
    /// once per analysis: 12 reads of a massif file for its window views), with the same
    /// analyses as one call per options.
    @Test(arguments: ["imports/massif.out.workload", "imports/dhat.out.workload", "imports/workload.allocations.folded",
                      "memscope-rs/export-0.2", "memscope-rs/v0.1/demo.memscope"])
    func aggregateInputsAreReadOnceForEveryOptions(fixture: String) throws {
        let path = TestPaths.packageRoot.appendingPathComponent("Tests/Fixtures/\(fixture)").path
        var late = AnalysisOptions.default
        late.windowStartNanoseconds = 1_000
        var thread = AnalysisOptions.default
        thread.thread = 1
        let every = [AnalysisOptions.default, late, thread]
        let together = try InputLoader.analyze(path: path, everyOptions: every).analyses
        let apart = try every.map { try InputLoader.analyze(path: path, options: $0).analysis }
        #expect(together == apart)

        let reader = CountingReader()
        var clock = StageClock()
        _ = try ReportBuilder(plan: RenderPlan(inputs: [InputSpec(path: path)], output: .none), reader: reader)
            .build(InputSpec(path: path), clock: &clock)
        #expect(reader.total <= 2)
    }

    /// The reading progress arrives while the staged pipeline runs, rising to the file's
    /// size; the observer shares only atomics with it (run under ThreadSanitizer by
    /// `swift test --sanitize=thread --filter ReadCountTests`).
    @Test func progressRisesToTheFileSize() throws {
        let calls = Atomic<Int>(0)
        let highest = Atomic<UInt64>(0)
        let falls = Atomic<Int>(0)
        let observer = ReportBuilder.Observer(reading: { bytes in
            calls.add(1, ordering: .relaxed)
            let previous = highest.load(ordering: .relaxed)
            if bytes < previous { falls.add(1, ordering: .relaxed) } else { highest.store(bytes, ordering: .relaxed) }
        })
        let plan = RenderPlan(inputs: [InputSpec(path: sample)], output: .none)
        var clock = StageClock()
        _ = try ReportBuilder(plan: plan).build(plan.inputs[0], observer: observer, clock: &clock)
        let size = try FileManager.default.attributesOfItem(atPath: sample)[.size] as? UInt64
        #expect(calls.load(ordering: .relaxed) > 0)
        #expect(falls.load(ordering: .relaxed) == 0)
        #expect(highest.load(ordering: .relaxed) == size)
    }
}
