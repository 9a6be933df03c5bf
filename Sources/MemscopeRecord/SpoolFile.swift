#if canImport(Glibc)
import Glibc
#endif

/// A spool written by the preload library: a header page, then chunks of whole
/// events, each chunk owned by one thread (layout in Sources/MemscopePreload/recorder.h and
/// docs/RECORDER.md). Mapped read-only; only the chunks handed out are read.
final class SpoolFile {
    static let magic: [UInt8] = Array("MSDSPOOL".utf8)
    static let headerSize = 131072
    static let commandLineOffset = 4096
    static let rssOffset = 65536
    static let chunkHeaderSize = 8

    let path: String
    let pid: UInt32
    let parentPid: UInt32
    let startRealtimeNanoseconds: UInt64
    let overflowed: Bool
    /// The command line of the process's last program image, nil when it recorded none.
    let commandLine: [String]?
    /// Resident-set-size samples (time, bytes), in the order taken (rss.c).
    let rssSamples: [(timestamp: UInt64, bytes: UInt64)]
    /// Chunk indices per thread id, in the order they were handed out.
    let chunksByThread: [(thread: UInt32, chunks: [Int])]

    private let base: UnsafeRawPointer
    private let mappedBytes: Int
    private let chunkSize: Int

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RecordError(.spoolUnreadable(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: SpoolFile.headerSize)
        let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, SpoolFile.headerSize, 0) }
        guard n == SpoolFile.headerSize, Array(header[0..<8]) == SpoolFile.magic,
              SpoolFile.u32(header, 8) == 2 else {
            throw RecordError(.spoolNotRecognised(path: path))
        }
        chunkSize = Int(SpoolFile.u32(header, 12))
        let chunkCount = min(Int(clamping: SpoolFile.u64(header, 16)), Int(clamping: SpoolFile.u64(header, 72)))
        startRealtimeNanoseconds = SpoolFile.u64(header, 48)
        pid = SpoolFile.u32(header, 56)
        parentPid = SpoolFile.u32(header, 60)
        overflowed = SpoolFile.u64(header, 64) != 0
        commandLine = SpoolFile.commandLine(header)
        let rssCount = min(Int(SpoolFile.u32(header, SpoolFile.rssOffset)), (SpoolFile.headerSize - SpoolFile.rssOffset - 16) / 16)
        rssSamples = (0..<rssCount).map { i in
            let at = SpoolFile.rssOffset + 16 + 16 * i
            return (SpoolFile.u64(header, at), SpoolFile.u64(header, at + 8))
        }
        mappedBytes = SpoolFile.headerSize + chunkCount * chunkSize
        guard let map = mmap(nil, mappedBytes, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else {
            throw RecordError(.spoolUnreadable(path: path, reason: String(cString: strerror(errno))))
        }
        base = UnsafeRawPointer(map)
        var order: [UInt32] = []
        var byThread: [UInt32: [Int]] = [:]
        for index in 0..<chunkCount {
            let chunk = base + SpoolFile.headerSize + index * chunkSize
            let thread = chunk.loadUnaligned(as: UInt32.self)
            let used = chunk.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            if thread == 0 || used == 0 { continue } // reserved, never written
            if byThread[thread] == nil { order.append(thread) }
            byThread[thread, default: []].append(index)
        }
        chunksByThread = order.map { ($0, byThread[$0]!) }
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), mappedBytes) }

    /// The bytes of whole events in a chunk.
    func events(inChunk index: Int) -> UnsafeRawBufferPointer {
        let chunk = base + SpoolFile.headerSize + index * chunkSize
        let used = Int(chunk.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        return UnsafeRawBufferPointer(start: chunk + SpoolFile.chunkHeaderSize,
                                      count: min(used, chunkSize - SpoolFile.chunkHeaderSize))
    }

    /// The arguments stored at `commandLineOffset`: a length, a truncation flag, then
    /// /proc/self/cmdline (arguments each ending in NUL; a cut one ends with "…").
    private static func commandLine(_ header: [UInt8]) -> [String]? {
        let start = commandLineOffset + 8
        let length = min(Int(u32(header, commandLineOffset)), header.count - start)
        guard length > 0 else { return nil }
        let truncated = u32(header, commandLineOffset + 4) != 0
        var arguments = header[start..<start + length].split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if header[start + length - 1] == 0 { arguments.removeLast() } // after the last NUL
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

/// Reads one thread's events across its chunks, in order.
struct ThreadEventCursor {
    let thread: UInt32
    private let spool: SpoolFile
    private let chunks: [Int]
    private var chunkIndex = 0
    private var bytes: UnsafeRawBufferPointer
    private var offset = 0

    init(spool: SpoolFile, thread: UInt32, chunks: [Int]) {
        self.spool = spool
        self.thread = thread
        self.chunks = chunks
        self.bytes = spool.events(inChunk: chunks[0])
    }

    /// The next event, or nil at the end (a malformed tail ends the thread's stream).
    mutating func next() -> SpoolEvent? {
        while offset >= bytes.count {
            chunkIndex += 1
            guard chunkIndex < chunks.count else { return nil }
            bytes = spool.events(inChunk: chunks[chunkIndex])
            offset = 0
        }
        var decoder = EventDecoder(bytes: bytes, offset: offset)
        guard let event = decoder.decode() else {
            offset = bytes.count
            chunkIndex = chunks.count
            return nil
        }
        offset = decoder.offset
        return event
    }
}
