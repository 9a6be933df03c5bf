import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// A process that replaces its program (`exec`): the old program's live blocks are gone with
/// it, so the graph counts none of them as leaked (as the analysis does), and the new
/// program's blocks, made at the same addresses, are not matched against the old ones' words.
@Suite struct ExecImageTests: RuleFixtures {
    @Test func theOldProgramsBlocksAreNotLeaksOfTheGraph() {
        var d = DumpBuilder()
        d.append(Self.marker)
        let shell = d.stack("main", "shell_alloc")
        let program = d.stack("main", "program_alloc")
        d.alloc(ts: 10, address: 0x1000, size: 64, stack: shell)
        d.alloc(ts: 20, address: 0x2000, size: 32, stack: shell)
        d.append(.exec(timestamp: Self.separate, commandLine: ["./program"]))
        d.alloc(ts: Self.separate + 10, address: 0x1000, size: 16, stack: program)
        let g = graph(d)
        let leaked = Dictionary(uniqueKeysWithValues: g.nodes.filter { $0.kind == .allocationSite }.map { ($0.function, $0.leakedBlocks) })
        #expect(leaked["shell_alloc"] == 0, "\(leaked)")
        #expect(leaked["program_alloc"] == 1, "\(leaked)")
        let analysis = analyze(d.records)
        #expect(analysis.totals.leakedBlocks == 1 && analysis.totals.releasedAtExecBlocks == 2)
    }
}
