import MemscopeModel

/// `server-leak.msd`: a small threaded HTTP server (C). The main thread loads its
/// configuration, starts four workers and waits; each worker accepts connections and
/// serves requests, with many short-lived buffers (two of them freed right after
/// allocation). New sessions go into a shared LRU cache of 64 entries; once it is full,
/// `cache_evict_lru` frees the node and the session but forgets the serialized value
/// allocated in `cache_insert`, so the heap grows steadily by one value per new session.
/// At shutdown everything else is freed.
enum ServerLeak {
    static let pid: UInt32 = 4242
    static let workers = 4
    static let requests = 700
    static let cacheCapacity = 64

    static let bin = "/usr/sbin/minihttpd"
    static let libc = "/lib/x86_64-linux-gnu/libc.so.6"

    /// - Parameter fixed: the release before the bug (`server-fixed.msd`): eviction frees
    ///   the value too. The two dumps are the baseline and the regression of a nightly run.
    static func build(fixed: Bool = false) -> [Record] {
        let meta = Metadata(producer: "memscope-record", producerVersion: "0.1.0", pid: pid,
                            startTimeUnixNanoseconds: 1_732_521_600_104_857_600, clockUnitNanoseconds: 1, pointerSize: 8,
                            commandLine: [bin, "--port", "8080", "--workers", "4", "--session-cache", "64",
                                          "--root", "/srv/www"])
        let b = SampleBuilder(seed: 0x5e55_10b5_0001, meta: meta,
                              modules: [(bin, 0x5555_5555_5000), (libc, 0x7fff_f7c2_8000)],
                              heap: Heap(mainThread: pid))
        let scheduler = Scheduler(builder: b)
        let server = Server(b: b, scheduler: scheduler, fixed: fixed)
        server.setUp()
        scheduler.run()
        return b.records
    }
}

private final class Server {
    let b: SampleBuilder
    let scheduler: Scheduler
    let bin = ServerLeak.bin
    let libc = ServerLeak.libc

    // Shared state.
    var served = 0
    var workersExited = 0
    var configStrings: [UInt64] = []
    var logFile: UInt64 = 0
    var cacheStruct: UInt64 = 0
    var buckets: UInt64 = 0
    var bucketCount: UInt64 = 16
    /// LRU order, least recent first.
    var cache: [(node: UInt64, session: UInt64, value: UInt64)] = []

    let fixed: Bool

    init(b: SampleBuilder, scheduler: Scheduler, fixed: Bool) {
        self.b = b
        self.scheduler = scheduler
        self.fixed = fixed
    }

    // MARK: Call paths

    lazy var mainBase: [Fn] = [
        Fn("_start", in: bin),
        Fn("__libc_start_main_impl", "../csu/libc-start.c:360", in: libc),
        Fn("__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h:58", in: libc),
    ]
    func main(_ line: UInt32) -> [Fn] { mainBase + [Fn("main", "src/main.c:\(line)", in: bin)] }

    lazy var threadBase: [Fn] = [
        Fn("clone3", "../sysdeps/unix/sysv/linux/x86_64/clone3.S:78", in: libc),
        Fn("start_thread", "./nptl/pthread_create.c:447", in: libc),
    ]
    func worker(_ line: UInt32) -> [Fn] { threadBase + [Fn("worker_main", "src/worker.c:\(line)", in: bin)] }
    /// worker_main → handle_connection (at `line`).
    func conn(_ line: UInt32) -> [Fn] { worker(71) + [Fn("handle_connection", "src/worker.c:\(line)", in: bin)] }
    func fn(_ name: String, _ location: String) -> Fn { Fn(name, location, in: bin) }

    // MARK: Main thread

