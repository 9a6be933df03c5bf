import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// New blocks' words are cleared (as calloc would) before the program gets them, so the
/// words read as a block dies are only ones the program wrote: a block made where another
/// held pointers does not inherit them (Tests/RecordPrograms/stale-words.c).
@Suite struct ClearedWordsTests {
    /// The allocations through main, in order, and the words each block held as it died.
    func blocks(_ options: [String]) throws -> (sizes: [UInt64], words: [[UInt64]]) {
        let program = try TestProgram.compile("stale-words")
        let (result, path) = try program.record(options: options)
        #expect(result.status == 0, "\(result.stderr)")
        let dump = try RecordedDump(path: path)
        var addresses: [UInt64] = [], sizes: [UInt64] = []
        var held: [UInt64: [UInt64]] = [:]
        var wordsAtDeath: [[UInt64]] = []
        var index: [UInt64: Int] = [:]
        for record in dump.records {
            switch record {
            case .alloc(let a) where dump.functions(ofStack: a.stack).contains("main"):
                index[a.address] = addresses.count
                addresses.append(a.address)
                sizes.append(a.size)
                wordsAtDeath.append([])
            case .realloc(let r) where dump.functions(ofStack: r.stack).contains("main"):
                if let i = index.removeValue(forKey: r.oldAddress) { wordsAtDeath[i] = held[r.oldAddress] ?? [] }
                index[r.newAddress] = addresses.count
                addresses.append(r.newAddress)
                sizes.append(r.newSize)
                wordsAtDeath.append([])
            case .blockReferences(let w) where w.address != 0:
                held[w.address] = w.targets
            case .free(let f):
                if let i = index.removeValue(forKey: f.address) { wordsAtDeath[i] = held.removeValue(forKey: f.address) ?? [] }
            default: break
            }
        }
        return (sizes, wordsAtDeath)
    }

    @Test func aReusedBlockHoldsNoneOfItsPredecessorsPointers() throws {
        let (sizes, words) = try blocks([])
        // target 64, holder 256, reused 256, grown 16, grown again 200 (then printf's buffer).
        #expect(Array(sizes.prefix(5)) == [64, 256, 256, 16, 200], "\(sizes)")
        guard sizes.count >= 5 else { return }
        #expect(words[1].count == 32, "the holder wrote 32 pointers to target: \(words[1])")
        #expect(words[2].isEmpty, "the reused block was never written: \(words[2])")
        // The grown block keeps the pointer the program wrote; its new bytes name nothing.
        #expect(words[4].count == 1, "\(words[4])")
        #expect(Set(words[1]).count == 1 && words[4].first == words[1].first)
    }

    /// `--no-scan-on-free` reads no words and so clears none: the program's memory is as
    /// malloc hands it out.
    @Test func withoutDyingWordsNothingIsCleared() throws {
        let (sizes, words) = try blocks(["--no-scan-on-free"])
        #expect(Array(sizes.prefix(5)) == [64, 256, 256, 16, 200], "\(sizes)")
        #expect(words.allSatisfy { $0.isEmpty })
    }
}
