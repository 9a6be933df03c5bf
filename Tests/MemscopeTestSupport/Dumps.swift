import MemscopeModel

/// A small program's dump used by the layout, paint and report tests: two threads, a
/// leak, temporaries, a realloc and a double free.
public func smallProgramDump() -> [Record] {
    var dump = DumpBuilder(metadata: Metadata(producer: "test", producerVersion: "1", pid: 31,
                                              commandLine: ["./server", "--port", "80"]))
    let parse = dump.stack("main", "serve", "parse_request")
    let respond = dump.stack("main", "serve", "build_response")
    let cache = dump.stack("main", "serve", "cache_insert")
    let cleanup = dump.stack("main", "cleanup")
    dump.threadName(ts: 0, thread: 2, "worker")
    var address: UInt64 = 0x1000
    for i in 0..<40 {
        let t = UInt64(i) * 1000
        dump.alloc(ts: t, thread: 1, address: address, size: 64, stack: parse)
        dump.free(ts: t + 10, thread: 1, address: address, stack: parse)
        dump.alloc(ts: t + 20, thread: 2, address: address + 0x100, size: 512, stack: respond)
        dump.free(ts: t + 600, thread: 1, address: address + 0x100, stack: respond)
        if i % 4 == 0 { dump.alloc(ts: t + 700, thread: 2, address: 0x9000 + UInt64(i) * 64, size: 48, stack: cache) }
        address += 0x1000
    }
    dump.alloc(ts: 50_000, address: 0x70000, size: 4096, stack: cleanup)
    dump.realloc(ts: 50_010, from: 0x70000, to: 0x80000, size: 8192, stack: cleanup)
    dump.free(ts: 50_020, address: 0x80000, stack: cleanup)
    dump.free(ts: 50_030, address: 0x80000, stack: cleanup)
    dump.end(ts: 60_000)
    return dump.records
}
