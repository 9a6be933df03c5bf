import MemscopeFormat
import MemscopeModel

#if canImport(Glibc)
import Glibc
#endif

/// How to record.
public struct RecordOptions: Sendable {
    public var command: [String]
    public var output: String
    public var followFork: Bool
    public var framePointers: Bool
    public var zstd: Bool
    public var preloadLibrary: String
    public var producerVersion: String
    /// Red zones around every block, checked on free and at exit (`--guard`).
    public var guardBlocks = false
    /// Bytes of freed blocks held back from reuse and checked for writes (`--quarantine`); 0 = none.
    public var quarantineBytes: UInt64 = 0
    /// Record the words of each block that dies (free, realloc) that may be heap addresses
    /// (`--no-scan-on-free` turns it off).
    public var scanOnFree = true
    /// Scans while the program runs: every so many nanoseconds (0: none), and near the peak of
    /// the resident set.
    public var scanEveryNanoseconds: UInt64 = 0
    public var scanAtPeak = false
    /// Scans while the program runs, the first after this many heap events (allocations,
    /// reallocs and frees) and each next one after twice the last gap (0: none), so that two
    /// recordings of a program scan at the same points of its run. The default scans about
    /// log2(events / 256) times; ignored with ``scanEveryNanoseconds``.
    public var scanSpacedEvents: UInt64 = 256
    /// The recording's state (symbolizers, the spools' mappings, the tables of stacks and frames)
    /// is left for the process's exit to reclaim instead of being freed piece by piece: for a
    /// command-line run that ends right after (freeing libdw's and the converters' tables took
    /// several milliseconds after the program had ended).
    public var keepStateUntilExit = false

    public init(command: [String], output: String, followFork: Bool, framePointers: Bool, zstd: Bool,
                preloadLibrary: String, producerVersion: String) {
        self.command = command
        self.output = output
        self.followFork = followFork
        self.framePointers = framePointers
        self.zstd = zstd
        self.preloadLibrary = preloadLibrary
        self.producerVersion = producerVersion
    }
}

/// One dump written by a recording.
public struct RecordedDump: Sendable {
    public var path: String
    public var pid: UInt32
    /// The process it was forked or started from (0 when unknown).
    public var parentPid: UInt32
    /// Its own command line (after exec, the new program's).
    public var commandLine: [String]
    public var events: Int
    public var processEnd: ProcessEnd
    public var spoolOverflowed: Bool
}

/// What a recording produced.
public struct RecordOutcome: Sendable {
    /// The program's exit status, or 128 + the signal that killed it.
    public var exitCode: Int32
    /// The program's dump first, then one per recorded fork child.
    public var dumps: [RecordedDump]
    /// Wall time from start to the program's exit (the recorder's overhead included).
    public var programSeconds: Double
    /// Time spent turning the spools into dumps (symbolization included).
    public var conversionSeconds: Double
}

