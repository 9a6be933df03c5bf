import MemscopeFormat
import MemscopeModel

/// A block that was live in a process when it forked: the child's dump starts
/// with it, so that the child freeing it is not mistaken for an invalid free.
public struct InheritedBlock: Sendable {
    var timestamp: UInt64
    var thread: UInt32
    var address: UInt64
    var size: UInt64
    var kind: UInt8
    var addresses: [UInt64]
}

/// The blocks live in a process as its events go by, for the dumps of the children it
/// forks (each starts with the blocks live in its parent at the fork).
struct LiveBlocks {
    private var blocks: [UInt64: InheritedBlock] = [:]

    /// Follows an allocation, free or realloc; `addresses` gives a raw stack's addresses.
    mutating func apply(_ event: SpoolHeapEvent, thread: UInt32, addresses: (UInt32) -> [UInt64]) {
        switch event.tag {
        case 1 where event.address != 0:
            blocks[event.address] = InheritedBlock(timestamp: event.timestamp, thread: thread, address: event.address,
                                                   size: event.size, kind: event.kind, addresses: addresses(event.stack))
        case 2:
            blocks[event.address] = nil
        case 3 where event.address != 0 || event.size == 0:
            blocks[event.oldAddress] = nil
            if event.address != 0 {
                blocks[event.address] = InheritedBlock(timestamp: event.timestamp, thread: thread, address: event.address,
                                                       size: event.size, kind: 2, addresses: addresses(event.stack))
            }
        default: break
        }
    }

    /// The live blocks, oldest first.
    var snapshot: [InheritedBlock] { blocks.values.sorted { $0.timestamp < $1.timestamp } }
}

/// What converting one spool produced.
public struct ConversionResult: Sendable {
    public var events = 0
    public var spoolOverflowed = false
    /// Blocks live at each fork, by child pid.
    public var inheritedByChild: [UInt32: [InheritedBlock]] = [:]
    public var processEnd: ProcessEnd?
}

/// Turns a spool into a normal version-1 `.msd` dump: events in order of
/// occurrence, stacks symbolized from the recorded module map and demangled.
///
/// Either after the process ended (``convert(inherited:end:)``), or while it runs:
/// ``begin(inherited:)``, then ``drain(before:)`` after each ``SpoolStream/refresh()``,
/// then ``finish(end:)`` once it has ended.
public final class DumpConverter {
    private let spool: SpoolStream
    private var index: SpoolIndex { spool.index }
    private let writer: MSDBinaryWriter
    private var symbolizers: [UInt32: (symbolizer: Symbolizer, modules: Int)] = [:]
    private var strings: [String: UInt32] = [:]
    private var frames: [FrameKey: [UInt32]] = [:]
    private var stackNodes = StackNodeTable()
    private var rawStacks: [UInt32] = []
    private var live = LiveBlocks()
    /// Blocks live at each fork are kept only when the spool is read after its process
    /// ended and holds forks; while following one, ``inheritedBlocks(spoolPath:)`` replays it afterwards.
    private var tracksLiveBlocks = false
    private var result = ConversionResult()
    private var lastTimestamp: UInt64 = 0
    /// RSS samples (time, resident bytes) in time order, and the next to write.
    private var rss: [(timestamp: UInt64, bytes: UInt64)] = []
    private var nextRSS = 0
    private var lastRSSWritten: UInt64 = 0

    private struct FrameKey: Hashable { var generation: UInt32; var address: UInt64 }

    public static let preloadLibraryName = "libmemscope-preload.so"

    /// - Parameters:
    ///   - spoolPath: the spool of one process that has ended.
    ///   - sink: where the dump goes.
    ///   - commandLine: the traced command line, for `meta` when the spool has none of its own
    ///     (each program image records its own, so a forked or exec'd child's dump names its program).
    public convenience init(spoolPath: String, sink: ByteSink, commandLine: [String], producerVersion: String) throws {
        try self.init(spool: try SpoolStream.finished(path: spoolPath), sink: sink, commandLine: commandLine,
                      producerVersion: producerVersion)
    }

