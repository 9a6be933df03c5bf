import MemscopeModel

/// `thread-handoff.msd`: a C++ ingestion daemon. Two producer threads `new` a `Message`
/// and its `new[]` payload and push the pointer into a `BlockingQueue` (a `std::deque`
/// of raw pointers, whose 512-byte nodes are allocated by the pushing thread and freed by
/// the popping one); two consumer threads pop, hash and `delete` them, so almost every
/// block is freed by a thread other than the one that allocated it. Each `std::thread`'s
/// state is allocated by `main` and freed by the thread itself when it ends. The producers
/// end with a burst; `main` closes the queue shortly after they finish, the consumers stop
/// at once, and the messages still queued are never deleted (the deque nodes are).
enum ThreadHandoff {
    static let pid: UInt32 = 9100
    static let messagesPerProducer = 790
    static let finalBurst = 36

    static let bin = "/opt/ingest/bin/ingestd"
    static let libc = "/lib/x86_64-linux-gnu/libc.so.6"
    static let libstdcxx = "/lib/x86_64-linux-gnu/libstdc++.so.6"

    static func build() -> [Record] {
        let meta = Metadata(producer: "memscope-record", producerVersion: "0.1.0", pid: pid,
                            startTimeUnixNanoseconds: 1_732_526_402_250_000_000, clockUnitNanoseconds: 1, pointerSize: 8,
                            commandLine: [bin, "--producers=2", "--consumers=2", "--source=/var/spool/ingest/batch-0042"])
        let b = SampleBuilder(seed: 0x4a2d_0ff0_0003, meta: meta,
                              modules: [(bin, 0x5555_5555_6000), (libstdcxx, 0x7fff_f7a9_a000), (libc, 0x7fff_f7c2_8000)],
                              heap: Heap(mainThread: pid))
        let scheduler = Scheduler(builder: b)
        Ingest(b: b, scheduler: scheduler).setUp()
        scheduler.run()
        return b.records
    }
}

private final class Ingest {
    let b: SampleBuilder
    let scheduler: Scheduler
    let bin = ThreadHandoff.bin
    let libc = ThreadHandoff.libc
    let libstdcxx = ThreadHandoff.libstdcxx
    let include = "/usr/include/c++/13/bits"

    // The queue: messages in FIFO order, and the deque's nodes of 64 pointers each.
    var queue: [(message: UInt64, payload: UInt64, producer: UInt32)] = []
    var pushed = 0
    var popped = 0
    var nodes: [UInt64] = []
    var map: UInt64 = 0
    var closed = false
    var producersExited = 0
    var consumersExited = 0

    init(b: SampleBuilder, scheduler: Scheduler) {
        self.b = b
        self.scheduler = scheduler
    }

    func f(_ name: String, _ location: String) -> Fn { Fn(name, location, in: bin) }
    func inc(_ name: String, _ location: String) -> Fn { Fn(name, "\(include)/\(location)", in: bin) }

    lazy var mainBase: [Fn] = [
        Fn("_start", in: bin),
        Fn("__libc_start_main_impl", "../csu/libc-start.c:360", in: libc),
        Fn("__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h:58", in: libc),
    ]
    func main(_ line: UInt32) -> [Fn] { mainBase + [f("main", "src/main.cpp:\(line)")] }

    lazy var threadBase: [Fn] = [
        Fn("clone3", "../sysdeps/unix/sysv/linux/x86_64/clone3.S:78", in: libc),
        Fn("start_thread", "./nptl/pthread_create.c:447", in: libc),
    ]
    /// start_thread → execute_native_thread_routine → … → `run` of the role.
    func role(_ run: String, _ location: String, state: String) -> [Fn] {
        threadBase + [
            Fn("execute_native_thread_routine", "../../../../../src/c++11/thread.cc:104", in: libstdcxx),
            inc("std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (\(state)::*)(), \(state)*> > >::_M_run()",
                "std_thread.h:244"),
            f(run, location),
        ]
    }

