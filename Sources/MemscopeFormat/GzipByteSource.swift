import CZlib
import MemscopeModel

/// Decompresses a gzip stream (one or more members) from another source, with zlib.
///
/// As with zstd, a stream cut off inside a member is not an error: the bytes decoded so
/// far are served and a warning says the data was truncated.
final class GzipByteSource: ByteSource {
    static let magic: [UInt8] = [0x1F, 0x8B]

    private let inner: ByteSource
    private let path: String
    private var stream = z_stream()
    private let inputBuffer: UnsafeMutableRawBufferPointer
    private var innerEnded = false
    private var memberOpen = false
    private var compressedOffset: UInt64 = 0
    private var pending: BufferedInput?
    var diagnostics = Diagnostics()
    var rawBytesRead: UInt64 { inner.rawBytesRead }

    /// - Parameter firstBytes: bytes already read from `inner` while sniffing.
    init(wrapping inner: ByteSource, path: String, firstBytes: BufferedInput? = nil) throws {
        self.inner = inner
        self.path = path
        inputBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        // 15 + 16: a gzip header (not raw deflate or zlib).
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            inputBuffer.deallocate()
            throw DumpError(path: path, problem: .gzip(reason: "cannot create a decompression stream"))
        }
        pending = firstBytes
    }

    deinit {
        inflateEnd(&stream)
        inputBuffer.deallocate()
    }

    private func readCompressed() throws -> Int {
        try readSniffedThenInner(pending: &pending, inner: inner, into: inputBuffer)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        let capacity = Int(stream.avail_out)
        while Int(stream.avail_out) == capacity {
            if stream.avail_in == 0 {
                if innerEnded { break }
                let n = try readCompressed()
                if n == 0 {
                    innerEnded = true
                    break
                }
                stream.next_in = inputBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(n)
            }
            let before = stream.avail_in
            let status = inflate(&stream, Z_NO_FLUSH)
            compressedOffset += UInt64(before - stream.avail_in)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                memberOpen = true
            case Z_STREAM_END:
                // Another member may follow (concatenated gzip files).
                memberOpen = false
                inflateReset(&stream)
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw DumpError(path: path, location: .byte(compressedOffset), problem: .gzip(reason: reason))
            }
        }
        let produced = capacity - Int(stream.avail_out)
        if produced == 0 && innerEnded && memberOpen {
            memberOpen = false
            diagnostics.warn(key: "gzip-truncated", "the gzip stream ends inside a member; the file was cut off",
                             at: "\(path): compressed byte \(compressedOffset)",
                             hint: "everything decompressed before the cut is used")
        }
        return produced
    }
}