    /// `meta` names the process's first program image read so far (while the process runs,
    /// the image of the moment when none is read yet); each later image with another command
    /// line gets an `exec` record where it starts.
    init(spool: SpoolStream, sink: ByteSink, commandLine: [String], producerVersion: String) throws {
        self.spool = spool
        spool.refresh()
        let first = spool.index.commandLines.min { $0.key < $1.key }?.value
        let named = first ?? spool.commandLine ?? commandLine
        writer = try MSDBinaryWriter(sink: sink)
        try writer.write(.meta(Metadata(producer: "memscope-record", producerVersion: producerVersion,
                                        pid: spool.pid, startTimeUnixNanoseconds: spool.startRealtimeNanoseconds,
                                        clockUnitNanoseconds: 1, pointerSize: 8, commandLine: named,
                                        parentPid: spool.parentPid == 0 ? nil : spool.parentPid)))
        commandLineRecorded = named
    }

    public var pid: UInt32 { spool.pid }
    public var parentPid: UInt32 { spool.parentPid }
    /// The command line the process runs at the point written so far: `meta`'s, or the last
    /// `exec` record's.
    public private(set) var commandLineRecorded: [String] = []

    /// Writes every event, then `process_end`: `waitStatus` when memscope reaped the
    /// process, else what the process reported (exit/_exit), else "unknown".
    public func convert(inherited: [InheritedBlock] = [], end: ProcessEnd?) throws -> ConversionResult {
        spool.refresh()
        tracksLiveBlocks = !index.forks.isEmpty
        takeRSSSamples()
        try begin(inherited: inherited)
        try drain(before: nil)
        return try finish(end: end)
    }

    /// Writes the blocks the process inherited from its parent.
    func begin(inherited: [InheritedBlock]) throws {
        for block in inherited {
            try writeAlloc(timestamp: block.timestamp, thread: block.thread, address: block.address, size: block.size,
                           kind: block.kind, stack: try stackID(generation: 1, addresses: block.addresses))
        }
    }

    /// Writes the events read so far that were stamped before `watermark` (all when nil),
    /// and the RSS samples taken before each (see ``takeRSSSamples()``).
    func drain(before watermark: UInt64?) throws {
        try spool.drain(before: watermark, heapRun: { thread, events in
            for event in events {
                lastTimestamp = max(lastTimestamp, event.timestamp)
                if nextRSS < rss.count { try writeRSS(upTo: event.timestamp) }
                try write(event, thread: thread)
                if tracksLiveBlocks {
                    let stacks = index.stacks
                    live.apply(event, thread: thread) { stacks[$0]?.addresses ?? [] }
                }
            }
            result.events += events.count
        }, other: { thread, event in
            if let ts = event.timestamp {
                lastTimestamp = max(lastTimestamp, ts)
                if nextRSS < rss.count { try writeRSS(upTo: ts) }
            }
            try write(event, thread: thread, result: &result)
            result.events += 1
        })
    }

    /// An allocation, free or realloc.
    @inline(__always)
    private func write(_ event: SpoolHeapEvent, thread: UInt32) throws {
        switch event.tag {
        case 1:
            try writeAlloc(timestamp: event.timestamp, thread: thread, address: event.address, size: event.size,
                           kind: event.kind, stack: try stackID(raw: event.stack))
        case 2:
            try writer.writeFree(timestamp: event.timestamp, thread: thread, address: event.address,
                                 stack: try stackID(raw: event.stack))
        default:
            try writer.writeRealloc(timestamp: event.timestamp, thread: thread, oldAddress: event.oldAddress,
                                    newAddress: event.address, newSize: min(event.size, 1 << 48),
                                    stack: try stackID(raw: event.stack))
        }
    }

    /// The RSS samples the process has taken since the last one written (while it runs,
    /// the samples so far; once it has ended, all), to be written in time order between
    /// the events still to come.
    func takeRSSSamples() {
        rss = spool.rssSamples().filter { $0.timestamp > lastRSSWritten }.sorted { $0.timestamp < $1.timestamp }
        nextRSS = 0
    }

    private func writeRSS(upTo timestamp: UInt64) throws {
        while nextRSS < rss.count, rss[nextRSS].timestamp <= timestamp {
            try writer.write(.rssSample(timestamp: rss[nextRSS].timestamp, residentBytes: rss[nextRSS].bytes))
            lastRSSWritten = rss[nextRSS].timestamp
            nextRSS += 1
        }
    }

