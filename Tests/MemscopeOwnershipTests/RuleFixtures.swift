import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport

/// What the rule tests share on hand-built dumps (times in ns): the graph of a dump, an edge
/// between two allocation sites named by function, and a dying block's words.
protocol RuleFixtures {}

extension RuleFixtures {
    /// 1 ms between phases: far more than the 100 µs cascade gap (and the burst gap the
    /// eleventh rules dropped, ``OwnershipOptions/burstsByEventOrder``).
    static var separate: UInt64 { 1_000_000 }
    /// A dump with dying blocks' words recorded at all (none of its own).
    static var marker: Record { .blockReferences(BlockReferences(timestamp: 0, thread: 1, address: 0, offsets: [], targets: [])) }

    func graph(_ dump: DumpBuilder, options: OwnershipOptions = .default) -> OwnershipGraph {
        let inference = OwnershipInference(options: options)
        inference.consume(dump.records)
        return inference.finish()
    }

    func edge(_ g: OwnershipGraph, _ kind: OwnershipEdgeKind, _ from: String, _ to: String,
              fromKind: OwnershipNodeKind = .allocationSite, toKind: OwnershipNodeKind = .allocationSite) -> OwnershipEdge? {
        guard let f = g.nodes.first(where: { $0.function == from && $0.kind == fromKind })?.id,
              let t = g.nodes.first(where: { $0.function == to && $0.kind == toKind })?.id
        else { return nil }
        return g.edges.first { $0.kind == kind && $0.from == f && $0.to == t }
    }

    /// The words of the block at `address` as it dies: `targets`, one per word.
    func words(_ d: inout DumpBuilder, ts: UInt64, thread: UInt32 = 1, _ address: UInt64, _ targets: [UInt64]) {
        d.append(.blockReferences(BlockReferences(timestamp: ts, thread: thread, address: address,
                                                  offsets: targets.indices.map { UInt64($0) * 8 }, targets: targets)))
    }
}
