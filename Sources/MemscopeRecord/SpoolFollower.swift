import Foundation
import MemscopeFormat
import MemscopeModel

/// Writes the first process's dump while the program runs, on a thread of its own (the
/// second core): it follows the spool as the preload library publishes events, and
/// writes every event stamped more than ``grace`` before now, in order of time. Once the
/// process has ended, ``finish(end:)`` writes the rest and `process_end`. The dump starts
/// as soon as the spool holds its first program image's event (whose command line `meta`
/// names), so the follower keeps pace with the program from its start.
///
/// An event stamped before the watermark but published after it (its thread was
/// descheduled for longer than ``grace`` between taking the time and publishing) is
/// written at the next pass, after later events of other threads: the two were
/// concurrent, and nothing the program did could depend on the late one yet (a hook
/// publishes its event before it returns, and a free before the block is released).
final class SpoolFollower: @unchecked Sendable {
    /// How long an event may take from its time stamp to its publication.
    static let grace: UInt64 = 5_000_000
    /// Pause between passes (seconds). 2 ms after a pass that wrote events left less to write
    /// after the program's exit, but on a loaded machine each wake-up took the program's core
    /// (bench-record.c at load 6, 8 alternated runs: mean program time 0.72 s against 0.68 s).
    static let interval = 0.010

    private let path: String
    private let output: String
    private let options: RecordOptions
    private let lock = NSCondition()
    private var ended = false
    private var thread: Thread?
    private var converter: DumpConverter?
    private var spool: SpoolStream?
    private var failure: (any Error)?

    /// Children that started a program of their own, followed as the program is (nil: none).
    let children: ChildFollowers?

    init(spoolPath: String, output: String, options: RecordOptions, children: ChildFollowers? = nil) {
        path = spoolPath
        self.output = output
        self.options = options
        self.children = children
    }

    func start() {
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
                try children?.pass()
                lock.lock()
                if !ended { _ = lock.wait(until: Date(timeIntervalSinceNow: Self.interval)) }
                lock.unlock()
            }
        } catch {
            failure = error
        }
    }

    /// One pass: open the spool once it exists, read what was published, write what is old enough.
    private func pass(final: Bool) throws {
        try openIfReady(final: final)
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

    /// Opens the spool once the process has written its header, and starts the dump once
    /// the spool holds the first program image's event (`meta` names its command line), or
    /// when the process has ended (`final`).
    private func openIfReady(final: Bool) throws {
        if spool == nil {
            guard let opened = try SpoolStream(openingIfReady: path) else { return }
            spool = opened
        }
        guard converter == nil, let spool else { return }
        spool.refresh()
        guard final || spool.index.imagesSeen > 0 else { return }
        let file = try AtomicOutputFile(path: output)
        let sink = ByteSink(file: file, zstdLevel: options.zstd ? 3 : nil)
        let made = try DumpConverter(spool: spool, sink: sink, commandLine: options.command,
                                     producerVersion: options.producerVersion)
        try made.begin(inherited: [])
        converter = made
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

/// The dumps of a program's children that started a program of their own (`posix_spawn`, `vfork`
/// and `exec`: a compiler driver's cc1 and as), written while they run, by the follower's thread, as
/// the program's own dump is: their stacks are symbolized as they appear, not after the run
/// (cc1's 4,800 frames of gcc -O2 -c took 60-80 ms after the program had ended). A fork child's
/// dump starts with the blocks live in its parent at the fork, known only once the parent's
/// spool is read to its end, so fork children are left to ``ChildDumps`` after the run, as are
/// children beyond the first ``limit`` (each followed spool is a 64 GiB mapping).
final class ChildFollowers: @unchecked Sendable {
    static let limit = 8

    private struct Followed {
        var spool: SpoolStream
        var converter: DumpConverter
    }

    private let base: String
    private let rootPid: UInt32
    private let output: String
    private let options: RecordOptions
    private var followed: [UInt32: Followed] = [:]
    /// Fork children and children past the limit: converted after the run.
    private var passedOver: Set<UInt32> = []
    /// Spools opened before their first program image's event was published.
    private var unnamed: [UInt32: SpoolStream] = [:]

    init(spoolBase: String, rootPid: UInt32, output: String, options: RecordOptions) {
        base = spoolBase
        self.rootPid = rootPid
        self.output = output
        self.options = options
    }

    /// Finds new children's spools and writes what each has published that is old enough
    /// (everything, with `final`).
    func pass(final: Bool = false) throws {
        for pid in Recorder.spoolPids(base: base) where pid != rootPid && followed[pid] == nil && !passedOver.contains(pid) {
            let spool: SpoolStream
            if let opened = unnamed[pid] {
                spool = opened
            } else {
                guard let opened = try SpoolStream(openingIfReady: "\(base).\(pid)") else { continue }
                guard !opened.forked, followed.count + unnamed.count < Self.limit else {
                    passedOver.insert(pid)
                    continue
                }
                spool = opened
            }
            // The dump starts once the spool holds the image's event (`meta` names its command line).
            spool.refresh()
            guard final || spool.index.imagesSeen > 0 else {
                unnamed[pid] = spool
                continue
            }
            unnamed[pid] = nil
            let file = try AtomicOutputFile(path: "\(output).\(pid)")
            let sink = ByteSink(file: file, zstdLevel: options.zstd ? 3 : nil)
            let converter = try DumpConverter(spool: spool, sink: sink, commandLine: options.command,
                                              producerVersion: options.producerVersion)
            try converter.begin(inherited: [])
            followed[pid] = Followed(spool: spool, converter: converter)
        }
        for (_, child) in followed {
            child.spool.refresh()
            child.converter.takeRSSSamples()
            if final {
                try child.converter.drain(before: nil)
                continue
            }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let nanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
            let start = child.spool.startMonotonicNanoseconds
            let elapsed = nanoseconds > start ? nanoseconds - start : 0
            guard elapsed > SpoolFollower.grace else { continue }
            try child.converter.drain(before: elapsed - SpoolFollower.grace)
        }
    }

    /// Once every process has ended: the rest of each followed child's dump, by pid.
    func finish(end: (UInt32) -> ProcessEnd?) throws -> [UInt32: RecordedDump] {
        try pass(final: true)
        var dumps: [UInt32: RecordedDump] = [:]
        for (pid, child) in followed {
            let result = try child.converter.finish(end: end(pid))
            dumps[pid] = RecordedDump(path: "\(output).\(pid)", pid: child.converter.pid, parentPid: child.converter.parentPid,
                                      commandLine: child.converter.commandLineRecorded, events: result.events,
                                      processEnd: result.processEnd ?? ProcessEnd(timestamp: 0, how: .unknown, code: 0),
                                      spoolOverflowed: result.spoolOverflowed)
        }
        return dumps
    }
}