    /// Writes the RSS samples left, `process_end`, and ends the dump.
    func finish(end: ProcessEnd?) throws -> ConversionResult {
        result.spoolOverflowed = spool.overflowed
        for sample in rss[nextRSS...] {
            try writer.write(.rssSample(timestamp: sample.timestamp, residentBytes: sample.bytes))
            lastTimestamp = max(lastTimestamp, sample.timestamp)
            lastRSSWritten = sample.timestamp
        }
        nextRSS = rss.count
        let processEnd = end ?? index.reportedEnd.map {
            ProcessEnd(timestamp: lastTimestamp, how: $0.how == 1 ? .signalled : .exited, code: $0.code)
        } ?? ProcessEnd(timestamp: lastTimestamp, how: .unknown, code: 0)
        var ended = processEnd
        ended.timestamp = max(ended.timestamp, lastTimestamp)
        try writer.write(.processEnd(ended))
        result.processEnd = ended
        try writer.finish()
        return result
    }

    /// The blocks live at each fork of a process that has ended, by child pid: for a
    /// spool converted while it was written, replayed once more when it holds forks.
    static func inheritedBlocks(spoolPath: String) throws -> [UInt32: [InheritedBlock]] {
        let spool = try SpoolStream.finished(path: spoolPath)
        spool.refresh()
        guard !spool.index.forks.isEmpty else { return [:] }
        var live = LiveBlocks()
        var atFork: [UInt32: [InheritedBlock]] = [:]
        let stacks = spool.index.stacks
        spool.drain(before: nil, heap: { thread, event in
            live.apply(event, thread: thread) { stacks[$0]?.addresses ?? [] }
        }, other: { _, event in
            if case .fork(_, let child) = event { atFork[child] = live.snapshot }
        })
        return atFork
    }

    private func write(_ event: SpoolEvent, thread: UInt32, result: inout ConversionResult) throws {
        switch event {
        case .alloc, .free, .realloc:
            // Never here: ``SpoolStream/drain(before:heap:other:)`` hands them out as SpoolHeapEvents.
            assertionFailure("a heap event as a SpoolEvent")
        case .threadStart(let ts, let parent):
            try writer.write(.threadStart(timestamp: ts, thread: thread, parent: parent))
        case .threadName(let ts, let named, let name):
            try writer.write(.threadName(timestamp: ts, thread: named, name: try string(name)))
        case .threadExit(let ts):
            try writer.write(.threadExit(timestamp: ts, thread: thread))
        case .fork(_, let child):
            result.inheritedByChild[child] = live.snapshot
        case .module(let module):
            let buildID = module.buildIDHex
            try writer.write(.moduleMap(ModuleMapping(
                timestamp: module.timestamp, start: module.start, end: module.end, loadBias: module.bias,
                path: try string(module.path), buildID: buildID.isEmpty ? 0 : try string(buildID))))
        case .annotate(let ts, let address, let name, let type):
            try writer.write(.annotation(Annotation(timestamp: ts, thread: thread, address: address,
                                                    name: name.isEmpty ? 0 : try string(name),
                                                    typeName: type.isEmpty ? 0 : try string(Demangler.typeName(type)))))
        case .scopeEnter(let ts, let name):
            try writer.write(.scopeEnter(timestamp: ts, thread: thread, name: try string(name)))
        case .scopeExit(let ts):
            try writer.write(.scopeExit(timestamp: ts, thread: thread))
        case .taskEnter(let ts, let task):
            try writer.write(.task(timestamp: ts, thread: thread, task: task))
        case .taskExit(let ts):
            try writer.write(.task(timestamp: ts, thread: thread, task: 0))
        case .scan(let ts, _):
            scanTime = ts
            try writer.write(.pointerReference(PointerReference(timestamp: ts, source: .block, from: 0, to: 0,
                                                                interior: false)))
        case .reference(let from, let to, let interior):
            try writer.writePointerReference(timestamp: scanTime, source: .block, from: from, to: to, interior: interior)
        case .root(let to, let interior, let region):
            let source = PointerReference.Source(rawValue: region) ?? .otherMemory
            try writer.writePointerReference(timestamp: scanTime, source: source, from: 0, to: to, interior: interior)
        case .memoryError(let e):
            guard let kind = MemoryError.Kind(rawValue: e.kind), let side = MemoryError.Side(rawValue: e.side) else { break }
            try writer.write(.memoryError(MemoryError(
                timestamp: e.timestamp, thread: thread, kind: kind, address: e.address, size: min(e.size, 1 << 48),
                side: side, offset: e.offset, bytes: e.bytes, allocationStack: try stackID(raw: e.allocationStack),
                freeStack: try stackID(raw: e.freeStack), foundStack: try stackID(raw: e.foundStack))))
        case .words(let ts, let address, let indices, let values):
            try indices.withUnsafeBufferPointer { i in
                try values.withUnsafeBufferPointer { v in
                    try writer.writeBlockReferences(timestamp: ts, thread: thread, address: address, wordIndices: i, values: v)
                }
            }
        case .image(let ts, _, _, let commandLine?) where commandLine != commandLineRecorded:
            try writer.write(.exec(timestamp: ts, commandLine: commandLine))
            commandLineRecorded = commandLine
        case .stack, .image, .end:
            break
        }
    }