    let queueType = "ingest::BlockingQueue<ingest::Message*>"
    let dequeType = "std::deque<ingest::Message*, std::allocator<ingest::Message*> >"
    lazy var newNode = inc("std::__new_allocator<ingest::Message*>::allocate(unsigned long, void const*)", "new_allocator.h:151")
    lazy var deleteNode = inc("std::__new_allocator<ingest::Message*>::deallocate(ingest::Message**, unsigned long)",
                              "new_allocator.h:172")

    // MARK: main

    func setUp() {
        let tid = ThreadHandoff.pid
        let main = SimThread(tid: tid)
        main.start(at: 0)
        scheduler.add(main)
        var config: [UInt64] = []
        main.act(50_000) { self.b.threadStart(tid, parent: 0, name: "ingestd") }
        for (size, line) in [(38 as UInt64, 71 as UInt32), (27, 74)] {
            main.act(4_000) {
                config.append(self.b.malloc(size, thread: tid, self.main(22) + [
                    self.f("ingest::Config::from_args(int, char**)", "src/config.cpp:\(line)"),
                    self.inc("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create(unsigned long&, unsigned long)",
                             "basic_string.tcc:155"),
                ], kind: .operatorNew))
            }
        }
        main.act(6_000) {
            let ctor = self.main(25) + [self.f("\(self.queueType)::BlockingQueue()", "src/queue.hpp:24"),
                                        self.inc("std::_Deque_base<ingest::Message*, std::allocator<ingest::Message*> >::_M_initialize_map(unsigned long)",
                                                 "stl_deque.h:648")]
            self.map = self.b.malloc(64, thread: tid, ctor + [
                self.inc("std::_Deque_base<ingest::Message*, std::allocator<ingest::Message*> >::_M_allocate_map(unsigned long)", "stl_deque.h:620"),
                self.inc("std::__new_allocator<ingest::Message**>::allocate(unsigned long, void const*)", "new_allocator.h:151"),
            ], kind: .operatorNew)
            self.b.elapse(300...700)
            self.nodes = [self.b.malloc(512, thread: tid, ctor + [
                self.inc("std::_Deque_base<ingest::Message*, std::allocator<ingest::Message*> >::_M_create_nodes(ingest::Message***, ingest::Message***)",
                         "stl_deque.h:681"),
                self.newNode,
            ], kind: .operatorNew)]
        }

        let roles: [(name: String, state: String, line: UInt32)] = [
            ("producer-0", "ingest::Producer", 31), ("producer-1", "ingest::Producer", 31),
            ("consumer-0", "ingest::Consumer", 35), ("consumer-1", "ingest::Consumer", 35),
        ]
        for (k, role) in roles.enumerated() {
            let thread = SimThread(tid: tid + 1 + UInt32(k))
            scheduler.add(thread)
            main.act(35_000) {
                // std::thread t(&Role::run, &role): the state is allocated here and freed by the new thread.
                let state = self.b.malloc(24, thread: tid, self.main(role.line) + [
                    self.inc("std::thread::thread<void (\(role.state)::*)(), \(role.state)*, void>(void (\(role.state)::*&&)(), \(role.state)*&&)",
                             "std_thread.h:236"),
                    self.inc("std::make_unique<std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (\(role.state)::*)(), \(role.state)*> > >>(...)",
                             "unique_ptr.h:1070"),
                ], kind: .operatorNew)
                self.b.elapse(8_000...15_000)
                self.b.threadStart(thread.tid, parent: tid)
                thread.start(at: self.b.now + 5_000)
                if k < 2 {
                    self.producer(thread, name: role.name, state: state)
                } else {
                    self.consumer(thread, name: role.name, state: state)
                }
            }
        }
        main.wait(poll: 20_000) { self.producersExited == 2 }
        main.act(10_000) {}
        main.act(0) { self.closed = true }
        main.wait(poll: 20_000) { self.consumersExited == 2 }
        main.act(30_000) {
            // ~BlockingQueue: the deque frees its nodes and map, not the Message objects.
            let dtor = self.main(58) + [self.f("\(self.queueType)::~BlockingQueue()", "src/queue.hpp:30"),
                                        self.inc("\(self.dequeType)::~deque()", "stl_deque.h:1029"),
                                        self.inc("std::_Deque_base<ingest::Message*, std::allocator<ingest::Message*> >::~_Deque_base()",
                                                 "stl_deque.h:602")]
            for node in self.nodes {
                self.b.elapse(200...500)
                self.b.free(node, thread: tid, dtor + [
                    self.inc("std::_Deque_base<ingest::Message*, std::allocator<ingest::Message*> >::_M_destroy_nodes(ingest::Message***, ingest::Message***)",
                             "stl_deque.h:695"),
                    self.deleteNode,
                ])
            }
            self.b.elapse(200...500)
            self.b.free(self.map, thread: tid, dtor + [
                self.inc("std::_Deque_base<ingest::Message*, std::allocator<ingest::Message*> >::_M_deallocate_map(ingest::Message***, unsigned long)",
                         "stl_deque.h:632"),
                self.inc("std::__new_allocator<ingest::Message**>::deallocate(ingest::Message***, unsigned long)", "new_allocator.h:172"),
            ])
            for a in config.reversed() {
                self.b.elapse(500...1_000)
                self.b.free(a, thread: tid, self.main(60) + [
                    self.f("ingest::Config::~Config()", "src/config.hpp:12"),
                    self.inc("std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_dispose()",
                             "basic_string.h:289"),
                ])
            }
            self.b.elapse(20_000...40_000)
            self.b.threadExit(tid)
            self.b.elapse(5_000...10_000)
            self.b.processEnd(.exited, code: 0)
        }
    }

