import MemscopeModel

/// `realloc-builder.msd`: a single-threaded Rust tool (`jsonfold`) that reads an access
/// log line by line and renders every line as a JSON object into one output `String`.
/// Growing `String`s and `Vec`s double their capacity through `realloc`, exactly as
/// `RawVec` does: short chains for the per-line record and field list, long ones for the
/// output buffer (8 B → 512 KiB, mmapped from 128 KiB on), the latency samples and the
/// final pretty-printed report. Reallocs stay in place when the block is the last in
/// the heap and move otherwise. A leaked `Box` (configuration) and the stdout buffer
/// are still live at exit.
enum ReallocBuilder {
    static let pid: UInt32 = 7312
    static let lines = 700
    static let bin = "/usr/local/bin/jsonfold"
    static let libc = "/lib/x86_64-linux-gnu/libc.so.6"

    static func build() -> [Record] {
        let meta = Metadata(producer: "memscope-record", producerVersion: "0.1.0", pid: pid,
                            startTimeUnixNanoseconds: 1_732_524_011_734_000_512, clockUnitNanoseconds: 1, pointerSize: 8,
                            commandLine: ["jsonfold", "--pretty", "--summary", "report.json", "logs/access-2024-11-24.log"])
        let b = SampleBuilder(seed: 0x7e41_10c8_0002, meta: meta,
                              modules: [(bin, 0x5555_5555_5000), (libc, 0x7fff_f7c2_8000)],
                              heap: Heap(mainThread: pid))
        JsonFold(b: b).run()
        return b.records
    }
}

/// A Rust `Vec<T>` (or `String` when the element size is 1): length, capacity, address.
private final class RustVec {
    let elementSize: UInt64
    var address: UInt64 = 0
    var capacity: UInt64 = 0
    var length: UInt64 = 0

    init(elementSize: UInt64) { self.elementSize = elementSize }

    /// `RawVec::grow_amortized`: at least double, at least `MIN_NON_ZERO_CAP`.
    func reserve(_ additional: UInt64, b: SampleBuilder, tid: UInt32, allocPath: [Fn], growPath: [Fn]) {
        let required = length + additional
        guard required > capacity else { return }
        let minimum: UInt64 = elementSize == 1 ? 8 : (elementSize <= 1024 ? 4 : 1)
        let newCapacity = max(capacity * 2, required, minimum)
        if capacity == 0 {
            address = b.malloc(newCapacity * elementSize, thread: tid, allocPath)
        } else {
            address = b.realloc(address, newCapacity * elementSize, thread: tid, growPath)
        }
        capacity = newCapacity
    }

    func push(_ count: UInt64, b: SampleBuilder, tid: UInt32, allocPath: [Fn], growPath: [Fn]) {
        reserve(count, b: b, tid: tid, allocPath: allocPath, growPath: growPath)
        length += count
    }

    func drop(b: SampleBuilder, tid: UInt32, _ path: [Fn]) {
        if capacity > 0 { b.free(address, thread: tid, path) }
        address = 0
        capacity = 0
        length = 0
    }
}

private final class JsonFold {
    let b: SampleBuilder
    let tid = ReallocBuilder.pid
    let bin = ReallocBuilder.bin
    let libc = ReallocBuilder.libc
    let rustc = "/rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library"
    let serde = "/home/ci/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.133/src"

    init(b: SampleBuilder) { self.b = b }

    func f(_ name: String, _ location: String = "") -> Fn { Fn(name, location, in: bin) }
    func std(_ name: String, _ location: String) -> Fn { Fn(name, "\(rustc)/\(location)", in: bin) }

    lazy var base: [Fn] = [
        f("_start"),
        Fn("__libc_start_main_impl", "../csu/libc-start.c:360", in: libc),
        Fn("__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h:58", in: libc),
        f("main"),
        std("std::rt::lang_start_internal", "std/src/rt.rs:143"),
        std("std::rt::lang_start::{{closure}}", "std/src/rt.rs:164"),
        std("std::sys::backtrace::__rust_begin_short_backtrace", "std/src/sys/backtrace.rs:154"),
    ]
    func main(_ line: UInt32) -> [Fn] { base + [f("jsonfold::main", "src/main.rs:\(line)")] }

