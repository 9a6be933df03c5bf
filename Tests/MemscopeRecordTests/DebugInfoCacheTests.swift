import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The disk cache of debug files with their compressed sections inflated: the first
/// recording of Debian's sqlite3 leaves a copy of libc's debug file (libc6-dbg ships
/// it compressed); later recordings read the copy; every frame is named as without the
/// cache; a damaged copy is ignored and replaced.
@Suite(.serialized, .enabled(if: isInstalled("sqlite3") && isInstalled("readelf")))
struct DebugInfoCacheTests {
    /// Every frame as text, addresses in module offsets (the same in every run).
    static func frames(_ dump: RecordedDump) -> Set<String> {
        var strings: [UInt32: String] = [:]
        var frames: [Frame] = []
        for record in dump.records {
            switch record {
            case .string(let id, let value): strings[id] = value
            case .frame(let frame): frames.append(frame)
            default: break
            }
        }
        return Set(frames.map { f in
            [strings[f.module], f.moduleOffset.map { String($0, radix: 16) }, strings[f.function], strings[f.file],
             "\(f.line):\(f.column)", f.isInlined ? "inlined" : "", strings[f.buildID]]
                .map { $0 ?? "-" }.joined(separator: " ")
        })
    }

    static func record(cache: String) throws -> RecordedDump {
        let dump = try TestPaths.temporaryDirectory().appendingPathComponent("sqlite3.msd").path
        var environment = ProcessInfo.processInfo.environment
        environment["MEMSCOPE_CACHE_DIR"] = cache
        let result = try run("memscope", ["record", "-o", dump, "--", "sqlite3", ":memory:",
                                          "create table t(a text); insert into t values ('x'); select * from t;"],
                             environment: environment)
        guard result.status == 0 else { throw TestFailure("record failed: \(result.stderr)") }
        return try RecordedDump(path: dump)
    }

    /// The names of `file`'s compressed .debug_ sections, by readelf.
    static func compressedDebugSections(_ file: String) throws -> [String] {
        let sections = try run("readelf", ["-S", "-W", file])
        return sections.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let close = line.firstIndex(of: "]") else { return nil }
            let fields = line[line.index(after: close)...].split(separator: " ")
            // Name Type Address Off Size ES Flg ...
            guard fields.count >= 7, fields[0].hasPrefix(".debug_"), fields[6].contains("C") else { return nil }
            return String(fields[0])
        }
    }

    @Test func aCopyIsMadeOnceAndNamesEveryFrameAsTheOriginal() throws {
        let cache = try TestPaths.temporaryDirectory().path
        let uncached = Self.frames(try Self.record(cache: "off"))
        #expect(!FileManager.default.fileExists(atPath: cache + "/debuginfo"), "MEMSCOPE_CACHE_DIR=off wrote nothing")
        let first = Self.frames(try Self.record(cache: cache))
        let copies = try FileManager.default.contentsOfDirectory(atPath: cache + "/debuginfo").sorted()
        try #require(copies.count >= 1 && copies.allSatisfy { $0.hasSuffix(".debug") },
                     "libc6-dbg's compressed debug file should be copied inflated: \(copies)")
        for copy in copies {
            #expect(try Self.compressedDebugSections(cache + "/debuginfo/" + copy).isEmpty, "\(copy) still compressed")
        }
        let modified = try FileManager.default.attributesOfItem(atPath: cache + "/debuginfo/" + copies[0])[.modificationDate] as? Date
        let warm = Self.frames(try Self.record(cache: cache))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/debuginfo").sorted() == copies)
        #expect(try FileManager.default.attributesOfItem(atPath: cache + "/debuginfo/" + copies[0])[.modificationDate] as? Date
                == modified, "a good copy is read, not written again")
        #expect(uncached.count > 100)
        #expect(warm == uncached, "\(warm.symmetricDifference(uncached).sorted().prefix(4))")
        #expect(first.symmetricDifference(uncached).count == 0)
        #expect(warm.contains { $0.contains("libc.so.6") && $0.contains(".c ") }, "libc frames carry their source files")
    }

    @Test func aDamagedCopyIsIgnoredAndReplaced() throws {
        let cache = try TestPaths.temporaryDirectory().path
        let reference = Self.frames(try Self.record(cache: cache))
        let copies = try FileManager.default.contentsOfDirectory(atPath: cache + "/debuginfo")
        try #require(!copies.isEmpty)
        let copy = cache + "/debuginfo/" + copies[0]
        let size = try #require(try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int)
        #expect(truncate(copy, 4096) == 0)
        let again = Self.frames(try Self.record(cache: cache))
        #expect(again == reference, "\(again.symmetricDifference(reference).sorted().prefix(4))")
        #expect(try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int == size, "the damaged copy was replaced")
    }
}
