import Foundation
import MemscopeImport
import MemscopeTestSupport
import Testing

/// The per-reader fuzz targets' entry: each reader on bytes in memory reads a real file of
/// its format to its end (a target that stopped at the first bytes would fuzz nothing).
@Suite struct InMemoryReaderTests {
    static let files: [InMemoryReader.Kind: String] = [
        .msd: "samples/memory-errors.msd",
        .jsonl: "samples/tiny.jsonl",
        .heaptrack: "Tests/Fixtures/imports/heaptrack.workload.zst",
        .massif: "Tests/Fixtures/imports/massif.out.workload",
        .dhat: "Tests/Fixtures/imports/dhat.out.workload",
        .folded: "Tests/Fixtures/imports/workload.allocations.folded",
        .memscopeRsJSON: "Tests/Fixtures/memscope-rs/v0.1/demo_memory_analysis.json",
        .memscopeRsBinary: "Tests/Fixtures/memscope-rs/v0.1/demo.memscope",
    ]

    func bytes(_ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: TestPaths.packageRoot.appendingPathComponent(file)))
    }

    @Test(arguments: InMemoryReader.Kind.allCases)
    func eachReaderReadsAFileOfItsFormat(kind: InMemoryReader.Kind) throws {
        let file = try #require(Self.files[kind])
        let count = try InMemoryReader.read(try bytes(file), as: kind)
        switch kind {
        case .msd, .jsonl:
            #expect(count == (try readAll(try bytes(file))).records.count)
        case .memscopeRsBinary:
            #expect(count == 4)  // the demo's records (MemscopeRsBinaryTests)
        case .dhat:
            #expect(count == 0)  // nothing analysed; but read to the end, where a cut is seen
            #expect(throws: (any Error).self) { try InMemoryReader.read(Array(try bytes(file).dropLast(8)), as: kind) }
        case .folded:
            #expect(count == 0)  // nothing analysed; but read to the end, where a bad line is seen
            #expect(throws: (any Error).self) { try InMemoryReader.read(try bytes(file) + Array("no count\n".utf8), as: kind) }
        default:
            #expect(count > 1)
        }
        // Another format's bytes are refused, never read as this one.
        let other = kind == .msd ? "samples/tiny.jsonl" : "samples/memory-errors.msd"
        #expect(throws: (any Error).self, "\(kind)") { try InMemoryReader.read(try bytes(other), as: kind) }
    }
}