    /// The tail of every growth path: reserve → grow_amortized → finish_grow → realloc.
    lazy var grow: [Fn] = [
        std("alloc::raw_vec::RawVecInner<A>::reserve::do_reserve_and_handle", "alloc/src/raw_vec.rs:486"),
        std("alloc::raw_vec::RawVecInner<A>::grow_amortized", "alloc/src/raw_vec.rs:650"),
        std("alloc::raw_vec::finish_grow", "alloc/src/raw_vec.rs:785"),
    ]
    lazy var pushStr: [Fn] = [std("alloc::string::String::push_str", "alloc/src/string.rs:1123"),
                              std("alloc::vec::Vec<T,A>::extend_from_slice", "alloc/src/vec/mod.rs:3050")] + grow
    lazy var vecPush: [Fn] = [
        std("alloc::vec::Vec<T,A>::push", "alloc/src/vec/mod.rs:2410"),
        std("alloc::raw_vec::RawVec<T,A>::grow_one", "alloc/src/raw_vec.rs:567"),
        std("alloc::raw_vec::RawVecInner<A>::grow_amortized", "alloc/src/raw_vec.rs:650"),
        std("alloc::raw_vec::finish_grow", "alloc/src/raw_vec.rs:785"),
    ]
    lazy var tryAllocate = std("alloc::raw_vec::RawVecInner<A>::try_allocate_in", "alloc/src/raw_vec.rs:476")
    lazy var dropString: [Fn] = [
        std("core::ptr::drop_in_place<alloc::string::String>", "core/src/ptr/mod.rs:521"),
        std("<alloc::raw_vec::RawVec<T,A> as core::ops::drop::Drop>::drop", "alloc/src/raw_vec.rs:404"),
    ]
    func dropVec(_ type: String) -> [Fn] {
        [std("core::ptr::drop_in_place<alloc::vec::Vec<\(type)>>", "core/src/ptr/mod.rs:521"),
         std("<alloc::raw_vec::RawVec<T,A> as core::ops::drop::Drop>::drop", "alloc/src/raw_vec.rs:404")]
    }

    func tick(_ range: ClosedRange<UInt64>) { b.elapse(range) }

