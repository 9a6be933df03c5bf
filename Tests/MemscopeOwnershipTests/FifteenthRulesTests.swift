import MemscopeModel
import MemscopeOwnership
import MemscopeTestSupport
import Testing

/// The rule added at the fifteenth freeze (docs/OWNERSHIP.md), on hand-built dumps (times in
/// ns; 1 ms between phases), also with its switch off.
@Suite struct FifteenthRulesTests: RuleFixtures {
    /// Buffers (made in `buf_new`, plain `malloc`: no reference-counting constructor) whose
    /// count the program keeps by hand. Each of the first `counted` buffers is held by two
    /// slice arrays (`parts_new`): the first dies holding it and leaves it alive, the second
    /// is freed right after it in its cascade (its count's last holder). The last buffer is
    /// held by a slice array that leaves it alive and by one reader (`reader_new`), which
    /// drops the last count: the buffer is freed and the reader right after it, still
    /// naming it. With `readerFirst`, the reader lets go first instead and a slice array
    /// is the last holder.
    func handCountedBuffers(_ counted: Int, readerFirst: Bool = false) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let reader = d.stack("main", "reader_new")
        let parts = d.stack("main", "read_msg", "parts_new")
        let buf = d.stack("main", "next_buf", "buf_new")
        var t: UInt64 = 1_000
        var next: UInt64 = 0x100000
        func block() -> UInt64 { next += 0x100; return next }
        let r = block()
        d.alloc(ts: t, address: r, size: 32, stack: reader)
        t += Self.separate
        for _ in 0..<counted {
            let b = block(), first = block(), second = block()
            d.alloc(ts: t, address: b, size: 32, stack: buf)
            // The second made first: a holder freed right after another holder was made
            // would read as handing the buffer on.
            d.alloc(ts: t + Self.separate, address: second, size: 24, stack: parts)
            d.alloc(ts: t + 2 * Self.separate, address: first, size: 24, stack: parts)
            t += 3 * Self.separate
            words(&d, ts: t, first, [b])
            d.free(ts: t, address: first)
            t += Self.separate
            d.free(ts: t, address: b)
            words(&d, ts: t + 10, second, [b])
            d.free(ts: t + 10, address: second)
            t += Self.separate
        }
        let last = block(), slices = block()
        d.alloc(ts: t, address: slices, size: 24, stack: parts)
        d.alloc(ts: t + Self.separate, address: last, size: 32, stack: buf)
        t += 2 * Self.separate
        let (leaver, keeper) = readerFirst ? (r, slices) : (slices, r)
        words(&d, ts: t, leaver, [last])
        d.free(ts: t, address: leaver)
        t += Self.separate
        d.free(ts: t, address: last)
        words(&d, ts: t + 10, keeper, [last])
        d.free(ts: t + 10, address: keeper)
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func theLastHolderOfACountKeptByHandSharesIt() throws {
        #expect(OwnershipOptions.default.handCountedTargets)
        var fourteenth = OwnershipOptions.default
        fourteenth.handCountedTargets = false
        let dump = handCountedBuffers(4)
        let g = graph(dump)
        // The slice arrays were seen in both roles of the count: shares, as before.
        let sliced = try #require(edge(g, .shares, "parts_new", "buf_new"))
        #expect(sliced.provenance == .observed && sliced.contradictions == 0)
        // The reader, the one holder freed with the last buffer, held one count of it.
        let shares = try #require(edge(g, .shares, "reader_new", "buf_new"), "a holder of a hand-counted buffer shares it")
        #expect(shares.provenance == .observed && shares.basis == .refcountedTarget)
        #expect(shares.evidence == 1 && shares.contradictions == 0)
        #expect(shares.confidence < 0.9)
        #expect(edge(g, .owns, "reader_new", "buf_new") == nil)
        // The rule off: the reader, freed with its buffer after a slice array left it alive,
        // reads as the buffer's owner.
        let off = graph(dump, options: fourteenth)
        #expect(edge(off, .owns, "reader_new", "buf_new") != nil)
        #expect(edge(off, .shares, "reader_new", "buf_new") == nil)
    }

