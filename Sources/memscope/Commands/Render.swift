import ArgumentParser
import Dispatch
import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeModel
import MemscopeOwnership
import MemscopeReport

#if canImport(Glibc)
import Glibc
#endif

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one offline HTML report of a dump.",
        discussion: """
            The report holds the summary, memory over time, allocation flamegraphs for every \
            cost (bytes allocated, calls, live at peak, leaked, temporary; top-down and \
            bottom-up; searchable, zoomable), lifetime lanes and histograms, and tables of \
            sites, leaks, threads and memory errors. Pictures are drawn with Cairo; the page \
            needs no network (its Content-Security-Policy forbids every request).

            With several dumps, -o names a directory (default: memscope-reports): each dump \
            gets its own report there, two at a time, plus an index.html of their headline \
            figures. A dump that fails does not stop the others; memscope exits 1 at the end.

            Examples:
              memscope render samples/server-leak.msd                # writes memscope-server-leak.html
              memscope render dump.msd -o report.html --force
              memscope render dump.msd --images pictures/            # also every picture as PNG and SVG
              memscope render nightly/*.msd -o reports/              # a report each, and reports/index.html
            """)

    @Argument(help: "The dumps to read (.msd binary or JSON Lines, optionally zstd-compressed; - for standard input).",
              completion: .file(), transform: PipedInput.materialize)
    var dumps: [String]

    @Option(help: "Read the input as this format instead of detecting it by content (values: msd, jsonl, heaptrack, massif, dhat, memscope-rs, folded).")
    var format: InputFormat?

    @Option(help: "What the counts of folded stacks are (values: allocations, bytes).")
    var foldedCost: FoldedCost = .allocations

    @OptionGroup var scope: ScopeOptions

    @Option(name: .shortAndLong, help: "The report to write (a directory with several dumps). Default: memscope-<dump name>.html, or memscope-reports/.",
            completion: .file(extensions: ["html"]))
    var output: String?

    @Flag(help: "Overwrite the report if it exists.")
    var force = false

    @Flag(name: .shortAndLong, help: "No progress bar, no warnings and no closing message.")
    var quiet = false

    @Option(help: "Also write every picture as PNG and SVG into this directory.", completion: .directory)
    var images: String?

    @OptionGroup(title: "Flamegraph frames") var frames: FrameOptions

    @OptionGroup(title: "Ownership graph") var ownershipOptions: OwnershipGraphOptions

    @Option(help: "Flamegraphs of each of this many threads alone (those that allocated most bytes), for the page's thread selector. Default: 4 for dumps of up to 2,000,000 events and 13,000 call-tree nodes, 0 above. 0: none.")
    var threadFlamegraphs: Int?

    @Option(help: "Flamegraphs of this many equal time slices of the run, and of a slice around the peak, for the page's window picker. Default: 10 for dumps of up to 2,000,000 events and 13,000 call-tree nodes, 0 above. 0: none.")
    var windowFlamegraphs: Int?

    /// Above this many events, thread and window flamegraphs are left out unless asked for:
    /// their extra read of the dump would exceed the report's render budget (0.5 s over the analysis).
    static let partialViewEventLimit: UInt64 = 2_000_000
    /// Nor above this many call-tree nodes (both directions): 15 views of such trees would
    /// weigh more on the page than the rest of the report.
    static let partialViewNodeLimit = 13_000
    /// Most slices of the run the page's range selection adds up (32 to 64 of them).
    static let timelineSlices = 64

    func validate() throws {
        if dumps.isEmpty { throw ValidationError("Missing expected argument '<dumps>'") }
        if dumps.count > 1 && scope.isRestricted {
            throw ValidationError("--from, --to and --thread take one dump at a time.")
        }
        if dumps.count > 1 && images != nil { throw ValidationError("--images takes one dump at a time.") }
        if let threadFlamegraphs, threadFlamegraphs < 0 { throw ValidationError("--thread-flamegraphs takes a count of 0 or more.") }
        if let windowFlamegraphs, !(0...100).contains(windowFlamegraphs) {
            throw ValidationError("--window-flamegraphs takes a count from 0 to 100.")
        }
    }

    func run() throws {
        if dumps.count > 1 { return try runBatch() }
        var input = try InputOptions.with(path: dumps[0], format: format, foldedCost: foldedCost)
        input.scope = scope
        try Console.run {
            let path = output ?? Self.defaultOutput(for: input.dump)
            if !force && AtomicOutputFile.wouldReplaceFile(path) {
                throw DumpError(path: path, problem: .outputExists)
            }
            let progress = Progress(enabled: !quiet && isatty(2) == 1)
            var clock = StageClock()
            let total = Self.fileSize(input.dump)
            var options = try input.analysisOptions()
            // Per-slice figures for the page's range selection (a restricted report is already a range).
            if !scope.isRestricted { options.timelineSlices = Self.timelineSlices }
            let (analysis, detected) = try analyze(input, options: options) { bytesRead in
                progress.update("reading", fraction: total > 0 ? Double(bytesRead) / Double(total) : 0)
            }
            clock.lap("read+analyze")
            progress.update("drawing", fraction: 1)
            if !quiet { Console.printWarnings(analysis.diagnostics) }
            let views = try partialAnalyses(analysis, input: input)
            if !views.threads.isEmpty || !views.windows.isEmpty { clock.lap("read+analyze per thread and window") }
            let ownership = try Self.ownershipPart(input, analysis: analysis, format: detected, choice: ownershipOptions,
                                                   restricted: scope.isRestricted)
            if case .graph = ownership { clock.lap("read+infer ownership") }
            let (html, pictures) = try pipeline().render(consume analysis, inputPath: input.dump, format: detected.rawValue,
                                                                views: views, ownership: ownership, clock: &clock)
            progress.update("writing", fraction: 1)
            let file = try AtomicOutputFile(path: path, overwrite: true)
            try file.write(html)
            try file.commit()
            clock.lap("write")
            clock.report()
            if let images {
                let written = try pictures.write(to: images)
                if !quiet { print("Wrote \(written.count) pictures to \(images)") }
            }
            progress.finish()
            if !quiet { print("Wrote \(path) (\(Self.megabytes(html.utf8.count)))") }
        }
    }

    /// The dump read once more and analysed per top thread (restricted to that thread's
    /// blocks) and per time window, for the page's selectors. None when the report is
    /// already restricted, or above the size limits unless asked for.
    private func partialAnalyses(_ analysis: Analysis, input: InputOptions) throws -> PartialAnalyses {
        let treeNodes = analysis.topDown.nodes.count + analysis.bottomUp.nodes.count
        let small = analysis.totals.events <= Self.partialViewEventLimit && treeNodes <= Self.partialViewNodeLimit
        var parts = PartialAnalyses(allFrames: treeNodes <= Self.partialViewNodeLimit)
        guard !scope.isRestricted else { return parts }
        let threadCount = threadFlamegraphs ?? (small ? 4 : 0)
        let windowCount = windowFlamegraphs ?? (small ? 10 : 0)
        let base = try input.analysisOptions()

        var threads: [(key: String, label: String, options: AnalysisOptions)] = []
        if analysis.threads.count > 1 {
            let top = analysis.threads.filter { $0.allocations > 0 }
                .sorted { ($0.bytesAllocated, $1.thread) > ($1.bytesAllocated, $0.thread) }
                .prefix(threadCount)
            for stats in top {
                var options = base
                options.thread = stats.thread
                threads.append((String(stats.thread), "thread " + analysis.threadLabel(stats.thread), options))
            }
        }
        var windows: [(key: String, label: String, options: AnalysisOptions)] = []
        let duration = analysis.totals.durationNanoseconds
        if windowCount > 0 && duration >= UInt64(windowCount) && !analysis.notes.unavailable.contains("timeline") {
            let count = UInt64(windowCount)
            // In 128 bits: a forged duration near 2^64 must not overflow the product.
            var bounds: [(String, UInt64, UInt64)] = (0..<count).map { i in
                (String(i + 1), duration.scaled(by: i, over: count), duration.scaled(by: i + 1, over: count))
            }
            // The peak's window: a slice's width centred on the peak, kept inside the run.
            let width = duration / count
            let peak = analysis.totals.peakTimeNanoseconds
            let start = min(peak > width / 2 ? peak - width / 2 : 0, duration - width)
            bounds.append(("peak", start, start + width))
            for (key, from, to) in bounds {
                var options = base
                options.windowStartNanoseconds = from
                options.windowEndNanoseconds = to
                let unit = analysis.notes.timeUnit
                let range = unit.isEmpty ? Units.duration(nanoseconds: from) + " – " + Units.duration(nanoseconds: to)
                    : Units.compactCount(Double(from)) + " – " + Units.time(to, unit: unit)
                windows.append((key, key == "peak" ? "around the peak: " + range : range, options))
            }
        }
        let wanted = threads + windows
        guard !wanted.isEmpty else { return parts }
        let analyses = try InputLoader.analyze(path: input.dump, format: input.format, foldedCost: input.foldedCost,
                                               everyOptions: wanted.map(\.options)).analyses
        let all = zip(wanted, analyses).map { PartialAnalyses.Part(key: $0.key, label: $0.label, analysis: $1) }
        parts.threads = Array(all.prefix(threads.count))
        parts.windows = Array(all.dropFirst(threads.count))
        return parts
    }

    /// Renders every dump into a directory, two at a time, and writes an index.
    private func runBatch() throws {
        let directory = output ?? "memscope-reports"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            Console.printError(DumpError(path: directory, problem: .writeFailed(reason: "cannot create the directory")).description)
            throw ExitCode(1)
        }
        let names = Self.uniqueNames(dumps)
        let results = ResultSlots<BatchIndex.Entry>(count: dumps.count)
        let (dumps, format, foldedCost, force, choice) = (self.dumps, self.format, self.foldedCost, self.force, self.ownershipOptions)
        let pipeline = try self.pipeline()
        let options: AnalysisOptions
        do {
            var read = AnalysisOptions(suppressions: try loadSuppressions(scope.suppressions))
            read.timelineSlices = Self.timelineSlices
            options = read
        } catch {
            Console.printError("\(error)")
            throw ExitCode(1)
        }
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for i in stride(from: worker, to: dumps.count, by: 2) {
                results.set(i, Self.renderOne(dumps[i], format: format, foldedCost: foldedCost, options: options, pipeline: pipeline, choice: choice,
                                              to: "\(directory)/\(names[i])", force: force, report: names[i]))
            }
        }
        let entries = results.values
        let index = try AtomicOutputFile(path: "\(directory)/index.html")
        try index.write(BatchIndex.html(entries, version: MemscopeVersion.string))
        try index.commit()
        let failures = entries.filter { $0.error != nil }
        if !quiet {
            for entry in entries where entry.error == nil { print("Wrote \(directory)/\(entry.report ?? "")") }
            print("Wrote \(directory)/index.html (\(entries.count - failures.count) of \(entries.count) reports)")
        }
        for failure in failures { Console.printError(failure.error ?? "") }
        if !failures.isEmpty { throw ExitCode(1) }
    }

    /// One dump of a batch; errors become the entry's error text.
    private static func renderOne(_ dump: String, format: InputFormat?, foldedCost: FoldedCost, options: AnalysisOptions,
                                  pipeline: RenderPipeline, choice: OwnershipGraphOptions, to path: String, force: Bool, report: String) -> BatchIndex.Entry {
        do {
            if !force && AtomicOutputFile.wouldReplaceFile(path) {
                throw DumpError(path: path, problem: .outputExists)
            }
            let input = try InputOptions.with(path: dump, format: format, foldedCost: foldedCost)
            let (analysis, detected) = try analyze(input, options: options)
            var clock = StageClock()
            let ownership = try ownershipPart(input, analysis: analysis, format: detected, choice: choice, restricted: false)
            let (html, _) = try pipeline.render(analysis, inputPath: dump, format: detected.rawValue, ownership: ownership,
                                                clock: &clock)
            let file = try AtomicOutputFile(path: path, overwrite: true)
            try file.write(html)
            try file.commit()
            return BatchIndex.Entry(input: dump, report: report, totals: analysis.totals,
                                    command: analysis.metadata.commandLine.joined(separator: " "), error: nil,
                                    pid: analysis.metadata.pid, parentPid: analysis.metadata.parentPid ?? 0)
        } catch {
            return BatchIndex.Entry(input: dump, report: nil, totals: nil, command: "", error: "\(error)")
        }
    }

    /// The render settings: frames and the ownership graph.
    func pipeline() throws -> RenderPipeline {
        var pipeline = try frames.pipeline()
        pipeline.includeInference = !ownershipOptions.noInference
        pipeline.ownershipSites = ownershipOptions.ownershipSites
        return pipeline
    }

    /// What the ownership section gets: the graph, or why there is none.
    /// Reads the dump once more for the ownership graph: by default only for dumps of up
    /// to ``ownershipEventLimit`` events (the inference costs about 0.25 µs per event).
    static func ownershipPart(_ input: InputOptions, analysis: Analysis, format: InputFormat, choice: OwnershipGraphOptions,
                              restricted: Bool) throws -> OwnershipPart {
        if restricted { return .unavailable("The ownership graph covers whole runs; this report is restricted to a thread or a time window.") }
        if choice.noOwnership { return .unavailable("Left out (--no-ownership).") }
        guard format.carriesBlockEvents else {
            return .unavailable("A \(format.displayName) names no blocks by address and thread, so ownership cannot be inferred from it: record the program with memscope record.")
        }
        guard choice.ownership || analysis.totals.events <= ownershipEventLimit else {
            return .unavailable("Left out: this dump has \(Units.count(analysis.totals.events)) events, and the ownership graph is built by default only for dumps of up to \(Units.count(ownershipEventLimit)) (it reads the dump once more, about 0.25 µs per event). memscope render --ownership adds it; memscope inspect --stage ownership prints it.")
        }
        return .graph(try ownershipGraph(input))
    }

    static let ownershipEventLimit: UInt64 = 2_000_000

    /// Report names for the dumps, numbered where two dumps share a name.
    static func uniqueNames(_ dumps: [String]) -> [String] {
        var seen: [String: Int] = [:]
        return dumps.map { dump in
            let base = defaultOutput(for: dump)
            let count = seen[base, default: 0]
            seen[base] = count + 1
            return count == 0 ? base : String(base.dropLast(5)) + "-\(count + 1).html"
        }
    }

    /// `memscope-<name>.html`, the name without its directory and dump extensions.
    static func defaultOutput(for dump: String) -> String {
        var name = Substring(dump.split(separator: "/").last ?? "dump")
        for suffix in [".zst", ".gz", ".msd", ".jsonl", ".json"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
        }
        if name.hasPrefix("memscope-") { name = name.dropFirst("memscope-".count) }
        return "memscope-\(name.isEmpty ? "dump" : name).html"
    }

    static func fileSize(_ path: String) -> UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? "\(Double(bytes / 100_000) / 10) MB" : "\(max(1, bytes / 1000)) kB"
    }
}

