import Foundation
@testable import MemscopeFormat
import MemscopeModel
import Testing

/// A decompressor's output past its allowance and ratio stops with the "ratio" limit.
@Suite struct RatioLimitTests {
    /// zstd of `count` zero bytes (the zstd command line tool compresses them).
    func zstdZeros(_ count: Int) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ratio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("zeros")
        try Data(count: count).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zstd")
        process.arguments = ["-q", "-19", plain.path, "-o", plain.path + ".zst"]
        try process.run()
        process.waitUntilExit()
        return Array(try Data(contentsOf: URL(fileURLWithPath: plain.path + ".zst")))
    }

    func drain(_ source: ByteSource) throws -> Int {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { return total }
            total += n
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd")))
    func aBombStopsAtTheRatioLimit() throws {
        let compressed = try zstdZeros(8 << 20)
        #expect(compressed.count < 8 << 20 / 1000, "zeros compress more than 1000 to 1")
        let bomb = RatioLimitedSource(try ZstdByteSource(wrapping: MemoryByteSource(compressed), path: "z.zst"),
                                      path: "z.zst", ratio: 100, freeBytes: 1 << 20)
        #expect(throws: LimitExceeded.self) { _ = try drain(bomb) }
        do {
            _ = try drain(RatioLimitedSource(try ZstdByteSource(wrapping: MemoryByteSource(compressed), path: "z.zst"),
                                             path: "z.zst", ratio: 100, freeBytes: 1 << 20))
        } catch let error as LimitExceeded {
            #expect(error.name == "ratio" && error.description.contains("--limit ratio=N"))
        }
        // Under a ratio it never reaches, every byte comes through.
        let generous = RatioLimitedSource(try ZstdByteSource(wrapping: MemoryByteSource(compressed), path: "z.zst"),
                                          path: "z.zst", ratio: 1 << 40, freeBytes: 1 << 20)
        #expect(try drain(generous) == 8 << 20)
    }
}
