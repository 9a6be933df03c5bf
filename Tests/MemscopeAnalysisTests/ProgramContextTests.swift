import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Scopes and tasks the program names: each allocation counts for its thread's innermost
/// open scope and current task, and stays live there until freed by anyone.
@Suite struct ProgramContextTests {
    @Test func allocationsCountForTheInnermostScopeAndTheCurrentTask() throws {
        var dump = DumpBuilder()
        let s = dump.stack("main", "work")
        let outer = dump.string("outer"), inner = dump.string("inner")
        dump.alloc(ts: 1, address: 0x10, size: 1, stack: s)                    // no context
        dump.append(.scopeEnter(timestamp: 2, thread: 1, name: outer))
        dump.alloc(ts: 3, address: 0x20, size: 10, stack: s)                   // outer
        dump.append(.scopeEnter(timestamp: 4, thread: 1, name: inner))
        dump.append(.task(timestamp: 5, thread: 1, task: 7))
        dump.alloc(ts: 6, address: 0x30, size: 100, stack: s)                  // inner and task 7
        dump.alloc(ts: 7, thread: 2, address: 0x40, size: 1000, stack: s)      // thread 2: no context
        dump.append(.scopeExit(timestamp: 8, thread: 1))
        dump.alloc(ts: 9, address: 0x50, size: 10_000, stack: s)               // outer and task 7
        dump.free(ts: 10, thread: 2, address: 0x30)                            // freed by another thread
        dump.append(.task(timestamp: 11, thread: 1, task: 0))
        dump.append(.scopeExit(timestamp: 12, thread: 1))
        dump.append(.scopeExit(timestamp: 13, thread: 1))                      // no open scope: ignored
        dump.alloc(ts: 14, address: 0x60, size: 5, stack: s)                   // no context
        dump.free(ts: 15, address: 0x20)
        let a = analyze(dump.records)

        #expect(a.contexts.map { "\($0.kind.rawValue) \($0.name)" } == ["scope outer", "scope inner", "task 7"])
        let byName = Dictionary(uniqueKeysWithValues: a.contexts.map { ($0.name, $0) })
        let o = try #require(byName["outer"]), i = try #require(byName["inner"]), t = try #require(byName["7"])
        #expect((o.allocations, o.bytesAllocated, o.frees, o.liveBlocks, o.liveBytes) == (2, 10_010, 1, 1, 10_000))
        #expect(o.peakLiveBytes == 10_010) // 0x20 and 0x50 at once, before 0x20 is freed
        #expect((i.allocations, i.bytesAllocated, i.frees, i.liveBlocks, i.liveBytes) == (1, 100, 1, 0, 0))
        #expect((t.allocations, t.bytesAllocated, t.frees, t.liveBlocks, t.liveBytes) == (2, 10_100, 1, 1, 10_000))
        #expect((o.entries, i.entries, t.entries) == (1, 1, 1))
        #expect((o.threads, t.threads) == (1, 1))
    }

    @Test func reallocMovesABlockIntoTheContextThatReallocatedIt() throws {
        var dump = DumpBuilder()
        let s = dump.stack("main", "grow")
        let name = dump.string("grow")
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: s)
        dump.append(.scopeEnter(timestamp: 2, thread: 1, name: name))
        dump.realloc(ts: 3, from: 0x10, to: 0x20, size: 64, stack: s)
        dump.append(.scopeExit(timestamp: 4, thread: 1))
        let a = analyze(dump.records)
        let grow = try #require(a.contexts.first)
        #expect((grow.allocations, grow.bytesAllocated, grow.liveBytes, grow.liveBlocks) == (1, 64, 64, 1))
    }

    @Test func dumpsWithoutScopesOrTasksHaveNoContextsAndNoSummaryField() {
        var dump = DumpBuilder()
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: dump.stack("main"))
        let a = analyze(dump.records)
        #expect(a.contexts.isEmpty)
        #expect(!Summary(analysis: a, format: "msd", path: "x.msd").json.contains("\"contexts\""))
    }
}

/// Threads' lanes: kept for the 256 threads with the highest peak, empty for the others,
/// and stored only for threads that had something live when an interval closed.
@Suite struct ThreadLaneStorageTests {
    @Test func lanesAreKeptForTheThreadsWithTheHighestPeak() throws {
        var dump = DumpBuilder()
        let s = dump.stack("main", "worker")
        // 300 threads, thread t allocating t bytes at time t·10, freed at once by the next event.
        for t in 1...300 {
            dump.alloc(ts: UInt64(t) * 10, thread: UInt32(t), address: UInt64(t) * 0x100, size: UInt64(t), stack: s)
        }
        dump.alloc(ts: 5_000, thread: 1, address: 0x10_0000, size: 1, stack: s)
        let a = analyze(dump.records)
        #expect(a.threads.count == 300)
        let withLanes = a.threads.filter { !$0.lane.isEmpty }.map(\.thread)
        #expect(withLanes == Array(45...300).map(UInt32.init), "the 256 highest peaks")
        let top = try #require(a.threads.first { $0.thread == 300 })
        #expect(top.lane.max() == 300 && top.peakBytes == 300)
        #expect(a.threads.first { $0.thread == 44 }?.lane == [])
    }
}