/// `memscope record`: runs a program with the preload library, then turns the
/// spools it left (one per process) into symbolized `.msd` dumps.
public enum Recorder {
    public static func record(_ options: RecordOptions) throws -> RecordOutcome {
        let spoolDirectory = spoolDirectory(for: options.output)
        let spoolBase = spoolDirectory + "/p"
        let directory = spoolDirectory.lastIndex(of: "/").map { String(spoolDirectory[..<$0]) } ?? "."
        guard access(directory.isEmpty ? "/" : directory, W_OK) == 0 else {
            throw RecordError(.outputNotWritable(path: options.output, reason: String(cString: strerror(errno))))
        }
        removeSpools(base: spoolBase)
        rmdir(spoolDirectory)
        guard mkdir(spoolDirectory, 0o700) == 0 else {
            throw RecordError(.outputNotWritable(path: options.output, reason: String(cString: strerror(errno))))
        }
        defer {
            removeSpools(base: spoolBase)
            rmdir(spoolDirectory)
        }

        let start = monotonicSeconds()
        let child = try TracedProcess.spawn(command: options.command,
                                            environment: environment(options, spoolBase: spoolBase))
        // The program's own dump is written while it runs; its children's afterwards (each
        // starts with the blocks live in its parent at the fork).
        let followers = ChildFollowers(spoolBase: spoolBase, rootPid: UInt32(child.pid), output: options.output, options: options)
        let follower = SpoolFollower(spoolPath: "\(spoolBase).\(child.pid)", output: options.output, options: options,
                                     children: followers)
        follower.start()
        let ending = child.waitForAll(startedAt: start, rootEnded: { follower.processEnded() })
        let statuses = ending.statuses
        let conversionStart = monotonicSeconds()
        let rootStatus = statuses[child.pid] ?? 0
        let exitCode: Int32 = rootStatus & 0x7f == 0 ? (rootStatus >> 8) & 0xff : 128 + (rootStatus & 0x7f)

        if options.keepStateUntilExit { KeptUntilExit.keep(follower) }
        guard let (rootDump, rootChildren) = try follower.finish(end: statuses[child.pid].map(processEnd(waitStatus:))) else {
            throw RecordError(.noSpool(program: options.command[0]))
        }
        // Children followed while they ran (they started programs of their own) are finished now.
        if options.keepStateUntilExit { KeptUntilExit.keep(followers) }
        let followed = try followers.finish { statuses[pid_t($0)].map(processEnd(waitStatus:)) }
        let children = ChildDumps(alreadyWritten: Set(followed.keys).union([rootDump.pid])) { pid, inherited in
            let spool = "\(spoolBase).\(pid)"
            guard access(spool, F_OK) == 0 else { return nil }
            let output = pid == UInt32(child.pid) ? options.output : "\(options.output).\(pid)"
            let end = statuses[pid_t(pid)].map(processEnd(waitStatus:))
            return try convert(spool: spool, output: output, options: options, inherited: inherited, end: end)
        }
        var dumps: [RecordedDump] = [rootDump]
        dumps += try children.run(children: rootChildren, workers: Self.conversionThreads)
        let converted = Set(dumps.map(\.pid))
        for pid in spoolPids(base: spoolBase) where !converted.contains(pid) {
            if let dump = followed[pid] {
                dumps.append(dump)
                continue
            }
            let output = "\(options.output).\(pid)"
            let end = statuses[pid_t(pid)].map(processEnd(waitStatus:))
            dumps.append(try convert(spool: "\(spoolBase).\(pid)", output: output, options: options,
                                     inherited: [], end: end).0)
        }
        return RecordOutcome(exitCode: exitCode, dumps: dumps, programSeconds: ending.programSeconds,
                             conversionSeconds: monotonicSeconds() - conversionStart)
    }

    /// Child dumps written at once: one per core.
    static var conversionThreads: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    private static func convert(spool: String, output: String, options: RecordOptions, inherited: [InheritedBlock],
                                end: ProcessEnd?) throws -> (RecordedDump, [UInt32: [InheritedBlock]]) {
        let file = try AtomicOutputFile(path: output)
        let sink = ByteSink(file: file, zstdLevel: options.zstd ? 3 : nil)
        let converter = try DumpConverter(spoolPath: spool, sink: sink, commandLine: options.command,
                                          producerVersion: options.producerVersion)
        let result = try converter.convert(inherited: inherited, end: end)
        if options.keepStateUntilExit { KeptUntilExit.keep(converter) }
        let dump = RecordedDump(path: output, pid: converter.pid, parentPid: converter.parentPid,
                                commandLine: converter.commandLineRecorded, events: result.events,
                                processEnd: result.processEnd ?? ProcessEnd(timestamp: 0, how: .unknown, code: 0),
                                spoolOverflowed: result.spoolOverflowed)
        return (dump, result.inheritedByChild)
    }

    /// The spools live in a directory of their own next to the output, named after it and
    /// after memscope's pid (listing it, to find the children's spools, reads only them).
    static func spoolDirectory(for output: String) -> String {
        let slash = output.lastIndex(of: "/")
        let directory = slash.map { String(output[...$0]) } ?? ""
        let name = slash.map { String(output[output.index(after: $0)...]) } ?? output
        return "\(directory).\(name).spool-\(getpid())"
    }