/// Whether the report has an ownership graph, and with what.
struct OwnershipGraphOptions: ParsableArguments {
    @Flag(help: "Leave out every inferred element: owns and shares edges, and container types recognised from symbols (observed edges stay).")
    var noInference = false

    @Flag(help: "Leave the ownership section out.")
    var noOwnership = false

    @Flag(help: "Build the ownership graph whatever the dump's size (by default only for dumps of up to 2,000,000 events: it reads the dump once more).")
    var ownership = false

    @Option(help: "Draw this many allocation sites (those with the most bytes) in the ownership graph. Default: 24.")
    var ownershipSites: Int = 24

    func validate() throws {
        if ownership && noOwnership { throw ValidationError("--ownership and --no-ownership contradict each other.") }
        if !(1...200).contains(ownershipSites) { throw ValidationError("--ownership-sites takes a count from 1 to 200.") }
    }
}

/// The flamegraph's frame filter and folding threshold.
struct FrameOptions: ParsableArguments {
    @Flag(help: "Show every frame: keep allocator and runtime frames, and the frames above main.")
    var allFrames = false

    @Flag(help: "Merge directly recursive calls of one function into one frame.")
    var collapseRecursion = false

    @Option(help: "Hide frames of modules whose path contains this text (repeatable).")
    var excludeModule: [String] = []