    private func writeAlloc(timestamp: UInt64, thread: UInt32, address: UInt64, size: UInt64, kind: UInt8,
                            stack: UInt32) throws {
        try writer.writeAlloc(timestamp: timestamp, thread: thread, address: address, size: min(size, 1 << 48),
                              kind: AllocatorKind(rawValue: kind) ?? .other, stack: stack)
    }

    // MARK: Interning

    private func string(_ value: String) throws -> UInt32 {
        if let id = strings[value] { return id }
        let id = UInt32(strings.count + 1)
        strings[value] = id
        try writer.write(.string(id: id, value: value))
        return id
    }

    /// The symbolizer of a program image, told about modules loaded since it was made.
    private func symbolizer(_ generation: UInt32) -> Symbolizer {
        let modules = index.modulesByGeneration[generation] ?? []
        if let (existing, known) = symbolizers[generation] {
            if modules.count > known {
                for module in modules[known...] { existing.add(later: module) }
                symbolizers[generation] = (existing, modules.count)
            }
            return existing
        }
        let made = Symbolizer(modules: modules)
        symbolizers[generation] = (made, modules.count)
        return made
    }

    /// The frames of a return address, innermost first: its inline chain, or one
    /// unnamed frame (module and offset) when nothing names it; none for the recorder's
    /// own frames. Each distinct address is symbolized once per program image.
    private func frameIDs(generation: UInt32, address: UInt64) throws -> [UInt32] {
        let key = FrameKey(generation: generation, address: address)
        if let ids = frames[key] { return ids }
        let symbol = symbolizer(generation).symbolize(returnAddress: address)
        if let module = symbol.module, module.hasSuffix("/" + DumpConverter.preloadLibraryName) {
            frames[key] = []
            return []
        }
        let module = try symbol.module.map(string) ?? 0
        let buildID = try symbol.buildID.map(string) ?? 0
        let chain = symbol.frames.isEmpty
            ? [SymbolizedFrame(function: nil, file: nil, line: 0, column: 0, isInlined: false)] : symbol.frames
        var ids: [UInt32] = []
        for frame in chain {
            frameCount += 1
            ids.append(frameCount)
            try writer.write(.frame(Frame(
                id: frameCount, instructionPointer: address, function: try frame.function.map(string) ?? 0,
                file: try frame.file.map(string) ?? 0, line: frame.line, module: module, column: frame.column,
                isInlined: frame.isInlined, moduleOffset: symbol.moduleOffset, buildID: buildID)))
        }
        frames[key] = ids
        return ids
    }

    private var frameCount: UInt32 = 0
    /// Time of the reference scan whose results are being written.
    private var scanTime: UInt64 = 0

    /// The dump's stack of a raw stack id (ids are dense: a counter in the spool's header).
    private func stackID(raw: UInt32) throws -> UInt32 {
        if raw == 0 { return 0 }
        let slot = Int(raw)
        if slot < rawStacks.count, rawStacks[slot] != 0 { return rawStacks[slot] }
        guard let stack = index.stacks[raw] else { return 0 }
        let id = try stackID(generation: stack.generation, addresses: stack.addresses)
        if slot >= rawStacks.count { rawStacks += [UInt32](repeating: 0, count: max(slot + 1 - rawStacks.count, rawStacks.count)) }
        rawStacks[slot] = id
        return id
    }

    /// Interns a raw stack (innermost address first) into the dump's stack trie.
    private func stackID(generation: UInt32, addresses: [UInt64]) throws -> UInt32 {
        var parent: UInt32 = 0
        for address in addresses.reversed() {
            // The physical function first (outermost), then what was inlined into it.
            for frame in try frameIDs(generation: generation, address: address).reversed() {
                if let id = stackNodes.node(parent: parent, frame: frame) {
                    parent = id
                    continue
                }
                let id = UInt32(stackNodes.count + 1)
                stackNodes.insert(parent: parent, frame: frame, id: id)
                try writer.write(.stack(id: id, parent: parent, frame: frame))
                parent = id
            }
        }
        return parent
    }
}
