import MemscopeModel

/// Opens a dump file, recognising its form by content, not by name.
///
/// ```swift
/// let reader = try DumpOpener.open(path: "samples/server-leak.msd")
/// try reader.forEach { record in … }
/// ```
public enum DumpOpener {
    /// Opens `path` (optionally zstd-compressed) and returns a streaming reader.
    /// - Parameter format: forces a form instead of detecting it.
    /// - Throws: ``DumpError`` when the file cannot be opened or is not a dump.
    public static func open(path: String, format: DumpFormat? = nil, limits: InputLimits = .default) throws -> any RecordReader {
        try open(source: FileByteSource(path: path), path: path, format: format, limits: limits)
    }

    /// Reads a dump held in memory (tests, and stdin).
    public static func open(bytes: [UInt8], path: String = "<memory>", format: DumpFormat? = nil) throws -> any RecordReader {
        try open(source: MemoryByteSource(bytes), path: path, format: format, capacity: min(1 << 20, max(64, bytes.count + 1)))
    }

    static func open(source: ByteSource, path: String, format: DumpFormat?, limits: InputLimits = .default,
                     capacity: Int = 1 << 20) throws -> any RecordReader {
        var input = BufferedInput(source: source, capacity: capacity)
        _ = try input.ensure(MSDFormat.zstdMagic.count)
        if input.available == 0 { throw DumpError(path: path, problem: .emptyFile) }
        if startsWith(input, MSDFormat.zstdMagic) {
            input = BufferedInput(source: RatioLimitedSource(try ZstdByteSource(wrapping: source, path: path, firstBytes: input),
                                                             path: path, ratio: limits.decompressionRatio))
            _ = try input.ensure(MSDFormat.magic.count)
            if input.available == 0 {
                let cut = !input.source.diagnostics.isEmpty
                throw DumpError(path: path, problem: cut ? .zstd(reason: "the compressed stream is cut off before any data") : .emptyFile)
            }
        }
        _ = try input.ensure(MSDFormat.magic.count)
        let detected = try format ?? detect(input, path: path)
        switch detected {
        case .msd: return MSDBinaryReader(path: path, input: input)
        case .jsonl: return JSONLinesReader(path: path, input: input)
        }
    }

    private static func startsWith(_ input: BufferedInput, _ prefix: [UInt8]) -> Bool {
        let count = min(input.available, prefix.count)
        guard count == prefix.count else { return false }
        return (0..<count).allSatisfy { input.pointer.load(fromByteOffset: $0, as: UInt8.self) == prefix[$0] }
    }

    private static func detect(_ input: BufferedInput, path: String) throws -> DumpFormat {
        let count = min(input.available, MSDFormat.magic.count)
        let head = (0..<count).map { input.pointer.load(fromByteOffset: $0, as: UInt8.self) }
        // A prefix of the magic is a binary dump cut off inside its header.
        if head.elementsEqual(MSDFormat.magic.prefix(count)) { return .msd }
        if let first = head.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
           first == UInt8(ascii: "{") || first == UInt8(ascii: "#") {
            return .jsonl
        }
        if head.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return .jsonl }
        let hex = head.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
        throw DumpError(path: path, location: .byte(0), problem: .notADump(found: hex))
    }
}
