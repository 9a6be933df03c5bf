import MemscopeAnalysis
import MemscopeModel
import MemscopeTestSupport
import Testing

/// Whose code a frame is, for colouring flamegraphs by module.
@Suite struct CodeOriginTests {
    @Test func modulesByPath() {
        let program = "/home/me/build/server"
        #expect(CodeOrigin.ofModule("", program: program) == .unknown)
        #expect(CodeOrigin.ofModule(program, program: program) == .application)
        #expect(CodeOrigin.ofModule("/home/me/build/libstore.so.2", program: program) == .ownLibrary)
        #expect(CodeOrigin.ofModule("/opt/vendor/lib/libfoo.so", program: program) == .ownLibrary)
        #expect(CodeOrigin.ofModule("/usr/lib/x86_64-linux-gnu/libz.so.1", program: program) == .systemLibrary)
        #expect(CodeOrigin.ofModule("/usr/local/lib/libsqlite3.so.0", program: program) == .systemLibrary)
        for runtime in ["/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                        "/lib/x86_64-linux-gnu/libgcc_s.so.1", "/usr/lib/swift/linux/libswiftCore.so", "/tmp/x/libmemscope-preload.so",
                        "/home/me/build/libjemalloc.so.2"] {
            #expect(CodeOrigin.ofModule(runtime, program: program) == .runtime, "\(runtime)")
        }
        // Without a known program, an executable outside the system directories is the program.
        #expect(CodeOrigin.ofModule("/home/me/build/server", program: nil) == .application)
        #expect(CodeOrigin.ofModule("/home/me/build/libstore.so", program: nil) == .ownLibrary)
    }

    @Test func framesByModuleAndName() {
        var dump = DumpBuilder(metadata: Metadata(producer: "test", producerVersion: "1", commandLine: ["./server", "--port"]))
        let main = dump.codeFrame("main", module: "/srv/server", offset: 0x100)
        let vector = dump.codeFrame("std::vector<int>::_M_realloc_insert(int&&)", module: "/srv/server", offset: 0x200)
        let store = dump.codeFrame("store_put", module: "/srv/libstore.so", offset: 0x300)
        dump.modules["mystery"] = ""
        let unknown = dump.frame("mystery")
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: dump.stack(frames: [main, store, vector]))
        dump.alloc(ts: 2, address: 0x20, size: 8, stack: dump.stack(frames: [main, unknown]))
        let a = MemscopeTestSupport.analyze(dump.records)
        // The command line names ./server; the module is matched by its file name.
        #expect(a.programModule == "/srv/server")
        #expect(a.origin(ofFrame: main, program: a.programModule) == .application)
        #expect(a.origin(ofFrame: store, program: a.programModule) == .ownLibrary)
        // C++ library code compiled into the program is runtime code, by the site-naming rules.
        #expect(a.origin(ofFrame: vector, program: a.programModule) == .runtime)
        #expect(a.origin(ofFrame: unknown, program: a.programModule) == .unknown)
    }

    @Test func programFromMainWithoutACommandLine() {
        var dump = DumpBuilder(metadata: Metadata(producer: "heaptrack", producerVersion: "1"))
        let main = dump.codeFrame("main", module: "/work/app.so.bin", offset: 0x100)
        let work = dump.codeFrame("work", module: "/work/app.so.bin", offset: 0x200)
        dump.alloc(ts: 1, address: 0x10, size: 8, stack: dump.stack(frames: [main, work]))
        let a = MemscopeTestSupport.analyze(dump.records)
        #expect(a.programModule == "/work/app.so.bin")
        #expect(a.origin(ofFrame: work, program: a.programModule) == .application)
    }
}
