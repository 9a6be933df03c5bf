import Foundation
import MemscopeFormat
import MemscopeModel

/// Writes the first process's dump while the program runs, on a thread of its own (the
/// second core): it follows the spool as the preload library publishes events, and
/// writes every event stamped more than ``grace`` before now, in order of time. Once the
/// process has ended, ``finish(end:)`` writes the rest and `process_end`.
///
/// An event stamped before the watermark but published after it (its thread was
/// descheduled for longer than ``grace`` between taking the time and publishing) is
/// written at the next pass, after later events of other threads: the two were
/// concurrent, and nothing the program did could depend on the late one yet (a hook
/// publishes its event before it returns, and a free before the block is released).
final class SpoolFollower: @unchecked Sendable {
    /// How long an event may take from its time stamp to its publication.
    static let grace: UInt64 = 5_000_000
    /// Pause between passes.
    static let interval: useconds_t = 10_000

    private let path: String
    private let output: String
    private let options: RecordOptions
    private let lock = NSCondition()
    private var ended = false
    private var thread: Thread?
    private var converter: DumpConverter?
    private var spool: SpoolStream?
    private var failure: (any Error)?

    init(spoolPath: String, output: String, options: RecordOptions) {
        path = spoolPath
        self.output = output
        self.options = options
    }

    /// How long the program runs before its dump is started.
    static let settling = 0.1
    private var startedAt = 0.0

    func start() {
        startedAt = monotonicSeconds()
        let thread = Thread { [self] in run() }
        thread.name = "memscope-spool-follower"
        self.thread = thread
        thread.start()
    }

    /// Called when the process has ended: the follower stops following.
    func processEnded() {
        lock.lock()
        ended = true
        lock.signal()
        lock.unlock()
    }

    private var hasEnded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return ended
    }

    private func run() {
        defer {
            lock.lock()
            thread = nil
            lock.broadcast()
            lock.unlock()
        }
        do {
            while !hasEnded {
                try pass(final: false)
                lock.lock()
                if !ended { _ = lock.wait(until: Date(timeIntervalSinceNow: Double(Self.interval) / 1e6)) }
                lock.unlock()
            }
        } catch {
            failure = error
        }
    }

    /// One pass: open the spool once it exists, read what was published, write what is old enough.
    private func pass(final: Bool) throws {
        // A program that execs at once (a wrapper script) is dumped under the command line
        // of the image it becomes: the dump, whose `meta` names one image, starts once the
        // program has run for a while, or when it has ended.
        guard final || spool != nil || monotonicSeconds() - startedAt >= Self.settling else { return }
        try openIfReady()
        guard let spool, let converter else { return }
        spool.refresh()
        converter.takeRSSSamples()
        if final {
            try converter.drain(before: nil)
        } else {
            let now = Self.monotonicNanoseconds()
            let elapsed = now > spool.startMonotonicNanoseconds ? now - spool.startMonotonicNanoseconds : 0
            guard elapsed > Self.grace else { return }
            try converter.drain(before: elapsed - Self.grace)
        }
    }

    /// Opens the spool and starts the dump, once the process has written the spool's header.
    private func openIfReady() throws {
        if spool == nil {
            guard let opened = try SpoolStream(openingIfReady: path) else { return }
            let file = try AtomicOutputFile(path: output)
            let sink = ByteSink(file: file, zstdLevel: options.zstd ? 3 : nil)
            let made = try DumpConverter(spool: opened, sink: sink, commandLine: options.command,
                                         producerVersion: options.producerVersion)
            try made.begin(inherited: [])
            spool = opened
            converter = made
        }
    }

    /// Waits for the follower thread, writes the rest of the dump, and returns what was
    /// converted; nil when the process never opened its spool (the caller reports it).
    func finish(end: ProcessEnd?) throws -> (dump: RecordedDump, inheritedByChild: [UInt32: [InheritedBlock]])? {
        processEnded()
        lock.lock()
        while thread != nil { lock.wait() }
        lock.unlock()
        if let failure { throw failure }
        try pass(final: true)
        guard let converter else { return nil }
        let result = try converter.finish(end: end)
        // The follower's own index has read the whole spool by now: without a fork there is
        // nothing to replay (the replay reads the spool once more, after the program ended).
        let inherited = spool?.index.forks.isEmpty ?? true ? [:] : try DumpConverter.inheritedBlocks(spoolPath: path)
        let dump = RecordedDump(path: output, pid: converter.pid, parentPid: converter.parentPid,
                                commandLine: converter.commandLineRecorded, events: result.events,
                                processEnd: result.processEnd ?? ProcessEnd(timestamp: 0, how: .unknown, code: 0),
                                spoolOverflowed: result.spoolOverflowed)
        return (dump, inherited)
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