    /// Frees the `std::thread` state as execute_native_thread_routine returns, then exits.
    func exitPath(_ thread: SimThread, state: UInt64, role: String) {
        b.free(state, thread: thread.tid, threadBase + [
            Fn("execute_native_thread_routine", "../../../../../src/c++11/thread.cc:106", in: libstdcxx),
            inc("std::unique_ptr<std::thread::_State, std::default_delete<std::thread::_State> >::~unique_ptr()", "unique_ptr.h:404"),
            inc("std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (\(role)::*)(), \(role)*> > >::~_State_impl()",
                "std_thread.h:237"),
        ])
        b.elapse(2_000...5_000)
        b.threadExit(thread.tid)
    }

    // MARK: producers

    func producer(_ thread: SimThread, name: String, state: UInt64) {
        let tid = thread.tid
        let make = role("ingest::Producer::run()", "src/producer.cpp:63", state: "ingest::Producer")
            + [f("ingest::Producer::make_message(ingest::Record const&)", "src/producer.cpp:48")]
        let push = role("ingest::Producer::run()", "src/producer.cpp:66", state: "ingest::Producer") + [
            f("\(queueType)::push(ingest::Message*)", "src/queue.hpp:41"),
            inc("\(dequeType)::push_back(ingest::Message* const&)", "stl_deque.h:1560"),
            inc("void \(dequeType)::_M_push_back_aux<ingest::Message* const&>(ingest::Message* const&)", "deque.tcc:489"),
            newNode,
        ]
        var buffer: UInt64 = 0
        var produced = 0
        var finished = false
        thread.act(3_000) { self.b.threadName(tid, name) }
        thread.act(6_000) {
            buffer = self.b.malloc(4096, thread: tid, self.role("ingest::Producer::run()", "src/producer.cpp:57",
                                                                state: "ingest::Producer") + [
                self.inc("std::vector<char, std::allocator<char> >::vector(unsigned long, std::allocator<char> const&)",
                         "stl_vector.h:557"),
                self.inc("std::__new_allocator<char>::allocate(unsigned long, void const*)", "new_allocator.h:151"),
            ], kind: .operatorNew)
        }
        thread.refill = {
            if produced == ThreadHandoff.messagesPerProducer {
                if finished { return false }
                finished = true
                thread.act(4_000) {
                    self.b.free(buffer, thread: tid, self.role("ingest::Producer::run()", "src/producer.cpp:72",
                                                               state: "ingest::Producer") + [
                        self.inc("std::vector<char, std::allocator<char> >::~vector()", "stl_vector.h:735"),
                        self.inc("std::__new_allocator<char>::deallocate(char*, unsigned long)", "new_allocator.h:172"),
                    ])
                }
                return true
            }
            produced += 1
            let burst = produced > ThreadHandoff.messagesPerProducer - ThreadHandoff.finalBurst
            // Payload sizes: mostly small records, some large batches.
            let size = self.b.rng.chance(0.15) ? self.b.rng.uniform(1_024...4_000) : self.b.rng.uniform(48...600)
            var message: UInt64 = 0
            thread.act(burst ? self.b.rng.uniform(600...1_500) : self.b.rng.uniform(6_000...30_000)) {
                message = self.b.malloc(64, thread: tid, make, kind: .operatorNew)
            }
            thread.act(self.b.rng.uniform(300...900)) {
                let payload = self.b.malloc(size, thread: tid, make + [
                    self.f("ingest::Message::Message(unsigned long)", "src/message.hpp:27")], kind: .operatorNewArray)
                self.b.elapse(400...1_200)
                // push_back: a new node when this element fills the last one.
                if self.pushed % 64 == 63 {
                    self.nodes.append(self.b.malloc(512, thread: tid, push, kind: .operatorNew))
                }
                self.pushed += 1
                self.queue.append((message, payload, tid))
            }
            return true
        }
        thread.onExit = {
            self.exitPath(thread, state: state, role: "ingest::Producer")
            self.producersExited += 1
        }
    }