    func setUp() {
        let tid = ServerLeak.pid
        let main = SimThread(tid: tid)
        main.start(at: 0)
        scheduler.add(main)
        var workerThreads: [SimThread] = []
        for k in 1...ServerLeak.workers {
            let thread = SimThread(tid: tid + UInt32(k))
            workerThreads.append(thread)
            scheduler.add(thread)
        }

        main.act(40_000) { self.b.threadStart(tid, parent: 0, name: "minihttpd") }
        // config_load: fopen, a line buffer, one strdup per setting, fclose.
        var file: UInt64 = 0
        var line: UInt64 = 0
        main.act(9_000) {
            file = self.b.malloc(472, thread: tid, path(self.main(188), self.fn("config_load", "src/config.c:47"),
                                                        Fn("_IO_new_fopen", "./libio/iofopen.c:75", in: self.libc)))
        }
        main.act(2_000) {
            line = self.b.malloc(4096, thread: tid, path(self.main(188), self.fn("config_load", "src/config.c:52")))
        }
        for size: UInt64 in [14, 5, 10, 27, 9, 33, 21, 12, 17, 7, 24, 11] {
            main.act(1_400) {
                let a = self.b.malloc(size, thread: tid, path(self.main(188), self.fn("config_load", "src/config.c:64"),
                                                               self.fn("xstrdup", "src/util.c:31"),
                                                               Fn("__strdup", "./string/strdup.c:42", in: self.libc)))
                self.configStrings.append(a)
            }
        }
        main.act(1_000) {
            self.b.free(line, thread: tid, path(self.main(188), self.fn("config_load", "src/config.c:70")))
        }
        main.act(6_000) {
            self.b.free(file, thread: tid, path(self.main(188), self.fn("config_load", "src/config.c:71"),
                                                Fn("_IO_new_fclose", "./libio/iofclose.c:74", in: self.libc)))
        }
        main.act(12_000) {
            self.logFile = self.b.malloc(472, thread: tid, path(self.main(193), self.fn("log_open", "src/log.c:29"),
                                                                Fn("_IO_new_fopen", "./libio/iofopen.c:75", in: self.libc)))
        }
        main.act(3_000) {
            self.cacheStruct = self.b.malloc(64, thread: tid, path(self.main(197), self.fn("cache_create", "src/cache.c:38")))
        }
        main.act(25_000) {
            self.buckets = self.b.malloc(self.bucketCount * 8, thread: tid,
                                         path(self.main(197), self.fn("cache_create", "src/cache.c:41")), kind: .calloc)
        }
        for (k, thread) in workerThreads.enumerated() {
            main.act(45_000) {
                self.b.threadStart(thread.tid, parent: tid)
                self.b.threadName(thread.tid, "worker-\(k + 1)")
                thread.start(at: self.b.now + 20_000)
                self.configure(worker: thread)
            }
        }
        main.wait(poll: 500_000) { self.workersExited == ServerLeak.workers }
        main.act(8_000) { self.shutdown(tid) }
    }

    func shutdown(_ tid: UInt32) {
        // cache_destroy: every entry, then the table.
        for entry in cache {
            b.elapse(300...900)
            b.free(entry.value, thread: tid, path(main(231), fn("cache_destroy", "src/cache.c:212")))
            b.elapse(200...500)
            b.free(entry.session, thread: tid, path(main(231), fn("cache_destroy", "src/cache.c:213"),
                                                    fn("session_free", "src/session.c:63")))
            b.elapse(200...500)
            b.free(entry.node, thread: tid, path(main(231), fn("cache_destroy", "src/cache.c:214")))
        }
        cache.removeAll()
        b.elapse(1_000...2_000)
        b.free(buckets, thread: tid, path(main(231), fn("cache_destroy", "src/cache.c:217")))
        b.elapse(300...600)
        b.free(cacheStruct, thread: tid, path(main(231), fn("cache_destroy", "src/cache.c:218")))
        for a in configStrings.reversed() {
            b.elapse(200...400)
            b.free(a, thread: tid, path(main(233), fn("config_free", "src/config.c:90")))
        }
        b.elapse(20_000...30_000)
        b.free(logFile, thread: tid, path(main(235), fn("log_close", "src/log.c:48"),
                                          Fn("_IO_new_fclose", "./libio/iofclose.c:74", in: libc)))
        b.elapse(30_000...50_000)
        b.threadExit(tid)
        b.elapse(10_000...20_000)
        b.processEnd(.exited, code: 0)
    }

