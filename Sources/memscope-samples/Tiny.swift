import MemscopeModel

/// `tiny.jsonl`: a hand-checkable dump in the text form. `load_config` allocates a
/// 64-byte config (A), a 32-byte scratch buffer (B) freed at once (the temporary), and a
/// 128-byte line buffer (C); it grows A to 256 bytes with a realloc that moves it, frees
/// C and returns A, which is never freed (the leak).
///
/// Figures: 4 allocations (3 alloc + 1 realloc), 2 free records (3 blocks released with
/// the realloc), 480 bytes allocated, peak 384 bytes (after the realloc), 1 leak of
/// 256 bytes, 1 temporary allocation, 1 thread.
enum Tiny {
    static func build() -> [Record] {
        let bin = "/usr/local/bin/tiny"
        let meta = Metadata(producer: "memscope-record", producerVersion: "0.1.0", pid: 4242,
                            startTimeUnixNanoseconds: 1_732_521_600_000_000_000, clockUnitNanoseconds: 1, pointerSize: 8,
                            commandLine: ["./tiny", "tiny.conf"])
        let b = SampleBuilder(seed: 1, meta: meta, modules: [(bin, 0x5555_5555_5000)], heap: Heap(mainThread: 4242))
        let tid: UInt32 = 4242
        let main = Fn("main", "src/tiny.c:21", in: bin)
        let load = [main, Fn("load_config", "src/tiny.c:9", in: bin)]

        b.threadStart(tid, parent: 0)
        b.now = 1_000
        let a = b.malloc(64, thread: tid, load)
        b.now = 1_500
        let scratch = b.malloc(32, thread: tid, load)
        b.now = 1_700
        b.free(scratch, thread: tid, load)
        b.now = 2_000
        let line = b.malloc(128, thread: tid, load)
        b.now = 2_600
        let grown = b.realloc(a, 256, thread: tid, load)
        precondition(grown != a, "tiny: the realloc is meant to move")
        b.now = 3_000
        b.free(line, thread: tid, load)
        b.now = 5_000
        b.processEnd(.exited, code: 0)
        return b.records
    }
}