    static func spoolPids(base: String) -> [UInt32] {
        let slash = base.lastIndex(of: "/")
        let directory = slash.map { String(base[..<$0]) } ?? "."
        let prefix = (slash.map { String(base[base.index(after: $0)...]) } ?? base) + "."
        guard let dir = opendir(directory.isEmpty ? "/" : directory) else { return [] }
        defer { closedir(dir) }
        var pids: [UInt32] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(prefix), let pid = UInt32(name.dropFirst(prefix.count)) { pids.append(pid) }
        }
        return pids.sorted()
    }

    private static func removeSpools(base: String) {
        for pid in spoolPids(base: base) { unlink("\(base).\(pid)") }
    }

    /// Allocators inside runtimes that take their memory straight from the kernel (mmap), where
    /// the recorder never sees it, sent to malloc unless the user chose otherwise: CPython's
    /// pymalloc serves every object of 512 bytes or less from its own 256 KiB arenas (a
    /// Python script building 20,000 dicts showed 6,401 events and none of its objects;
    /// with `PYTHONMALLOC=malloc`, 1.1M events, 50 MiB allocated, peak 12.4 MiB), as memray's
    /// native mode and heaptrack's documentation do. Programs that do not read the variable
    /// are not affected.
    static let runtimeAllocators = ["PYTHONMALLOC=malloc"]

    private static func environment(_ options: RecordOptions, spoolBase: String) -> [String] {
        var variables: [String] = []
        var preload = options.preloadLibrary
        var runtimeAllocators = Self.runtimeAllocators
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            index += 1
            // The user's own choice of a runtime's allocator stands.
            runtimeAllocators.removeAll { text.hasPrefix($0.prefix { $0 != "=" } + "=") }
            if text.hasPrefix("LD_PRELOAD=") {
                let existing = text.dropFirst("LD_PRELOAD=".count)
                if !existing.isEmpty { preload += ":" + existing }
                continue
            }
            // MEMSCOPE_UNWIND (libunwind, check) is the user's to choose, unless --frame-pointers says.
            if text.hasPrefix("MEMSCOPE_UNWIND=") && options.framePointers { continue }
            if text.hasPrefix("MEMSCOPE_SPOOL=") || text.hasPrefix("MEMSCOPE_FOLLOW_FORK=")
                || text.hasPrefix("MEMSCOPE_RECORDER=")
                || text.hasPrefix("MEMSCOPE_GUARD=") || text.hasPrefix("MEMSCOPE_QUARANTINE=")
                || text.hasPrefix("MEMSCOPE_SCAN_ON_FREE=") || text.hasPrefix("MEMSCOPE_SCAN_EVERY_NS=")
                || text.hasPrefix("MEMSCOPE_SCAN_AT_PEAK=") || text.hasPrefix("MEMSCOPE_SCAN_SPACED_EVENTS=") { continue }
            variables.append(text)
        }
        variables.append("LD_PRELOAD=\(preload)")
        variables += runtimeAllocators
        variables.append("MEMSCOPE_SPOOL=\(absolute(spoolBase))")
        variables.append("MEMSCOPE_FOLLOW_FORK=\(options.followFork ? "1" : "0")")
        variables.append("MEMSCOPE_RECORDER=\(getpid())")
        if options.framePointers { variables.append("MEMSCOPE_UNWIND=fp") }
        if options.guardBlocks { variables.append("MEMSCOPE_GUARD=1") }
        if !options.scanOnFree { variables.append("MEMSCOPE_SCAN_ON_FREE=0") }
        if options.scanEveryNanoseconds > 0 { variables.append("MEMSCOPE_SCAN_EVERY_NS=\(options.scanEveryNanoseconds)") }
        if options.scanAtPeak { variables.append("MEMSCOPE_SCAN_AT_PEAK=1") }
        if options.scanSpacedEvents > 0 { variables.append("MEMSCOPE_SCAN_SPACED_EVENTS=\(options.scanSpacedEvents)") }
        if options.quarantineBytes > 0 { variables.append("MEMSCOPE_QUARANTINE=\(options.quarantineBytes)") }
        return variables
    }

    /// An absolute path, so the program may change directory.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return cwd + "/" + path
    }

    /// The preload library: MEMSCOPE_PRELOAD, else next to the memscope executable
    /// (where `swift build` puts it), else in an install prefix.
    public static func findPreloadLibrary() throws -> String {
        if let configured = getenv("MEMSCOPE_PRELOAD").map({ String(cString: $0) }), !configured.isEmpty {
            return absolute(configured)
        }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = n > 0 ? buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : ""
        let directory = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        let name = DumpConverter.preloadLibraryName
        let candidates = [
            "\(directory)/memscope_memscope.resources/\(name)",
            "\(directory)/\(name)",
            "\(directory)/../lib/memscope/\(name)",
        ]
        if let found = candidates.first(where: { access($0, R_OK) == 0 }) { return found }
        throw RecordError(.preloadLibraryMissing(searched: candidates))
    }
}

extension RecordOutcome {
    /// The dumps as a process tree: each with its depth, parents before their children
    /// (in pid order). A dump whose parent has no dump of its own is a root.
    public var processTree: [(dump: RecordedDump, depth: Int)] {
        let pids = Set(dumps.map(\.pid))
        var children: [UInt32: [RecordedDump]] = [:]
        var roots: [RecordedDump] = []
        for dump in dumps {
            if dump.parentPid != 0, dump.parentPid != dump.pid, pids.contains(dump.parentPid) {
                children[dump.parentPid, default: []].append(dump)
            } else {
                roots.append(dump)
            }
        }
        var tree: [(dump: RecordedDump, depth: Int)] = []
        var seen = Set<UInt32>()
        func visit(_ dump: RecordedDump, _ depth: Int) {
            guard seen.insert(dump.pid).inserted else { return }
            tree.append((dump, depth))
            for child in (children[dump.pid] ?? []).sorted(by: { $0.pid < $1.pid }) { visit(child, depth + 1) }
        }
        for root in roots { visit(root, 0) }
        return tree
    }
}
