import ArgumentParser
import Dispatch
import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeModel
import MemscopeOwnership
import MemscopeReport
import MemscopeRender
import Synchronization

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

    @OptionGroup var reading: FormatOptions

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

    @Option(help: "Flamegraphs of each of this many threads alone (those that allocated most bytes), for the page's thread selector. Default: 4, whatever the dump's size (all views are tallied in one more read, in memory bounded by the live blocks and sites). 0: none.")
    var threadFlamegraphs: Int?

    @Option(help: "Flamegraphs of this many equal time slices of the run, and of a slice around the peak, for the page's window picker. Default: 10, whatever the dump's size. 0: none.")
    var windowFlamegraphs: Int?

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

    /// The render these options ask for, as one plain value: the only place the options
    /// are read.
    func plan() -> RenderPlan {
        let output: OutputPlan = dumps.count > 1 ? .directory(output ?? "memscope-reports", force: force)
            : .file(output ?? ReportNames.defaultOutput(for: dumps[0]), force: force)
        let ownership: ViewPlan.Ownership = ownershipOptions.noOwnership ? .never : ownershipOptions.ownership ? .always : .automatic
        return RenderPlan(inputs: dumps.map(reading.spec), scope: scope.plan, frames: frames.plan,
                          views: ViewPlan(threadFlamegraphs: threadFlamegraphs, windowFlamegraphs: windowFlamegraphs,
                                          ownership: ownership, includeInference: !ownershipOptions.noInference,
                                          ownershipSites: ownershipOptions.ownershipSites),
                          images: images, output: output)
    }

    func run() throws {
        let plan = plan()
        switch plan.output {
        case .file(let path, let force): try runOne(plan, to: path, force: force)
        case .directory(let directory, let force): try runBatch(plan, into: directory, force: force)
        case .none: break
        }
    }

    private func runOne(_ plan: RenderPlan, to path: String, force: Bool) throws {
        try Console.run {
            let builder = try ReportBuilder(plan: plan)
            let input = plan.inputs[0]
            let progress = Progress(enabled: !quiet && isatty(2) == 1)
            let total = Self.fileSize(input.path)
            let quiet = self.quiet
            let observer = ReportBuilder.Observer(
                reading: { bytesRead in progress.update("reading", fraction: total > 0 ? Double(bytesRead) / Double(total) : 0) },
                analysed: { diagnostics in
                    progress.update("drawing", fraction: 1)
                    if !quiet { Console.printWarnings(diagnostics) }
                },
                writing: { progress.update("writing", fraction: 1) })
            var clock = StageClock()
            let report = try builder.write(input, to: path, force: force, observer: observer, clock: &clock)
            clock.report()
            if let images = plan.images, !quiet { print("Wrote \(report.imagesWritten.count) pictures to \(images)") }
            progress.finish()
            if !quiet { print("Wrote \(path) (\(Self.megabytes(report.html.utf8.count)))") }
        }
    }

    /// Renders every dump into a directory, two at a time, and writes an index.
    private func runBatch(_ plan: RenderPlan, into directory: String, force: Bool) throws {
        let entries: [BatchIndex.Entry]
        do {
            entries = try ReportBuilder(plan: plan).writeAll(into: directory, force: force)
        } catch {
            Console.printError("\(error)")
            throw ExitCode(1)
        }
        let failures = entries.filter { $0.error != nil }
        if !quiet {
            // `-o out/` names the directory with its slash: print out/index.html, not out//index.html.
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            for entry in entries where entry.error == nil { print("Wrote \(prefix)\(entry.report ?? "")") }
            print("Wrote \(prefix)index.html (\(entries.count - failures.count) of \(entries.count) reports)")
        }
        for failure in failures { Console.printError(failure.error ?? "") }
        if !failures.isEmpty { throw ExitCode(1) }
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

    /// The frames part of a render plan.
    var plan: FramePlan {
        FramePlan(filter: filter, minimumFraction: minFraction.map { $0.value / 100 }, includeSource: !noSource)
    }
}

/// A one-line progress bar on stderr, only on a terminal. Its state is two atomics, so
/// any thread may update it (the reading progress comes from the pipeline's thread).
final class Progress: Sendable {
    private let enabled: Bool
    /// CLOCK_MONOTONIC nanoseconds of the last line drawn.
    private let last = Atomic<Int64>(0)
    private let shown = Atomic<Bool>(false)

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ stage: String, fraction: Double) {
        guard enabled else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        let previous = last.load(ordering: .relaxed)
        guard nanoseconds - previous >= 100_000_000 || stage != "reading" else { return }
        // One drawer per tenth of a second.
        guard last.compareExchange(expected: previous, desired: nanoseconds, ordering: .relaxed).exchanged else { return }
        let width = 30
        let done = Int(max(0, min(1, fraction)) * Double(width))
        let bar = String(repeating: "#", count: done) + String(repeating: "-", count: width - done)
        FileHandleStandardError.write("\r[\(bar)] \(stage) \(Int(fraction * 100))%   ")
        shown.store(true, ordering: .relaxed)
    }

    func finish() {
        if enabled && shown.load(ordering: .relaxed) { FileHandleStandardError.write("\r" + String(repeating: " ", count: 60) + "\r") }
    }
}
