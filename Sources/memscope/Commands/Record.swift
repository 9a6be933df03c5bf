import ArgumentParser
import MemscopeModel
import MemscopeFormat
import MemscopeRecord
import MemscopeRender

#if canImport(Glibc)
import Glibc
#endif

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Run a program and record every heap allocation into a .msd dump.",
        discussion: """
            The program runs with memscope's recorder preloaded (LD_PRELOAD). It interposes \
            malloc, calloc, realloc, free, posix_memalign, aligned_alloc, memalign, valloc and \
            pvalloc, so C++, Rust and Swift allocations are seen too. When the program ends (even \
            by a crash or a signal), memscope symbolizes the stacks and writes the dump. It exits \
            with the program's status (128 + the signal when it was killed).

            A forked child, or a program the program starts, writes its own dump, DUMP.PID \
            (unless --no-follow-fork), with its own command line, parent pid and end. After exec, \
            the process continues the same dump, which then names the new program. With several \
            dumps, memscope lists which dump is which process as a tree; `memscope render DUMP \
            DUMP.* -o DIR/` draws that tree on the index page. Everything after -- belongs to the \
            program (`memscope record -- ./app --help` passes --help to the app). Python runs \
            with PYTHONMALLOC=malloc unless set already: pymalloc's arenas come from mmap, where \
            its objects would not be seen.

            Memory errors (opt-in, classic debug-allocator techniques): --guard puts a red zone \
            on both sides of every block and checks it when the block is freed and at exit \
            (writes past or before a block); --quarantine SIZE fills freed blocks with a pattern \
            and holds up to SIZE bytes of them back from reuse, checking the pattern when a \
            block leaves quarantine and at exit (writes after free). Reads are not seen. The \
            findings are memory_error records; the report's "Memory errors" section lists them.

            Examples:
              memscope record -o app.msd -- ./app --port 8080
              memscope record --no-follow-fork -- make -j2
              memscope record --guard --quarantine 64MiB -- ./app
              memscope summary app.msd
            """
    )

    @Option(name: .shortAndLong, help: "Where to write the dump (default: memscope.PROGRAM.PID.msd).")
    var output: String?

    @Flag(name: .customLong("no-follow-fork"), help: "Do not record forked children (they run untraced).")
    var noFollowFork = false

    @Flag(name: .customLong("frame-pointers"),
          help: "Walk frame pointers instead of memscope's unwinder (DWARF call-frame rules cached per return address, libunwind for the rest): faster, but needs every module built with frame pointers.")
    var framePointers = false

    @Flag(help: "Compress the dump with zstd.")
    var zstd = false

    @Flag(name: .customLong("guard"),
          help: "Put a red zone on both sides of every block; report writes past or before a block (checked at free and at exit).")
    var guardBlocks = false

    @Option(name: .customLong("quarantine"),
            help: ArgumentHelp("Hold up to SIZE bytes of freed blocks back from reuse, filled with a pattern; report writes after free (e.g. 64MiB).",
                               valueName: "size"))
    var quarantine: ByteSize?

    @Flag(name: .customLong("no-scan-on-free"),
          help: "Do not record the pointers held by blocks as they die, nor clear new blocks' first 4 KiB (the ownership graph then infers more and observes less).")
    var noScanOnFree = false

    @Option(name: .customLong("scan-every"),
            help: ArgumentHelp("Also scan the heap for pointers every INTERVAL while the program runs (e.g. 100ms, 2s); scans are spaced further apart when one takes more than a tenth of the interval.",
                               valueName: "interval"))
    var scanEvery: Interval?

    @Flag(name: .customLong("scan-at-peak"),
          help: "Also scan the heap for pointers near the peak: whenever the resident set has grown by an eighth since the last such scan, at most every 250 ms.")
    var scanAtPeak = false

    @Flag(name: .customLong("no-spaced-scans"),
          help: "Do not scan the heap for pointers while the program runs by default (after 256 heap events, then after each gap twice the last: 256, 768, 1792… events).")
    var noSpacedScans = false

    @Argument(parsing: .captureForPassthrough, help: "The program and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        // Everything after the options is the program's (parsed for passthrough), so
        // `memscope record --help` must be recognised here; `memscope record -- prog --help`
        // still passes --help to the program.
        if let first = command.first, ["--help", "-h", "help"].contains(first) { throw CleanExit.helpRequest(self) }
        if program.isEmpty { throw ValidationError("give the program to record after --, e.g. memscope record -- ./app") }
        // Before `--`, a word that looks like an option is a mistyped or unknown option of
        // record's (`--force`, `-q`), not a program to run.
        if let first = command.first, first != "--", first.hasPrefix("-") {
            throw ValidationError("unknown option '\(first)' for record (record writes over its output; it has no --force). "
                                  + "The program and its own options go after --, e.g. memscope record -o app.msd -- ./app --verbose")
        }
    }

    private var program: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

    func run() throws {
        let program = self.program
        let name = program[0].split(separator: "/").last.map(String.init) ?? "program"
        var options = RecordOptions(
            command: program, output: output ?? "memscope.\(name).\(getpid()).msd", followFork: !noFollowFork,
            framePointers: framePointers, zstd: zstd, preloadLibrary: "", producerVersion: MemscopeVersion.string)
        options.guardBlocks = guardBlocks
        options.quarantineBytes = quarantine?.bytes ?? 0
        options.scanOnFree = !noScanOnFree
        options.scanEveryNanoseconds = scanEvery?.nanoseconds ?? 0
        options.scanAtPeak = scanAtPeak
        if noSpacedScans { options.scanSpacedEvents = 0 }
        options.keepStateUntilExit = true  // memscope exits once the dumps are written
        let outcome: RecordOutcome
        do {
            var resolved = options
            resolved.preloadLibrary = try Recorder.findPreloadLibrary()
            outcome = try Recorder.record(resolved)
        } catch let error as RecordError {
            Console.printError(error.description)
            throw ExitCode(1)
        } catch let error as DumpError {
            Console.printError(error.description)
            throw ExitCode(1)
        }
        for dump in outcome.dumps {
            var line = "memscope record: wrote \(dump.path) (\(dump.events) events, pid \(dump.pid), \(describe(dump.processEnd)))"
            if dump.spoolOverflowed { line += "; the spool limit was reached and later events were dropped" }
            FileHandleStandardError.write(line + "\n")
        }
        if outcome.dumps.count > 1 {
            // Which dump is which process: the tree of processes, each with its program.
            FileHandleStandardError.write("memscope record: \(outcome.dumps.count) processes (parent, then its children):\n")
            let tree = outcome.processTree
            let width = tree.map { 2 * $0.depth + $0.dump.path.count }.max() ?? 0
            for (dump, depth) in tree {
                let name = String(repeating: "  ", count: depth) + dump.path
                let padding = String(repeating: " ", count: max(0, width - name.count))
                let parent = dump.parentPid == 0 ? "" : ", parent \(dump.parentPid)"
                FileHandleStandardError.write("  \(name)\(padding)  pid \(dump.pid)\(parent): \(Self.commandText(dump.commandLine))\n")
            }
        }
        FileHandleStandardError.write(
            "memscope record: the program ran \(seconds(outcome.programSeconds)) s (recorder included); "
                + "writing the dumps took \(seconds(outcome.conversionSeconds)) s\n")
        throw ExitCode(outcome.exitCode)
    }

    /// A command line for one line of output: at most 100 characters.
    static func commandText(_ argv: [String]) -> String {
        let text = CommandLineText.quoted(argv)
        return text.count > 100 ? String(text.prefix(99)) + "…" : text
    }

    /// Seconds with three decimals.
    private func seconds(_ value: Double) -> String {
        let milliseconds = Int((value * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    private func describe(_ end: ProcessEnd) -> String {
        switch end.how {
        case .exited: "exited with status \(end.code)"
        case .signalled: "killed by signal \(end.code)"
        case .unknown: "end not observed"
        }
    }
}
