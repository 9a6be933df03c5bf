import Foundation
import MemscopeTestSupport
import Testing

/// Every format, with every number field at 0, 1, 2^31, 2^32, 2^53, 2^63 and 2^64 − 1, is
/// rendered: a report (exit 0) or a located error (exit 1), never a trap, a hang or a lie
/// about overflow (issue 19).
@Suite struct BoundaryNumberTests {
    static let values: [UInt64] = [0, 1, 1 << 31, 1 << 32, 1 << 53, 1 << 63, UInt64.max]

    /// The input of `format` with every number `n` (hex where the format writes hex).
    static func input(_ format: String, _ n: UInt64) -> String {
        let x = String(n, radix: 16)
        switch format {
        case "jsonl":
            return """
                {"type":"header","format":"msd","version":1}
                {"type":"meta","producer":"t","producer_version":"1","pid":\(n),"start_time_unix_ns":\(n),"clock_unit_ns":\(n),"pointer_size":8,"argv":["./t"]}
                {"type":"thread_start","ts":\(n),"thread":\(n),"parent":\(n)}
                {"type":"string","id":1,"value":"main"}
                {"type":"frame","id":1,"ip":"0x\(x)","function":1,"line":\(n)}
                {"type":"stack","id":1,"parent":0,"frame":1}
                {"type":"alloc","ts":\(n),"thread":\(n),"addr":"0x\(x)","size":\(n),"stack":1}
                {"type":"alloc","ts":\(n),"thread":1,"addr":"0x10","size":\(n),"stack":1}
                {"type":"realloc","ts":\(n),"thread":1,"old_addr":"0x10","new_addr":"0x20","size":\(n),"stack":1}
                {"type":"free","ts":\(n),"thread":\(n),"addr":"0x20","stack":1}
                {"type":"process_end","ts":\(n),"how":"exited","code":\(n)}

                """
        case "heaptrack":
            return """
                v 10600 3
                X ./t
                I \(x) \(x)
                s 4 main
                i \(x) 1 1
                t 1 0
                a \(x) 1
                + 0
                c \(x)
                a \(x) 1
                + 1
                - 0
                R \(x)
                c \(x)

                """
        case "massif":
            return """
                desc: (none)
                cmd: ./t
                time_unit: i
                #-----------
                snapshot=0
                #-----------
                time=\(n)
                mem_heap_B=\(n)
                mem_heap_extra_B=\(n)
                mem_stacks_B=\(n)
                heap_tree=detailed
                n2: \(n) (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
                 n0: \(n) 0x401136: main (t.c:\(n))
                 n0: \(n) 0x401150: f (t.c:3)
                #-----------
                snapshot=1
                #-----------
                time=\(n)
                mem_heap_B=\(n)
                mem_heap_extra_B=0
                mem_stacks_B=0
                heap_tree=empty

                """
        case "dhat":
            return """
                {"dhatFileVersion":2,"mode":"heap","verb":"Allocated","bklt":true,"bkacc":false,"tu":"instrs","Mtu":"instr","tuth":\(n),
                "cmd":"./t","pid":\(n),"tg":\(n),"te":\(n),
                "pps":[{"tb":\(n),"tbk":\(n),"tl":\(n),"mb":\(n),"mbk":\(n),"gb":\(n),"gbk":\(n),"eb":\(n),"ebk":\(n),"fs":[1]},
                       {"tb":\(n),"tbk":\(n),"tl":\(n),"mb":\(n),"mbk":\(n),"gb":\(n),"gbk":\(n),"eb":\(n),"ebk":\(n),"fs":[2,1]}],
                "ftbl":["[root]","0x401136: main (t.c:1)","0x401150: f (t.c:3)"]}

                """
        case "folded":
            return "main;f \(n)\nmain;g \(n)\n"
        default: // memscope-rs JSON
            return """
                {"allocations": [
                  {"ptr": \(n), "size": \(n), "var_name": "a", "type_name": "Vec<u8>", "scope_name": "main", "thread_id": "ThreadId(\(n))",
                   "timestamp_alloc": \(n), "timestamp_dealloc": \(n), "is_leaked": false, "borrow_count": \(n), "lifetime_ms": \(n)},
                  {"ptr": 4096, "size": \(n), "var_name": "b", "type_name": "String", "scope_name": "main", "thread_id": "ThreadId(1)",
                   "timestamp_alloc": \(n), "timestamp_dealloc": 0, "is_leaked": true, "borrow_count": 0, "lifetime_ms": 0}
                ]}

                """
        }
    }

    static let formats = ["jsonl", "heaptrack", "massif", "dhat", "folded", "memscope-rs"]

    @Test(arguments: formats)
    func everyBoundaryValueRendersOrIsALocatedError(format: String) throws {
        let directory = try TestPaths.temporaryDirectory()
        var outcomes: [String] = []
        for n in Self.values {
            let path = directory.appendingPathComponent("\(format)-\(n).txt").path
            try Data(Self.input(format, n).utf8).write(to: URL(fileURLWithPath: path))
            let report = directory.appendingPathComponent("\(format)-\(n).html").path
            let result = try memscope("render", "--format", format, path, "-o", report, "-q")
            outcomes.append("\(n): \(result.status)")
            #expect(result.status == 0 || result.status == 1, "\(format) at \(n): status \(result.status)\n\(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Crash"), "\(format) at \(n): \(result.stderr)")
            if result.status == 0 {
                #expect(FileManager.default.fileExists(atPath: report), "\(format) at \(n)")
            } else {
                #expect(result.stderr.contains("error:") && result.stderr.contains("hint:"), "\(format) at \(n): \(result.stderr)")
                #expect(!FileManager.default.fileExists(atPath: report), "no partial report")
            }
        }
        // With every number 1 the file is an ordinary one: it must render (0 may be an
        // error: a clock of 0 ns per tick is outside the format's range).
        #expect(outcomes[1] == "1: 0", "\(format): \(outcomes)")
    }
}
