import CZstd
import MemscopeModel
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Something that yields the bytes of an input, chunk by chunk.
protocol ByteSource: AnyObject {
    /// Fills `buffer` from the front; returns the number of bytes written, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Warnings about the source itself (e.g. a truncated zstd stream).
    var diagnostics: Diagnostics { get }
    /// Bytes taken from the file so far (compressed bytes for a zstd source); safe to read
    /// from another thread, for progress bars.
    var rawBytesRead: UInt64 { get }
}

/// Reads a file with read(2).
final class FileByteSource: ByteSource {
    let path: String
    private let fd: Int32
    var diagnostics = Diagnostics()
    private let consumed = Atomic<UInt64>(0)
    var rawBytesRead: UInt64 { consumed.load(ordering: .relaxed) }

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DumpError(path: path, problem: .cannotOpen(reason: String(cString: strerror(errno))))
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw DumpError(path: path, problem: .cannotOpen(reason: "it is a directory"))
        }
        self.fd = fd
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                consumed.add(UInt64(n), ordering: .relaxed)
                return n
            }
            if errno == EINTR { continue }
            throw DumpError(path: path, problem: .readFailed(reason: String(cString: strerror(errno))))
        }
    }
}

/// Serves bytes from memory (tests, and the first bytes a sniffer already read).
final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    var diagnostics = Diagnostics()
    var rawBytesRead: UInt64 { 0 }

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}

/// Decompresses a zstd stream (one or more frames) from another source.
///
/// A stream that ends inside a frame is not an error: the bytes decoded so far are
/// served, and a warning says the compressed data was truncated.
final class ZstdByteSource: ByteSource {
    private let inner: ByteSource
    private let path: String
    private let stream: OpaquePointer
    private let inputBuffer: UnsafeMutableRawBufferPointer
    private var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var innerEnded = false
    private var frameOpen = false
    private var compressedOffset: UInt64 = 0
    var diagnostics = Diagnostics()
    var rawBytesRead: UInt64 { inner.rawBytesRead }

    /// - Parameter firstBytes: bytes already read from `inner` while sniffing; they are
    ///   decompressed first.
    init(wrapping inner: ByteSource, path: String, firstBytes: BufferedInput? = nil) throws {
        guard let stream = ZSTD_createDStream() else {
            throw DumpError(path: path, problem: .zstd(reason: "cannot create a decompression stream"))
        }
        self.inner = inner
        self.path = path
        self.stream = stream
        self.inputBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
        input.src = UnsafeRawPointer(inputBuffer.baseAddress)
        if let firstBytes, firstBytes.available > 0 {
            let count = min(firstBytes.available, inputBuffer.count)
            inputBuffer.baseAddress!.copyMemory(from: firstBytes.pointer, byteCount: count)
            input.size = count
            firstBytes.start += count
            pending = firstBytes
        }
    }

    /// Sniffed bytes that did not fit the first input buffer.
    private var pending: BufferedInput?

    deinit {
        ZSTD_freeDStream(stream)
        inputBuffer.deallocate()
    }

    private func readCompressed() throws -> Int {
        try readSniffedThenInner(pending: &pending, inner: inner, into: inputBuffer)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var output = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while output.pos == 0 {
            if input.pos == input.size {
                if innerEnded { break }
                compressedOffset += UInt64(input.size)
                let n = try readCompressed()
                input.size = n
                input.pos = 0
                if n == 0 {
                    innerEnded = true
                    break
                }
            }
            let ret = ZSTD_decompressStream(stream, &output, &input)
            if ZSTD_isError(ret) != 0 {
                let reason = String(cString: ZSTD_getErrorName(ret))
                throw DumpError(path: path, location: .byte(compressedOffset + UInt64(input.pos)),
                                problem: .zstd(reason: reason))
            }
            frameOpen = ret != 0
        }
        if output.pos == 0 && innerEnded && frameOpen {
            frameOpen = false
            diagnostics.warn(key: "zstd-truncated", "the zstd stream ends inside a frame; the dump was cut off",
                             at: "\(path): compressed byte \(compressedOffset)",
                             hint: "everything decompressed before the cut is used")
        }
        return output.pos
    }
}

/// A growable window over a ``ByteSource`` with absolute byte offsets.
final class BufferedInput {
    private(set) var storage: UnsafeMutableRawBufferPointer
    /// First unconsumed byte in `storage`.
    var start = 0
    /// One past the last valid byte in `storage`.
    private(set) var end = 0
    /// Absolute offset of `storage[0]` in the (decompressed) input.
    private(set) var base: UInt64 = 0
    private(set) var atEnd = false
    let source: ByteSource

    init(source: ByteSource, capacity: Int = 1 << 20) {
        self.source = source
        self.storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// Absolute offset of the first unconsumed byte.
    var offset: UInt64 { base + UInt64(start) }
    var available: Int { end - start }
    var pointer: UnsafeRawPointer { UnsafeRawPointer(storage.baseAddress!) + start }

    /// Makes at least `count` bytes available; returns false if the input ends first.
    func ensure(_ count: Int) throws -> Bool {
        if end - start >= count { return true }
        if atEnd { return false }
        if start > 0 {
            let live = end - start
            if live > 0 {
                storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: live)
            }
            base += UInt64(start)
            start = 0
            end = live
        }
        if count > storage.count {
            var capacity = storage.count
            while capacity < count { capacity *= 2 }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
            bigger.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: end)
            storage.deallocate()
            storage = bigger
        }
        while end - start < count {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end...]))
            if n == 0 {
                atEnd = true
                return false
            }
            end += n
        }
        return true
    }

    /// Reads more bytes if any; returns false when nothing more can come.
    func fill() throws -> Bool { try ensure(available + 1) }
}

/// The next compressed bytes for a decompressor: first what sniffing already read
/// (`pending`), then the wrapped source.
func readSniffedThenInner(pending: inout BufferedInput?, inner: ByteSource,
                          into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    if let sniffed = pending, sniffed.available > 0 {
        let count = min(sniffed.available, buffer.count)
        buffer.baseAddress!.copyMemory(from: sniffed.pointer, byteCount: count)
        sniffed.start += count
        return count
    }
    pending = nil
    return try inner.read(into: buffer)
}

/// A decompressor's output, stopped with ``LimitExceeded`` ("ratio") once it passes 1 GiB
/// and more than `ratio` bytes per compressed byte read: a small hostile file cannot make
/// memscope spend minutes on gigabytes of padding.
final class RatioLimitedSource: ByteSource {
    private let inner: ByteSource
    private let path: String
    private let ratio: UInt64
    /// Output allowed at any ratio (1 GiB; tests lower it).
    private let freeBytes: UInt64
    private var produced: UInt64 = 0

    init(_ inner: ByteSource, path: String, ratio: UInt64, freeBytes: UInt64 = 1 << 30) {
        self.inner = inner
        self.path = path
        self.ratio = max(1, ratio)
        self.freeBytes = freeBytes
    }

    var diagnostics: Diagnostics { inner.diagnostics }
    var rawBytesRead: UInt64 { inner.rawBytesRead }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try inner.read(into: buffer)
        produced += UInt64(n)
        if produced > freeBytes, produced / max(1, inner.rawBytesRead) > ratio {
            throw LimitExceeded(path: path, name: "ratio", limit: ratio,
                                found: "\(Units.count(inner.rawBytesRead)) compressed bytes gave more than \(Units.count(produced)) bytes",
                                location: "byte \(Units.count(produced)) after decompression")
        }
        return n
    }
}