    // MARK: Workers

    func configure(worker thread: SimThread) {
        let tid = thread.tid
        var scratch: UInt64 = 0
        var done = false
        thread.act(4_000) {
            scratch = self.b.malloc(65536, thread: tid, path(self.worker(58), self.fn("worker_init", "src/worker.c:31")))
        }
        thread.refill = {
            if self.served < ServerLeak.requests {
                self.served += 1
                self.request(on: thread)
                return true
            }
            if done { return false }
            done = true
            thread.act(3_000) {
                self.b.free(scratch, thread: tid, path(self.worker(84), self.fn("worker_fini", "src/worker.c:40")))
            }
            return true
        }
        thread.onExit = {
            self.b.threadExit(tid)
            self.workersExited += 1
        }
    }

    func request(on thread: SimThread) {
        let tid = thread.tid
        let idle = b.rng.uniform(30_000...260_000)
        let headerCount = b.rng.int(3...6)
        let bodyLength = b.rng.uniform(180...4200)
        let newSession = b.rng.chance(0.5)
        let staticFile: UInt64? = b.rng.chance(0.06) ? b.rng.pick([148_311, 185_344, 262_981, 553_472]) : nil

        var request: UInt64 = 0
        var headers: [UInt64] = []
        var response: UInt64 = 0
        var body: UInt64 = 0
        var file: UInt64 = 0

        // Wait for the next connection.
        thread.act(idle) {}
        thread.act(b.rng.uniform(2_000...9_000)) {
            request = self.b.malloc(8192, thread: tid, path(self.conn(142), self.fn("conn_read_request", "src/conn.c:58")))
        }
        for _ in 0..<headerCount {
            thread.act(b.rng.uniform(400...1_600)) {
                let length = self.b.rng.uniform(6...72)
                headers.append(self.b.malloc(length, thread: tid,
                                             path(self.conn(148), self.fn("http_parse_request", "src/http.c:231"),
                                                  self.fn("http_parse_headers", "src/http.c:274"),
                                                  self.fn("xstrdup", "src/util.c:31"),
                                                  Fn("__strdup", "./string/strdup.c:42", in: self.libc))))
            }
        }
        // url_decode: a scratch copy of the target, freed at once.
        thread.act(b.rng.uniform(1_000...3_000)) {
            let a = self.b.malloc(self.b.rng.uniform(12...180), thread: tid,
                                  path(self.conn(148), self.fn("http_parse_request", "src/http.c:226"),
                                       self.fn("url_decode", "src/http.c:96")))
            self.b.elapse(150...450)
            self.b.free(a, thread: tid, path(self.conn(148), self.fn("http_parse_request", "src/http.c:226"),
                                             self.fn("url_decode", "src/http.c:118")))
        }
        // path_normalize: a PATH_MAX buffer, freed a moment later.
        var normalized: UInt64 = 0
        thread.act(b.rng.uniform(300...1_200)) {
            normalized = self.b.malloc(4096, thread: tid, path(self.conn(150), self.fn("route_request", "src/router.c:77"),
                                                              self.fn("path_normalize", "src/router.c:41")))
        }
        thread.act(b.rng.uniform(1_500...4_000)) {
            self.b.free(normalized, thread: tid, path(self.conn(150), self.fn("route_request", "src/router.c:77"),
                                                      self.fn("path_normalize", "src/router.c:66")))
        }
        if newSession {
            thread.act(b.rng.uniform(2_000...6_000)) { self.newSession(tid) }
        } else if !cache.isEmpty {
            // A hit: move the entry to the most recent end.
            thread.act(b.rng.uniform(500...1_500)) {
                let i = self.b.rng.int(0...self.cache.count - 1)
                self.cache.append(self.cache.remove(at: i))
            }
        }
        thread.act(b.rng.uniform(1_000...3_000)) {
            response = self.b.malloc(96, thread: tid, path(self.conn(153), self.fn("response_build", "src/response.c:66")))
        }
        thread.act(b.rng.uniform(1_000...4_000)) {
            body = self.b.malloc(1024, thread: tid, path(self.conn(153), self.fn("response_build", "src/response.c:71"),
                                                         self.fn("buf_new", "src/buffer.c:24")))
        }
        var capacity: UInt64 = 1024
        while capacity < bodyLength {
            capacity *= 2
            let size = capacity
            thread.act(b.rng.uniform(2_000...6_000)) {
                body = self.b.realloc(body, size, thread: tid,
                                      path(self.conn(153), self.fn("response_build", "src/response.c:84"),
                                           self.fn("buf_append", "src/buffer.c:52"), self.fn("buf_grow", "src/buffer.c:38")))
            }
        }
        if let size = staticFile {
            thread.act(b.rng.uniform(40_000...120_000)) {
                file = self.b.malloc(size, thread: tid, path(self.conn(153), self.fn("response_build", "src/response.c:92"),
                                                            self.fn("static_file_read", "src/static.c:120")))
            }
        }
        // Send.
        thread.act(b.rng.uniform(8_000...40_000)) {}
        if staticFile != nil {
            thread.act(b.rng.uniform(500...1_500)) {
                self.b.free(file, thread: tid, path(self.conn(160), self.fn("response_free", "src/response.c:131")))
            }
        }
        thread.act(b.rng.uniform(300...900)) {
            self.b.free(body, thread: tid, path(self.conn(160), self.fn("response_free", "src/response.c:128"),
                                                self.fn("buf_free", "src/buffer.c:61")))
        }
        thread.act(b.rng.uniform(300...900)) {
            self.b.free(response, thread: tid, path(self.conn(160), self.fn("response_free", "src/response.c:133")))
        }
        for i in 0..<headerCount {
            thread.act(b.rng.uniform(200...600)) {
                self.b.free(headers[i], thread: tid, path(self.conn(162), self.fn("http_request_free", "src/http.c:330")))
            }
        }
        thread.act(b.rng.uniform(1_000...3_000)) {
            self.b.free(request, thread: tid, path(self.conn(164), self.fn("conn_close", "src/conn.c:201")))
        }
    }

