import CMemscopeNative

#if canImport(Glibc)
import Glibc
#endif

/// A spool written by the preload library (layout in Sources/MemscopePreload/recorder.h
/// and docs/RECORDER.md): a 128 KiB header (fields, command line, RSS samples), then chunks of whole events, each chunk owned
/// by one thread, each event published by a release store of its chunk's length.
///
/// Read while the process still runs (``refresh()`` picks up what was published since),
/// or once it has ended. Each thread's events are read by two cursors: the *index*
/// cursor runs ahead to everything published, collecting stack definitions, modules,
/// forks and the reported end (``index``); the *merge* cursor hands out events in order
/// of time, never past what the index cursor has seen, so every stack an event names is
/// known. Memory: one decoded event per thread, plus the index (distinct stacks).
final class SpoolStream {
    static let magic: [UInt8] = Array("MSDSPOOL".utf8)
    static let version: UInt32 = 4
    static let headerSize = 131072
    static let commandLineOffset = 4096
    static let rssOffset = 65536
    static let chunkHeaderSize = 8

    let path: String
    let pid: UInt32
    let parentPid: UInt32
    let startRealtimeNanoseconds: UInt64
    /// Start of the spool's clock, in CLOCK_MONOTONIC nanoseconds: event time 0.
    let startMonotonicNanoseconds: UInt64
    /// The command line of the program image when the spool was opened (after the
    /// process ended: its last image's), nil when it recorded none.
    let commandLine: [String]?
    /// A fork child's spool: its dump starts with the blocks live in its parent at the fork.
    let forked: Bool
    /// Stacks, modules, forks and the reported end, as far as read.
    private(set) var index = SpoolIndex()

    private let base: UnsafeRawPointer
    private let mappedBytes: Int
    private let chunkSize: Int
    private let maxChunks: Int
    /// Chunks looked at so far, and those handed out whose owner had not written its id yet.
    private var scannedChunks = 0
    private var unclaimed: [Int] = []
    private var threads: [ThreadStream] = []
    private var threadSlot: [UInt32: Int] = [:]