    // MARK: consumers

    func consumer(_ thread: SimThread, name: String, state: UInt64) {
        let tid = thread.tid
        let pop = role("ingest::Consumer::run()", "src/consumer.cpp:33", state: "ingest::Consumer") + [
            f("\(queueType)::pop()", "src/queue.hpp:58"),
            inc("\(dequeType)::pop_front()", "stl_deque.h:1618"),
            inc("\(dequeType)::_M_pop_front_aux()", "deque.tcc:578"),
            inc("std::_Deque_base<ingest::Message*, std::allocator<ingest::Message*> >::_M_deallocate_node(ingest::Message**)",
                "stl_deque.h:641"),
            deleteNode,
        ]
        let handle = role("ingest::Consumer::run()", "src/consumer.cpp:36", state: "ingest::Consumer") + [
            f("ingest::Consumer::handle(ingest::Message&)", "src/consumer.cpp:71"),
        ]
        let string = "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >"
        let digest = handle + [f("ingest::hex_digest[abi:cxx11](unsigned char const*, unsigned long)", "src/digest.cpp:18")]
        let release = role("ingest::Consumer::run()", "src/consumer.cpp:38", state: "ingest::Consumer") + [
            inc("std::default_delete<ingest::Message>::operator()(ingest::Message*) const", "unique_ptr.h:99"),
        ]
        thread.act(3_000) { self.b.threadName(tid, name) }
        thread.refill = {
            if self.closed { return false }
            if self.queue.isEmpty {
                thread.wait(poll: 3_000) { self.closed || !self.queue.isEmpty }
                return true
            }
            let item = self.queue.removeFirst()
            thread.act(self.b.rng.uniform(500...1_500)) {
                if self.popped % 64 == 63 {
                    let node = self.nodes.removeFirst()
                    self.b.free(node, thread: tid, pop)
                }
                self.popped += 1
            }
            thread.act(self.b.rng.uniform(2_000...9_000)) {
                let hex = self.b.malloc(65, thread: tid, digest + [self.inc("\(string)::_M_create(unsigned long&, unsigned long)",
                                                                            "basic_string.tcc:155")], kind: .operatorNew)
                self.b.elapse(300...800)
                self.b.free(hex, thread: tid, handle + [self.inc("\(string)::_M_dispose()", "basic_string.h:289"),
                                                        self.inc("\(string)::_M_destroy(unsigned long)", "basic_string.h:294")])
            }
            thread.act(self.b.rng.uniform(3_000...14_000)) {
                self.b.free(item.payload, thread: tid, release + [self.f("ingest::Message::~Message()", "src/message.hpp:33")])
                self.b.elapse(200...500)
                self.b.free(item.message, thread: tid, release)
            }
            return true
        }
        thread.onExit = {
            self.exitPath(thread, state: state, role: "ingest::Consumer")
            self.consumersExited += 1
        }
    }
}