    @Option(help: "Show only sites with a frame (function or file) matching this regular expression.")
    var include: String?

    @Option(help: "Leave out sites with a frame (function or file) matching this regular expression.")
    var exclude: String?

    @Option(help: "Fold frames below this share of every cost into one box per caller, e.g. 0.1%. Default: 0.005%.")
    var minFraction: Percentage?

    @Flag(help: "Leave source lines out of the report (for confidential code); by default the lines around top sites are embedded when the files are readable.")
    var noSource = false

    func validate() throws {
        do {
            try filter.validate()
        } catch {
            throw ValidationError("--include/--exclude: not a regular expression: \(error.localizedDescription)")
        }
    }

    var filter: FrameFilter {
        FrameFilter(hideRuntimeFrames: !allFrames, stopAtMain: !allFrames, collapseRecursion: collapseRecursion,
                    excludeModules: excludeModule, include: include, exclude: exclude)
    }

    func pipeline() throws -> RenderPipeline {
        var pipeline = RenderPipeline()
        pipeline.frameFilter = filter
        pipeline.includeSource = !noSource
        if let minFraction { pipeline.flameOptions.minimumFraction = max(minFraction.value / 100, 1e-9) }
        return pipeline
    }
}

/// Per-stage wall times, printed to stderr as `timing STAGE SECONDS` lines when the
/// environment sets MEMSCOPE_TIMINGS=1 (the benchmark reads them).
struct StageClock {
    private var last = StageClock.now()
    private(set) var laps: [(String, Double)] = []

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    mutating func lap(_ stage: String) {
        let t = Self.now()
        laps.append((stage, t - last))
        last = t
    }

    func report() {
        guard getenv("MEMSCOPE_TIMINGS").map({ String(cString: $0) == "1" }) == true else { return }
        for (stage, seconds) in laps { FileHandleStandardError.write("timing \(stage) \(seconds)\n") }
    }
}

/// A one-line progress bar on stderr, only on a terminal.
final class Progress {
    private let enabled: Bool
    private var last = timespec()
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ stage: String, fraction: Double) {
        guard enabled else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let elapsed = Double(now.tv_sec - last.tv_sec) + Double(now.tv_nsec - last.tv_nsec) / 1e9
        guard elapsed >= 0.1 || stage != "reading" else { return }
        last = now
        let width = 30
        let done = Int(max(0, min(1, fraction)) * Double(width))
        let bar = String(repeating: "#", count: done) + String(repeating: "-", count: width - done)
        FileHandleStandardError.write("\r[\(bar)] \(stage) \(Int(fraction * 100))%   ")
        shown = true
    }

    func finish() {
        if enabled && shown { FileHandleStandardError.write("\r" + String(repeating: " ", count: 60) + "\r") }
    }
}
