import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Sites whose own frame has no name (a stripped module) are counted by module, and a
/// report names the modules and how to get their names back once they are a tenth of the
/// allocation calls.
@Suite struct UnnamedSitesTests {
    func dump(unnamedCalls: Int, namedCalls: Int) -> [Record] {
        var d = DumpBuilder()
        let main = d.frame("main")
        let stripped = d.codeFrame(module: "/usr/bin/git", offset: 0x2897_86, buildID: "a91136fa")
        let strippedLib = d.codeFrame(module: "/usr/lib/libz.so.1", offset: 0x1234, buildID: "1f95d549")
        let named = d.codeFrame("inflate_window", module: "/usr/lib/libz.so.1", offset: 0x5678)
        let unnamedSite = d.stack(frames: [main, stripped])
        let unnamedLibSite = d.stack(frames: [main, strippedLib])
        let namedSite = d.stack(frames: [main, named])
        var t: UInt64 = 1, address: UInt64 = 0x1000
        for i in 0..<unnamedCalls {
            d.alloc(ts: t, address: address, size: 16, stack: i % 3 == 0 ? unnamedLibSite : unnamedSite)
            t += 1; address += 0x100
        }
        for _ in 0..<namedCalls {
            d.alloc(ts: t, address: address, size: 16, stack: namedSite)
            t += 1; address += 0x100
        }
        d.end(ts: t)
        return d.records
    }

    @Test func unnamedSitesAreCountedByModule() throws {
        let sites = analyze(dump(unnamedCalls: 30, namedCalls: 70)).unnamedSites
        #expect(sites.allocations == 100 && sites.unnamedAllocations == 30)
        #expect(sites.modules.map(\.path) == ["/usr/bin/git", "/usr/lib/libz.so.1"])
        #expect(sites.modules.map(\.allocations) == [20, 10])
        #expect(sites.modules.map(\.buildID) == ["a91136fa", "1f95d549"])
        #expect(sites.isSignificant)
        #expect(sites.advice.hasPrefix("30.0% of the allocation calls are at sites without a name, in git (build id a91136fa), libz.so.1 (build id 1f95d549)"))
        #expect(sites.advice.contains("-dbgsym"))
        #expect(Summary(analysis: analyze(dump(unnamedCalls: 30, namedCalls: 70)), format: "msd", path: "d.msd").text().contains("    names: 30.0% of the allocation calls"))
    }

    /// git repack: `git` execs `/usr/lib/git-core/git`, the same file (one build id) under
    /// another path; it is one module to get debug files for, named once.
    @Test func oneBinaryUnderTwoPathsIsOneModule() {
        var d = DumpBuilder()
        let main = d.frame("main")
        let before = d.codeFrame(module: "/usr/bin/git", offset: 0x148d96, buildID: "a91136fa")
        let after = d.codeFrame(module: "/usr/lib/git-core/git", offset: 0x289786, buildID: "a91136fa")
        let other = d.codeFrame(module: "/usr/lib/libz.so.1", offset: 0x1234, buildID: "1f95d549")
        let s1 = d.stack(frames: [main, before]), s2 = d.stack(frames: [main, after]), s3 = d.stack(frames: [main, other])
        var t: UInt64 = 1
        for stack in [s1, s2, s2, s3] {
            d.alloc(ts: t, address: 0x1000 * t, size: 16, stack: stack)
            t += 1
        }
        d.end(ts: t)
        let sites = analyze(d.records).unnamedSites
        #expect(sites.modules.map(\.path) == ["/usr/bin/git", "/usr/lib/libz.so.1"])
        #expect(sites.modules.map(\.allocations) == [3, 1])
        #expect(sites.advice.contains("in git (build id a91136fa), libz.so.1 (build id 1f95d549):"))
    }

    @Test func aFewUnnamedCallsAreNotWorthANote() {
        let sites = analyze(dump(unnamedCalls: 9, namedCalls: 91)).unnamedSites
        #expect(sites.unnamedAllocations == 9)
        #expect(!sites.isSignificant)
        #expect(!Summary(analysis: analyze(dump(unnamedCalls: 9, namedCalls: 91)), format: "msd", path: "d.msd").text().contains("names:"))
    }
}
