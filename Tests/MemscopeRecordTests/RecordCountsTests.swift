import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Recorded programs checked figure by figure against what their source does.
@Suite struct RecordCountsTests {
    @Test func exactCountsOfEveryAllocator() throws {
        let program = try TestProgram.compile("counts")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        let totals = recorded.analysis.totals
        // counts.c uses no stdio, so libc allocates nothing of its own: the whole dump is the program's.
        #expect(totals.allocations == 132)
        #expect(totals.frees == 86)
        #expect(totals.bytesAllocated == 20986)
        #expect(totals.leakedBlocks == 46)
        #expect(totals.leakedBytes == 3976)
        #expect(totals.errors == 0)
        #expect(recorded.figures(through: "small_blocks") == (100, 60, 5050))
        #expect(recorded.figures(through: "zeroed_blocks") == (5, 0, 500))
        #expect(recorded.figures(through: "realloc_chain") == (20, 20, 13440))
        let alignedBytes: UInt64 = 2 * 256 + 3 * 128 + 100 + 1000
        #expect(recorded.figures(through: "aligned_blocks") == (7, 6, alignedBytes))
        #expect(recorded.analysis.processEnd?.how == .exited)
        #expect(!recorded.truncated)
    }

    @Test func zstdDumpsReadBackTheSame() throws {
        let program = try TestProgram.compile("counts")
        let (plain, plainDump) = try program.record()
        let (compressed, zstdDump) = try program.record(options: ["--zstd"], dumpName: "counts.msd.zst")
        #expect(plain.status == 0 && compressed.status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: zstdDump))
        #expect(Array(bytes.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD])
        let a = try summaryJSON(plainDump), b = try summaryJSON(zstdDump)
        for key in ["allocations", "frees", "bytes_allocated", "leaked_bytes", "still_reachable_bytes"] {
            #expect(a[key] as? Int == b[key] as? Int, "\(key)")
        }
    }

    @Test func allocatorKindsAndSourceLines() throws {
        let program = try TestProgram.compile("counts")
        let (_, dump) = try program.record()
        let recorded = try RecordedDump(path: dump)
        var kinds: [AllocatorKind: Int] = [:]
        for case .alloc(let a) in recorded.records { kinds[a.kind, default: 0] += 1 }
        #expect(kinds[.malloc] == 100)
        #expect(kinds[.calloc] == 5)
        #expect(kinds[.posixMemalign] == 3)
        #expect(kinds[.alignedAlloc] == 2)
        #expect(kinds[.memalign] == 1)
        #expect(kinds[.valloc] == 1)
        // DWARF gives the file:line of the malloc in small_blocks.
        let source = try String(contentsOfFile: TestPaths.packageRoot.appendingPathComponent("Tests/RecordPrograms/counts.c").path,
                                encoding: .utf8)
        let mallocLine = try #require(source.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("keep[i] = malloc((size_t)i + 1)") }) + 1
        let symbols = recorded.symbols
        let frames = (1...symbols.frameCount).map { symbols.frame(UInt32($0)) }
        let smallBlocks = frames.filter { symbols.string($0.function) == "small_blocks" }
        #expect(smallBlocks.contains { symbols.string($0.file).hasSuffix("counts.c") && $0.line == UInt32(mallocLine) })
        #expect(smallBlocks.allSatisfy { symbols.string($0.module) == program.path })
    }

    @Test func threadsNamesAndCrossThreadFrees() throws {
        let program = try TestProgram.compile("threads")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        let workerBytes: UInt64 = 4 * 1000 * 32 + 4 * 1000
        #expect(recorded.figures(through: "worker") == (4004, 0, workerBytes))
        #expect(recorded.figures(through: "main").frees >= 4000)
        #expect(recorded.analysis.totals.crossThreadFrees == 4000)
        var names: [String] = []
        var starts = 0, exits = 0
        for record in recorded.records {
            switch record {
            case .threadName(_, _, let name): names.append(recorded.symbols.string(name))
            case .threadStart: starts += 1
            case .threadExit: exits += 1
            default: break
            }
        }
        #expect(Set(names).isSuperset(of: ["worker-0", "worker-1", "worker-2", "worker-3"]))
        #expect(starts == 5) // the main thread and four workers
        #expect(exits == 4)
    }

    @Test func deepRecursionIsCutAtTheFrameLimit() throws {
        let program = try TestProgram.compile("recursion")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let recorded = try RecordedDump(path: dump)
        #expect(recorded.figures(through: "descend") == (10, 10, 240))
        var deepest = 0
        for case .alloc(let a) in recorded.records {
            deepest = max(deepest, recorded.functions(ofStack: a.stack).count)
        }
        #expect(deepest == 256)
    }

    @Test func aMillionAllocations() throws {
        let program = try TestProgram.compile("million")
        let (result, dump) = try program.record()
        #expect(result.status == 0, "\(result.stderr)")
        let json = try summaryJSON(dump)
        #expect(json["allocations"] as? Int == 1_000_000)
        #expect(json["frees"] as? Int == 999_999)
        #expect(json["bytes_allocated"] as? Int == 47_500_000)
        #expect(json["leaked_blocks"] as? Int == 1)
        #expect(json["leaked_bytes"] as? Int == 79)
        #expect(json["errors"] as? Int == 0)
    }
}

/// `memscope summary --json` of a dump, as a dictionary.
func summaryJSON(_ path: String) throws -> [String: Any] {
    let result = try run("memscope", ["summary", "--json", path])
    guard result.status == 0 else { throw TestFailure("summary failed: \(result.stderr)") }
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    return object as? [String: Any] ?? [:]
}
