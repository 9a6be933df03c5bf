import MemscopeModel

/// A file's bytes after decompression, for importers of other tools' files: zstd and
/// gzip are recognised by their magic bytes (never by the file name) and undone on the fly.
///
/// ```swift
/// let file = try DecodedFile(path: "heaptrack.app.1234.zst")
/// while let line = try file.nextLine() { … file.lineNumber … }
/// ```
public final class DecodedFile {
    public enum Compression: String, Sendable {
        case none, zstd, gzip
    }

    /// Lines longer than this are an error (no text format we read comes close).
    public static let maxLineLength = 64 << 20

    public let path: String
    public let compression: Compression
    private let input: BufferedInput
    /// The 1-based number of the line last returned by ``nextLine()``.
    public private(set) var lineNumber = 0

    public convenience init(path: String, limits: InputLimits = .default) throws {
        try self.init(source: FileByteSource(path: path), path: path, limits: limits)
    }

    public convenience init(bytes: [UInt8], path: String = "<memory>") throws {
        // No bigger window than the bytes (plus the first read's end check): a fuzz target opens thousands a second.
        try self.init(source: MemoryByteSource(bytes), path: path, capacity: min(1 << 20, max(64, bytes.count + 1)))
    }

    init(source: ByteSource, path: String, limits: InputLimits = .default, capacity: Int = 1 << 20) throws {
        self.path = path
        let raw = BufferedInput(source: source, capacity: capacity)
        _ = try raw.ensure(MSDFormat.zstdMagic.count)
        if Self.startsWith(raw, MSDFormat.zstdMagic) {
            compression = .zstd
            input = BufferedInput(source: RatioLimitedSource(try ZstdByteSource(wrapping: source, path: path, firstBytes: raw),
                                                             path: path, ratio: limits.decompressionRatio))
        } else if Self.startsWith(raw, GzipByteSource.magic) {
            compression = .gzip
            input = BufferedInput(source: RatioLimitedSource(try GzipByteSource(wrapping: source, path: path, firstBytes: raw),
                                                             path: path, ratio: limits.decompressionRatio))
        } else {
            compression = .none
            input = raw
        }
    }

    /// Bytes taken from the file so far (compressed bytes when compressed), for progress.
    public var rawBytesRead: UInt64 { input.source.rawBytesRead }

    /// Warnings of the decompressor (a cut-off stream).
    public var diagnostics: Diagnostics { input.source.diagnostics }

    /// Up to `count` bytes from the current position, without consuming them.
    public func peek(_ count: Int) throws -> [UInt8] {
        _ = try input.ensure(count)
        let n = min(count, input.available)
        return Array(UnsafeRawBufferPointer(start: input.pointer, count: n))
    }

    /// The next line without its line end (`\n` or `\r\n`); nil at the end of the input.
    /// A last line without a line end is returned too.
    public func nextLine() throws -> String? {
        try nextLineBytes().map { String(decoding: $0, as: UTF8.self) }
    }

    /// Like ``nextLine()``, without making a String: the bytes stay valid until the next
    /// call that reads from the file.
    public func nextLineBytes() throws -> UnsafeRawBufferPointer? {
        var scanned = 0
        while true {
            let available = input.available
            if scanned < available {
                let bytes = UnsafeRawBufferPointer(start: input.pointer, count: available)
                if let newline = bytes[scanned...].firstIndex(of: 0x0A) {
                    var end = newline
                    if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
                    input.start += newline + 1
                    lineNumber += 1
                    return UnsafeRawBufferPointer(rebasing: bytes[0..<end])
                }
                scanned = available
            }
            if available > Self.maxLineLength {
                throw DumpError(path: path, location: .line(lineNumber + 1, column: 1),
                                problem: .lineTooLong(length: Self.maxLineLength))
            }
            if !(try input.fill()) {
                guard input.available > 0 else { return nil }
                let bytes = UnsafeRawBufferPointer(start: input.pointer, count: input.available)
                input.start += input.available
                lineNumber += 1
                return bytes
            }
        }
    }

    /// Every complete line buffered from the current position, with their line ends, not
    /// consumed (valid until the next call that reads from the file): at least one line, or
    /// the input's last bytes when they have no line end; nil at the end of the input. For
    /// readers that split lines themselves: ``consumeLines(_:lines:)`` then moves on.
    public func bufferedLines() throws -> UnsafeRawBufferPointer? {
        while true {
            let available = input.available
            // The last line end, looked for from the end (lines are short).
            let bytes = input.pointer.assumingMemoryBound(to: UInt8.self)
            var last = available - 1
            while last >= 0 && bytes[last] != 0x0A { last -= 1 }
            if last >= 0 { return UnsafeRawBufferPointer(start: input.pointer, count: last + 1) }
            if available > Self.maxLineLength {
                throw DumpError(path: path, location: .line(lineNumber + 1, column: 1),
                                problem: .lineTooLong(length: Self.maxLineLength))
            }
            if !(try input.fill()) {
                return input.available > 0 ? UnsafeRawBufferPointer(start: input.pointer, count: input.available) : nil
            }
        }
    }

    /// Consumes the first `count` bytes of ``bufferedLines()``, which hold `lines` lines
    /// (the line number moves on by as many).
    public func consumeLines(_ count: Int, lines: Int) {
        input.start += max(0, min(count, input.available))
        lineNumber += lines
    }

    /// The next bytes of the input, consumed (valid until the next call that reads from
    /// the file); nil at the end. For readers that stream, such as the JSON importers.
    public func nextChunk() throws -> UnsafeRawBufferPointer? {
        if input.available == 0 {
            guard try input.fill(), input.available > 0 else { return nil }
        }
        let bytes = UnsafeRawBufferPointer(start: input.pointer, count: input.available)
        input.start += input.available
        return bytes
    }

    /// The bytes from the current position on, without consuming them: at least `count`
    /// of them, or every byte left when the input ends first (valid until the next call
    /// that reads from the file). The window grows only as bytes arrive, so a `count` past
    /// the input's end costs no more memory than the input still holds. For readers that
    /// parse a binary record in place and may read it again (``consume(_:)`` then moves on).
    public func window(_ count: Int) throws -> UnsafeRawBufferPointer {
        while input.available < count, try input.fill() {}
        return UnsafeRawBufferPointer(start: input.pointer, count: input.available)
    }

    /// Consumes `count` bytes of the window (at most what it holds).
    public func consume(_ count: Int) {
        input.start += max(0, min(count, input.available))
    }

    /// Bytes the reading window can hold now without growing: what this file costs in
    /// memory, whatever its size (tests check that a streaming reader keeps it small).
    public var windowCapacity: Int { input.storage.count }

    /// Every remaining byte; throws when there are more than `limit`.
    public func readAll(limit: Int = 1 << 32) throws -> [UInt8] {
        while try input.fill() {
            if input.available > limit {
                throw DumpError(path: path, problem: .readFailed(reason: "larger than \(limit) bytes after decompression"))
            }
        }
        let bytes = Array(UnsafeRawBufferPointer(start: input.pointer, count: input.available))
        input.start += input.available
        return bytes
    }

    private static func startsWith(_ input: BufferedInput, _ prefix: [UInt8]) -> Bool {
        guard input.available >= prefix.count else { return false }
        return (0..<prefix.count).allSatisfy { input.pointer.load(fromByteOffset: $0, as: UInt8.self) == prefix[$0] }
    }
}