    /// session_touch found no session: create one and insert it into the LRU cache.
    func newSession(_ tid: UInt32) {
        let touch = conn(151) + [fn("session_touch", "src/session.c:97")]
        let session = b.malloc(184, thread: tid, touch + [fn("session_create", "src/session.c:44")])
        b.elapse(800...2_500)
        let insert = conn(151) + [fn("session_touch", "src/session.c:99")]
        if cache.count == ServerLeak.cacheCapacity {
            // The bug: the victim's value is never freed.
            let victim = cache.removeFirst()
            b.free(victim.node, thread: tid, insert + [fn("cache_insert", "src/cache.c:98"),
                                                      fn("cache_evict_lru", "src/cache.c:157")])
            b.elapse(200...600)
            b.free(victim.session, thread: tid, insert + [fn("cache_insert", "src/cache.c:98"),
                                                         fn("cache_evict_lru", "src/cache.c:162"),
                                                         fn("session_free", "src/session.c:63")])
            if fixed {
                b.free(victim.value, thread: tid, insert + [fn("cache_insert", "src/cache.c:98"),
                                                           fn("cache_evict_lru", "src/cache.c:165")])
            }
            b.elapse(300...800)
        }
        let node = b.malloc(48, thread: tid, insert + [fn("cache_insert", "src/cache.c:103")])
        b.elapse(300...900)
        let value = b.malloc(b.rng.uniform(24...63) * 16, thread: tid, insert + [fn("cache_insert", "src/cache.c:109")])
        cache.append((node, session, value))
        if UInt64(cache.count) * 4 > bucketCount * 3 {
            b.elapse(500...1_500)
            bucketCount *= 2
            buckets = b.realloc(buckets, bucketCount * 8, thread: tid,
                                insert + [fn("cache_insert", "src/cache.c:121"), fn("cache_resize", "src/cache.c:188")])
        }
    }
}
