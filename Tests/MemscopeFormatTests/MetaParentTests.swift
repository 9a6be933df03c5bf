import Foundation
import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// `meta` field 9, `parent_pid`: appended after argv, written only when known, so dumps
/// without it are byte-identical to what earlier writers produced and read back as before.
@Suite struct MetaParentTests {
    let withParent = Metadata(producer: "memscope-record", producerVersion: "1", pid: 4243, commandLine: ["cc1", "-quiet"],
                              parentPid: 4242)

    @Test func binaryMetaEndsWithTheParentPidOnlyWhenKnown() throws {
        var without = withParent
        without.parentPid = nil
        let plain = MSDBinaryWriter.payload(of: .meta(without))
        let extended = MSDBinaryWriter.payload(of: .meta(withParent))
        #expect(Array(extended.prefix(plain.count)) == plain)
        #expect(Array(extended.suffix(from: plain.count)) == [0x92, 0x21]) // 4242 as LEB128
        #expect(try readAll(encodeBinary([.meta(withParent)])).records == [.meta(withParent)])
        #expect(try readAll(encodeBinary([.meta(without)])).records == [.meta(without)])
    }

    @Test func textMetaHasParentPidOnlyWhenKnown() throws {
        var without = withParent
        without.parentPid = nil
        #expect(JSONLinesWriter.line(for: .meta(withParent)).hasSuffix(",\"parent_pid\":4242}"))
        #expect(!JSONLinesWriter.line(for: .meta(without)).contains("parent_pid"))
        for meta in [withParent, without] {
            let text = "{\"type\":\"header\",\"format\":\"msd\",\"version\":1}\n" + JSONLinesWriter.line(for: .meta(meta)) + "\n"
            #expect(try readAll(Array(text.utf8), path: "t.jsonl").records == [.meta(meta)])
        }
    }
}