    @Test func oneCountSeenIsNoCountKeptByHand() throws {
        // A single buffer with two slice arrays in both roles is one target: too little to
        // call the site counted; the reader still reads as its owner, as before.
        let g = graph(handCountedBuffers(1))
        #expect(edge(g, .shares, "reader_new", "buf_new") == nil)
        #expect(edge(g, .owns, "reader_new", "buf_new") != nil)
        // A reader that let go first, leaving a slice array the last holder, only referred to
        // the buffer: the rule turns an owner's reading into a count holder's, and makes no
        // sharer of a block that never was the last to let go.
        let first = graph(handCountedBuffers(4, readerFirst: true))
        #expect(edge(first, .shares, "reader_new", "buf_new") == nil)
        #expect(edge(first, .owns, "reader_new", "buf_new") == nil)
        #expect(edge(first, .shares, "parts_new", "buf_new") != nil)
    }

    /// A table (`table_new`) of `lists` two-node lists (`node_new`), and an index
    /// (`index_new`, made before the nodes) whose words still name every list's head (a
    /// cleared vector's spare capacity). At teardown, in one cascade, the index is freed
    /// first, then each list head first (each head naming its next node), then the table,
    /// whose words were nulled as the lists went (it names nothing as it dies).
    func indexedLists(_ lists: Int) -> DumpBuilder {
        var d = DumpBuilder()
        d.append(Self.marker)
        let table = d.stack("main", "table_new")
        let index = d.stack("main", "index_new")
        let node = d.stack("main", "push_node", "node_new")
        var t: UInt64 = 1_000
        let tableAddress: UInt64 = 0x100000, indexAddress: UInt64 = 0x100100
        d.alloc(ts: t, address: tableAddress, size: 256, stack: table)
        d.alloc(ts: t + Self.separate, address: indexAddress, size: 256, stack: index)
        t += 2 * Self.separate
        func head(_ i: Int) -> UInt64 { UInt64(0x200000 + i * 0x200) }
        for i in 0..<lists {
            d.alloc(ts: t, address: head(i) + 0x100, size: 32, stack: node)
            d.alloc(ts: t + Self.separate, address: head(i), size: 32, stack: node)
            t += 2 * Self.separate
        }
        words(&d, ts: t, indexAddress, (0..<lists).map(head))
        d.free(ts: t, address: indexAddress)
        for i in 0..<lists {
            t += 10
            words(&d, ts: t, head(i), [head(i) + 0x100])
            d.free(ts: t, address: head(i))
            t += 10
            d.free(ts: t, address: head(i) + 0x100)
        }
        d.free(ts: t + 10, address: tableAddress)
        d.end(ts: t + Self.separate)
        return d
    }

    @Test func aBlockFreedFirstHoldingSeveralHeadsOwnsNone() throws {
        #expect(OwnershipOptions.default.singleFreedFirstTargets)
        var off = OwnershipOptions.default
        off.singleFreedFirstTargets = false
        let dump = indexedLists(5)
        let g = graph(dump)
        #expect(edge(g, .owns, "index_new", "node_new")?.provenance != .observed,
                "an index freed first, naming five heads, is no list's previous node")
        // A head still owns its next node, freed right after it.
        let next = try #require(edge(g, .owns, "node_new", "node_new"))
        #expect(next.provenance == .observed && next.basis == .freedFirst)
        // The rule off: the index reads as the heads' owner, freed first.
        let old = try #require(edge(graph(dump, options: off), .owns, "index_new", "node_new"))
        #expect(old.provenance == .observed && old.basis == .freedFirst && old.evidence == 5)
        // One head named: a list's previous node looks the same, and the rule does not act.
        let one = try #require(edge(graph(indexedLists(1)), .owns, "index_new", "node_new"))
        #expect(one.provenance == .observed && one.evidence == 1)
    }
}