    /// Opens a spool; nil while its process has not written its header yet.
    init?(openingIfReady path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw RecordError(.spoolUnreadable(path: path, reason: String(cString: strerror(errno))))
        }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: SpoolStream.headerSize)
        let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, SpoolStream.headerSize, 0) }
        // The process writes the magic first and the chunk limit last.
        guard n == SpoolStream.headerSize, Array(header[0..<8]) == SpoolStream.magic,
              SpoolStream.u32(header, 8) != 0, SpoolStream.u64(header, 72) != 0 else { return nil }
        guard SpoolStream.u32(header, 8) == SpoolStream.version else { throw RecordError(.spoolNotRecognised(path: path)) }
        self.path = path
        chunkSize = Int(SpoolStream.u32(header, 12))
        maxChunks = Int(clamping: SpoolStream.u64(header, 72))
        startMonotonicNanoseconds = SpoolStream.u64(header, 40)
        startRealtimeNanoseconds = SpoolStream.u64(header, 48)
        pid = SpoolStream.u32(header, 56)
        parentPid = SpoolStream.u32(header, 60)
        forked = SpoolStream.u32(header, 80) != 0
        commandLine = SpoolStream.commandLine(header)
        guard chunkSize > SpoolStream.chunkHeaderSize, maxChunks > 0 else { throw RecordError(.spoolNotRecognised(path: path)) }
        // The whole file the process may ever use: a sparse mapping, read only where written.
        mappedBytes = SpoolStream.headerSize + maxChunks * chunkSize
        guard let map = mmap(nil, mappedBytes, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else {
            throw RecordError(.spoolUnreadable(path: path, reason: String(cString: strerror(errno))))
        }
        base = UnsafeRawPointer(map)
    }

    /// Opens the spool of a process that has ended.
    static func finished(path: String) throws -> SpoolStream {
        guard let spool = try SpoolStream(openingIfReady: path) else { throw RecordError(.spoolNotRecognised(path: path)) }
        return spool
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), mappedBytes)
        for thread in threads { thread.batch.deallocate() }
    }

    /// The resident-set-size samples (time, bytes) the process has taken so far (rss.c);
    /// final once it has ended.
    func rssSamples() -> [(timestamp: UInt64, bytes: UInt64)] {
        let area = base + SpoolStream.rssOffset
        let count = min(Int(atomicLoad32(area)), (SpoolStream.headerSize - SpoolStream.rssOffset - 16) / 16)
        return (0..<count).map { i in
            let at = area + 16 + 16 * i
            return (at.loadUnaligned(as: UInt64.self), at.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// Events were dropped because the spool was full.
    var overflowed: Bool { atomicLoad64(base + 64) != 0 }

    /// Picks up chunks handed out and events published since the last call, and indexes them.
    func refresh() {
        let handedOut = min(Int(clamping: atomicLoad64(base + 16)), maxChunks)
        var claimedNow: [Int] = []
        unclaimed.removeAll { index in
            guard chunkThread(index) != 0 else { return false }
            claimedNow.append(index)
            return true
        }
        while scannedChunks < handedOut {
            if chunkThread(scannedChunks) != 0 { claimedNow.append(scannedChunks) } else { unclaimed.append(scannedChunks) }
            scannedChunks += 1
        }
        // A thread takes chunks in index order, so its chunks are read in index order.
        for index in claimedNow.sorted() {
            let thread = chunkThread(index)
            if let slot = threadSlot[thread] {
                threads[slot].chunks.append(index)
            } else {
                threadSlot[thread] = threads.count
                threads.append(ThreadStream(thread: thread, chunks: [index]))
            }
        }
        for slot in threads.indices { runIndexCursor(slot) }
    }

    /// Hands out events in order of time (ties in order of the threads' first chunks),
    /// those stamped before `watermark` only (every event when nil), up to what
    /// ``refresh()`` has read. Events without a time (a scan's references) travel with
    /// the event before them on their thread.
    func drain(before watermark: UInt64?, _ body: (UInt32, SpoolEvent) throws -> Void) rethrows {
        try drain(before: watermark, heap: { thread, event in try body(thread, event.event) }, other: body)
    }

    /// ``drain(before:_:)`` with allocations, frees and reallocs as plain values (`heap`),
    /// every other event as a ``SpoolEvent`` (`other`).
    func drain(before watermark: UInt64?, heap: (UInt32, SpoolHeapEvent) throws -> Void,
               other: (UInt32, SpoolEvent) throws -> Void) rethrows {
        try drain(before: watermark, heapRun: { thread, events in
            for event in events { try heap(thread, event) }
        }, other: other)
    }

    /// ``drain(before:heap:other:)`` with consecutive heap events of one thread handed out
    /// together, in order (`heapRun`): one call for a run instead of one per event.
    func drain(before watermark: UInt64?, heapRun: (UInt32, UnsafeBufferPointer<SpoolHeapEvent>) throws -> Void,
               other: (UInt32, SpoolEvent) throws -> Void) rethrows {
        var order: [Int] = []
        for slot in threads.indices where fillHead(slot) { push(&order, slot) }
        while let top = order.first {
            let timestamp = threads[top].headTime
            if let watermark, timestamp >= watermark { break }
            let thread = threads[top].thread
            if let event = threads[top].heapHead {
                threads[top].heapHead = nil
                try withUnsafePointer(to: event) { try heapRun(thread, UnsafeBufferPointer(start: $0, count: 1)) }
                // The same thread's next heap events follow while they sort before every other
                // thread's head: straight from its batch (one thread: the whole batch).
                try handOutRun(top, before: watermark, other: otherHead(order), thread: thread, heapRun)
            } else if let event = threads[top].otherHead {
                threads[top].otherHead = nil
                try other(thread, event)
            }
            if fillHead(top) { siftDown(&order, 0) } else { removeTop(&order) }
        }
    }

    /// The earliest head of the threads other than the top one, with its slot (which breaks
    /// a tie); nil when no other thread has one.
    private func otherHead(_ order: [Int]) -> (time: UInt64, slot: Int)? {
        var bound: (time: UInt64, slot: Int)?
        for child in order.dropFirst().prefix(2) {  // the heap's least other entry is one of these
            let time = threads[child].headTime
            if let b = bound, b.time < time || (b.time == time && b.slot < child) { continue }
            bound = (time, child)
        }
        return bound
    }

    /// Hands out the top thread's decoded heap events, in order, while each is stamped before
    /// the watermark and sorts before every other thread's head (`other`).
    @inline(__always)
    private func handOutRun(_ slot: Int, before watermark: UInt64?, other: (time: UInt64, slot: Int)?, thread: UInt32,
                            _ heapRun: (UInt32, UnsafeBufferPointer<SpoolHeapEvent>) throws -> Void) rethrows {
        let first = threads[slot].batchNext
        let count = threads[slot].batchCount
        guard first < count else { return }
        let end = watermark ?? 0, bounded = watermark != nil
        let otherTime = other?.time ?? UInt64.max, otherSlot = other?.slot ?? Int.max
        let events = threads[slot].batch
        var next = first
        while next < count {
            let time = events[next].timestamp
            guard !bounded || time < end, time < otherTime || (time == otherTime && slot < otherSlot) else { break }
            next += 1
        }
        guard next > first else { return }
        threads[slot].batchNext = next
        threads[slot].lastTimestamp = events[next - 1].timestamp
        try heapRun(thread, UnsafeBufferPointer(start: events + first, count: next - first))
    }

    // MARK: Threads

    private struct Cursor {
        var chunk = 0   // position in the thread's chunk list
        var offset = 0  // bytes of that chunk's events read
    }

    private struct ThreadStream {
        let thread: UInt32
        var chunks: [Int]
        /// Everything up to here is indexed (and may be merged).
        var indexed = Cursor()
        var merged = Cursor()
        /// The next event to merge: one of the two, stamped `headTime`.
        var heapHead: SpoolHeapEvent?
        var otherHead: SpoolEvent?
        var headTime: UInt64 = 0
        var hasHead: Bool { heapHead != nil || otherHead != nil }
        /// Decoded heap events (`batchCount` of the ``SpoolStream/batchSize`` allocated, freed
        /// with the stream); those from `batchNext` on not handed out yet, then `batchOther`.
        let batch: UnsafeMutablePointer<SpoolHeapEvent>
        var batchCount = 0
        var batchNext = 0
        var batchOther: SpoolEvent?
        var lastTimestamp: UInt64 = 0
        /// A malformed event ends the thread's stream.
        var broken = false

        init(thread: UInt32, chunks: [Int]) {
            self.thread = thread
            self.chunks = chunks
            batch = .allocate(capacity: SpoolStream.batchSize)
            batch.initialize(repeating: SpoolHeapEvent(tag: 0), count: SpoolStream.batchSize)
        }
    }

    private func chunkBase(_ index: Int) -> UnsafeRawPointer {
        base + SpoolStream.headerSize + index * chunkSize
    }

    private func chunkThread(_ index: Int) -> UInt32 { atomicLoad32(chunkBase(index)) }

    /// The published bytes of a chunk's events.
    private func published(_ index: Int) -> UnsafeRawBufferPointer {
        let used = Int(atomicLoad32(chunkBase(index) + 4))
        return UnsafeRawBufferPointer(start: chunkBase(index) + SpoolStream.chunkHeaderSize,
                                      count: min(used, chunkSize - SpoolStream.chunkHeaderSize))
    }

    /// Moves the thread's index cursor to the end of what is published: allocations, frees
    /// and reallocs are stepped over a chunk at a time, every other event indexed.
    private func runIndexCursor(_ slot: Int) {
        var cursor = threads[slot].indexed
        var broken = threads[slot].broken
        let chunks = threads[slot].chunks
        while !broken && cursor.chunk < chunks.count {
            let bytes = published(chunks[cursor.chunk])
            if cursor.offset < bytes.count {
                var decoder = EventDecoder(bytes: bytes, offset: cursor.offset)
                while decoder.skipHeapEvent() {}
                if decoder.offset < bytes.count {
                    if let event = decoder.decode() { index.add(event) } else { broken = true }
                }
                if !broken { cursor.offset = decoder.offset }
                continue
            }
            // A chunk is left only for the thread's next one, once that exists.
            guard cursor.chunk + 1 < chunks.count else { break }
            cursor.chunk += 1
            cursor.offset = 0
        }
        threads[slot].indexed = cursor
        threads[slot].broken = broken
    }

    /// Decodes the thread's next event to merge into its head; false when none is ready.
    /// Allocations, frees and reallocs are decoded a batch at a time (up to the next other
    /// event, the end of the chunk, or what the index cursor has seen).
    private func fillHead(_ slot: Int) -> Bool {
        if threads[slot].hasHead { return true }
        if threads[slot].batchNext == threads[slot].batchCount && threads[slot].batchOther == nil { refill(slot) }
        if threads[slot].batchNext < threads[slot].batchCount {
            let event = threads[slot].batch[threads[slot].batchNext]
            threads[slot].batchNext += 1
            threads[slot].lastTimestamp = event.timestamp
            threads[slot].headTime = event.timestamp
            threads[slot].heapHead = event
            return true
        }
        if let event = threads[slot].batchOther {
            threads[slot].batchOther = nil
            let timestamp = event.timestamp ?? threads[slot].lastTimestamp
            threads[slot].lastTimestamp = timestamp
            threads[slot].headTime = timestamp
            threads[slot].otherHead = event
            return true
        }
        return false
    }

    /// The thread's next batch: heap events, then (when one stops the batch) the other event after them.
    private func refill(_ slot: Int) {
        let batch = threads[slot].batch
        var count = 0
        threads[slot].batchNext = 0
        var cursor = threads[slot].merged
        let limit = threads[slot].indexed
        let chunks = threads[slot].chunks
        defer {
            threads[slot].merged = cursor
            threads[slot].batchCount = count
        }
        while cursor.chunk < chunks.count {
            if cursor.chunk > limit.chunk || (cursor.chunk == limit.chunk && cursor.offset >= limit.offset) { return }
            // Up to the index cursor in its chunk; an earlier chunk was read to its end by it, and is final.
            let whole = published(chunks[cursor.chunk])
            let bytes = cursor.chunk == limit.chunk ? UnsafeRawBufferPointer(rebasing: whole[..<limit.offset]) : whole
            if cursor.offset < bytes.count {
                var decoder = EventDecoder(bytes: bytes, offset: cursor.offset)
                var found = false
                while count < SpoolStream.batchSize, let event = decoder.decodeHeapEvent() {
                    batch[count] = event
                    count += 1
                    found = true
                }
                if found {
                    cursor.offset = decoder.offset
                    return
                }
                // An event of another kind (the index cursor decoded it already: it is whole). A
                // malformed one ends the thread's stream here.
                guard let event = decoder.decode() else { return }
                cursor.offset = decoder.offset
                if case .stack = event { continue }  // indexed already
                threads[slot].batchOther = event
                return
            }
            guard cursor.chunk + 1 < chunks.count else { return }
            cursor.chunk += 1
            cursor.offset = 0
        }
    }

    /// Heap events decoded at a time per thread.
    static let batchSize = 256

    // MARK: The merge heap (slots ordered by their head's time, then slot)

    private func less(_ a: Int, _ b: Int) -> Bool {
        let x = threads[a].headTime, y = threads[b].headTime
        return x != y ? x < y : a < b
    }

    private func push(_ heap: inout [Int], _ slot: Int) {
        heap.append(slot)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func removeTop(_ heap: inout [Int]) {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        if !heap.isEmpty { siftDown(&heap, 0) }
    }

    private func siftDown(_ heap: inout [Int], _ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && less(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    // MARK: Bytes

    /// The arguments stored at `commandLineOffset`: a length, a truncation flag, then
    /// /proc/self/cmdline (arguments each ending in NUL; a cut one ends with "…").
    private static func commandLine(_ header: [UInt8]) -> [String]? {
        let start = commandLineOffset + 8
        let length = min(Int(u32(header, commandLineOffset)), header.count - start)
        guard length > 0 else { return nil }
        return arguments(header[start..<start + length], truncated: u32(header, commandLineOffset + 4) != 0)
    }

    /// Arguments each ending in NUL, as /proc/self/cmdline holds them; nil when empty.
    static func arguments<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes, truncated: Bool) -> [String]? {
        guard !bytes.isEmpty else { return nil }
        var arguments = bytes.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if bytes.last == 0 { arguments.removeLast() } // after the last NUL
        if truncated, !arguments.isEmpty { arguments[arguments.count - 1] += "…" }
        return arguments
    }

    private static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    private static func u64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}

/// What the index cursors collect: the module map and command line of each program image,
/// the raw stacks (events name them by id), forks, and the end the process reported.
struct SpoolIndex {
    var modulesByGeneration: [UInt32: [SpoolModule]] = [:]
    var stacks: [UInt32: (generation: UInt32, addresses: [UInt64])] = [:]
    var forks: [UInt32] = []
    /// The command line of each program image that recorded one, by generation.
    var commandLines: [UInt32: [String]] = [:]
    /// The last exit status the process reported itself (exit/_exit), if any.
    var reportedEnd: (how: UInt8, code: UInt32)?
    /// Program image events read (the first comes right after the spool's header is written).
    var imagesSeen = 0

    mutating func add(_ event: SpoolEvent) {
        switch event {
        case .stack(let id, let generation, let addresses): stacks[id] = (generation, addresses)
        case .module(let module): modulesByGeneration[module.generation, default: []].append(module)
        case .fork(_, let child): forks.append(child)
        case .image(_, let generation, _, let commandLine):
            imagesSeen += 1
            if let commandLine { commandLines[generation] = commandLine }
        case .end(_, let how, let code): reportedEnd = (how, code)
        default: break
        }
    }
}

/// Loads a value another process stores with release semantics (x86-64: plain loads
/// are acquire loads; the volatile access keeps the compiler from caching it).
@inline(__always)
private func atomicLoad64(_ pointer: UnsafeRawPointer) -> UInt64 {
    ms_volatile_load64(pointer.assumingMemoryBound(to: UInt64.self))
}

@inline(__always)
private func atomicLoad32(_ pointer: UnsafeRawPointer) -> UInt32 {
    ms_volatile_load32(pointer.assumingMemoryBound(to: UInt32.self))
}