    func run() {
        b.threadStart(tid, parent: 0, name: "jsonfold")
        tick(60_000...90_000)

        // Config: parsed once, then Box::leak'ed for a 'static lifetime.
        let load = main(14) + [f("jsonfold::config::load", "src/config.rs:31")]
        b.malloc(120, thread: tid, load + [std("alloc::boxed::Box<T>::leak", "alloc/src/boxed.rs:1493"),
                                          std("alloc::alloc::exchange_malloc", "alloc/src/alloc.rs:237")])
        tick(3_000...6_000)
        b.malloc(48, thread: tid, load + [f("jsonfold::config::Config::pattern", "src/config.rs:58"),
                                         std("<alloc::string::String as core::convert::From<&str>>::from", "alloc/src/string.rs:2778"),
                                         tryAllocate])
        tick(20_000...40_000)

        // BufReader::with_capacity(8192, File::open(path)?)
        let reader = b.malloc(8192, thread: tid, main(18) + [
            std("std::io::buffered::bufreader::BufReader<R>::with_capacity", "std/src/io/buffered/bufreader.rs:114"),
            tryAllocate,
        ])
        tick(15_000...30_000)

        let line = RustVec(elementSize: 1)
        let out = RustVec(elementSize: 1)
        let entries = RustVec(elementSize: 48)
        let latencies = RustVec(elementSize: 8)
        let readLine = main(27) + [
            std("std::io::BufRead::read_line", "std/src/io/mod.rs:2379"),
            std("std::io::append_to_string", "std/src/io/mod.rs:383"),
            std("std::io::read_until", "std/src/io/mod.rs:2154"),
            std("alloc::vec::Vec<T,A>::extend_from_slice", "alloc/src/vec/mod.rs:3050"),
        ] + grow
        let split = main(29) + [f("jsonfold::parse::split_fields", "src/parse.rs:22")]
        let collect = split + [std("<alloc::vec::Vec<T> as alloc::vec::spec_from_iter_nested::SpecFromIterNested<T,I>>::from_iter",
                                   "alloc/src/vec/spec_from_iter_nested.rs:33")]
        let collectAlloc = collect + [tryAllocate]
        let collectGrow = collect + [std("alloc::vec::Vec<T,A>::extend_desugared", "alloc/src/vec/mod.rs:3530")] + grow
        let lower = main(30) + [f("jsonfold::parse::normalize_method", "src/parse.rs:48")]
        let render = main(32) + [f("jsonfold::render::render_record", "src/render.rs:57")]
        let stats = main(38) + [f("jsonfold::stats::Stats::record", "src/stats.rs:19")]

        for _ in 0..<ReallocBuilder.lines {
            // read_line into the reused `line`.
            tick(2_000...9_000)
            line.length = 0
            line.push(b.rng.uniform(90...430), b: b, tid: tid, allocPath: readLine, growPath: readLine)

            // let fields: Vec<&str> = line.split(' ').collect();
            tick(800...2_000)
            let fields = RustVec(elementSize: 16)
            let fieldCount = b.rng.uniform(9...16)
            for _ in 0..<fieldCount {
                tick(40...120)
                fields.push(1, b: b, tid: tid, allocPath: collectAlloc, growPath: collectGrow)
            }

            // let method = fields[5].to_ascii_lowercase(); (dropped right after matching)
            tick(300...800)
            let method = b.malloc(b.rng.uniform(3...7), thread: tid, lower + [
                std("alloc::str::<impl str>::to_ascii_lowercase", "alloc/src/str.rs:485"), tryAllocate])
            tick(80...200)
            b.free(method, thread: tid, main(30) + [f("jsonfold::parse::normalize_method", "src/parse.rs:51")] + dropString)

            // let rec = render_record(&fields); one push_str per key and value.
            let record = RustVec(elementSize: 1)
            for _ in 0..<(fieldCount * 2 + 2) {
                tick(60...300)
                let piece = b.rng.uniform(3...36)
                record.push(piece, b: b, tid: tid, allocPath: render + pushStr, growPath: render + pushStr)
            }

            // out.push_str(&rec); entries.push(..); stats.record(..)
            tick(200...600)
            out.push(record.length, b: b, tid: tid, allocPath: main(34) + pushStr, growPath: main(34) + pushStr)
            tick(100...300)
            entries.push(1, b: b, tid: tid, allocPath: main(36) + vecPush, growPath: main(36) + vecPush)
            for _ in 0..<3 {
                tick(50...150)
                latencies.push(1, b: b, tid: tid, allocPath: stats + vecPush, growPath: stats + vecPush)
            }

            // End of the loop body: drop(rec), drop(fields).
            tick(100...300)
            record.drop(b: b, tid: tid, main(40) + dropString)
            tick(50...200)
            fields.drop(b: b, tid: tid, main(40) + dropVec("&str"))
        }

        // let report = serde_json::to_string_pretty(&summary)?;
        tick(50_000...80_000)
        let report = RustVec(elementSize: 1)
        let pretty = main(44) + [
            f("jsonfold::report::summarize", "src/report.rs:74"),
            Fn("serde_json::ser::to_string_pretty", "\(serde)/ser.rs:2231", in: bin),
            Fn("serde_json::ser::to_writer_pretty", "\(serde)/ser.rs:2180", in: bin),
            std("<alloc::vec::Vec<u8,A> as std::io::Write>::write_all", "std/src/io/impls.rs:437"),
            std("alloc::vec::Vec<T,A>::extend_from_slice", "alloc/src/vec/mod.rs:3050"),
        ] + grow
        while report.length < 41_000 {
            tick(150...600)
            report.push(b.rng.uniform(4...60), b: b, tid: tid, allocPath: pretty, growPath: pretty)
        }

        // std::fs::write(out_path, &out)?; println!(...) initialises stdout (never freed).
        tick(400_000...700_000)
        b.malloc(1024, thread: tid, main(47) + [
            std("std::io::stdio::_print", "std/src/io/stdio.rs:1232"),
            std("std::io::stdio::stdout", "std/src/io/stdio.rs:683"),
            std("std::sync::once_lock::OnceLock<T>::initialize", "std/src/sync/once_lock.rs:500"),
            std("std::io::buffered::linewriter::LineWriter<W>::new", "std/src/io/buffered/linewriter.rs:90"),
            tryAllocate,
        ])

        // End of main: locals are dropped in reverse order of declaration.
        tick(30_000...50_000)
        report.drop(b: b, tid: tid, main(49) + dropString)
        tick(2_000...4_000)
        latencies.drop(b: b, tid: tid, main(49) + dropVec("u64"))
        tick(2_000...4_000)
        entries.drop(b: b, tid: tid, main(49) + dropVec("jsonfold::Entry"))
        tick(2_000...4_000)
        out.drop(b: b, tid: tid, main(49) + dropString)
        tick(2_000...4_000)
        line.drop(b: b, tid: tid, main(49) + dropString)
        tick(2_000...4_000)
        b.free(reader, thread: tid, main(49) + [
            std("core::ptr::drop_in_place<std::io::buffered::bufreader::BufReader<std::fs::File>>", "core/src/ptr/mod.rs:521"),
            std("<alloc::raw_vec::RawVec<T,A> as core::ops::drop::Drop>::drop", "alloc/src/raw_vec.rs:404"),
        ])
        tick(40_000...60_000)
        b.threadExit(tid)
        tick(5_000...10_000)
        b.processEnd(.exited, code: 0)
    }
}
