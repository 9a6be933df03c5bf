import Foundation
@testable import MemscopeImport
import MemscopeAnalysis
import MemscopeFormat
import MemscopeTestSupport
import Testing

/// The streaming JSON reader behind the DHAT and memscope-rs importers: the values
/// JSONSerialization would give, limits with byte offsets, and memory that does not grow
/// with the text.
@Suite struct JSONStreamTests {
    func stream(_ text: String, limits: JSONStream.Limits = .init()) throws -> JSONStream {
        JSONStream(file: try DecodedFile(bytes: Array(text.utf8), path: "t.json"), path: "t.json", format: .dhat, limits: limits)
    }

    func error(_ text: String, limits: JSONStream.Limits = .init()) -> String {
        do {
            let s = try stream(text, limits: limits)
            _ = try s.value()
            try s.end()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func valuesEqualJSONSerialization() throws {
        let text = #"{"a": [1, -2, 3.5, 1e3, true, false, null], "s": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\u0041", "big": 18446744073709551615, "neg": -9223372036854775808, "o": {}, "e": []}"#
        let ours = try stream(text).value() as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        #expect(ours == theirs)
        let object = try #require(ours as? [String: Any])
        #expect((object["big"] as? NSNumber)?.uint64Value == UInt64.max)
        #expect(object["s"] as? String == "q\"\\/\u{8}\u{c}\n\r\t\u{e9}😀A")
    }

    @Test func containersAreWalkedAndSkipped() throws {
        let s = try stream(#" { "skip": {"x": [1, {"y": "z"}]}, "list": [ {"n": 1}, {"n": 2} ] } "#)
        try s.beginObject()
        var seen: [Int] = []
        while let key = try s.nextKey() {
            if key == "list" {
                try s.beginArray()
                while try s.nextElement() { seen.append(((try s.value() as? [String: Any])?["n"] as? NSNumber)?.intValue ?? -1) }
            } else {
                try s.skipValue()
            }
        }
        try s.end()
        #expect(seen == [1, 2])
    }

    @Test func malformedInputIsLocatedByByteOffset() {
        #expect(error(#"{"a": 1,}"#).contains("expected a key (a string), found '}' at byte 8"))
        #expect(error(#"[1 2]"#).contains("expected ',' or ']', found '2' at byte 3"))
        #expect(error(#"{"a" 1}"#).contains("expected ':' after a key, found '1' at byte 5"))
        #expect(error(#"["abc"#).contains("the input ends inside a string"))
        #expect(error("[\"a\u{1}b\"]").contains("a control character (byte 0x1) inside a string; JSON needs it escaped at byte 3"))
        #expect(error(#"[01]"#).contains("'01' is not a JSON number") == false) // 01: UInt64 accepts it; JSONSerialization rejects
        #expect(error(#"[1.]"#).contains("'1.' is not a JSON number at byte 3"))
        #expect(error(#"[tru]"#).contains("expected 'true'"))
        #expect(error(#"[1] x"#).contains("expected the end of the document, found 'x' at byte 4"))
        #expect(error(#"["\x"]"#).contains(#"'\x' is not a JSON escape"#))
    }

    @Test func limitsNameThemselves() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(error(deep).contains("t.json: byte 256: error: arrays and objects nested more than 256 deep: past the limit of 256 nesting of JSON arrays and objects"))
        #expect(error(deep).contains("hint: if the input is genuine, raise the limit with --limit json-depth=N"))
        var small = JSONStream.Limits()
        small.maxStringBytes = 4
        #expect(error(#"["abcd"]"#, limits: small) == "no error")
        #expect(error(#"["abcde"]"#, limits: small).contains("a string longer than 4 bytes: past the limit of 4 bytes of one string"))
        #expect(error("[" + String(repeating: "1", count: 500) + "]").contains("a number longer than 400 characters"))
    }

    /// A DHAT file padded with 64 MiB of whitespace between its members: the whole text is
    /// never held (JSONSerialization needed the file plus its tree), and the figures are the file's.
    @Test func dhatIsStreamedWhateverItsPadding() throws {
        let padding = String(repeating: " ", count: 64 << 20)
        let text = #"{"dhatFileVersion":2,"mode":"heap","bklt":true,"tu":"instrs","tg":5,"te":9,"#
            + #""pps":[{"tb":100,"tbk":2,"gb":50,"eb":10,"ebk":1,"fs":[1]},"# + padding
            + #"{"tb":7,"tbk":1,"gb":0,"eb":0,"ebk":0,"fs":[2,1]}],"ftbl":["[root]","0x1: main (a.c:1)","0x2: f (a.c:2)"]}"#
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("padded.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let (analysis, format) = try InputLoader.analyze(path: path)
        #expect(format == .dhat)
        #expect((analysis.totals.allocations, analysis.totals.bytesAllocated, analysis.totals.leakedBytes) == (3, 107, 10))
    }

    /// DHAT's own figures are untrusted: totals past 64 bits saturate and are flagged.
    @Test func dhatTotalsPast64BitsSaturateAndAreFlagged() throws {
        let text = #"{"dhatFileVersion":2,"mode":"heap","bklt":false,"tu":"instrs","#
            + #""pps":[{"tb":18446744073709551615,"tbk":18446744073709551615,"fs":[1]},{"tb":2,"tbk":2,"fs":[2]}],"#
            + #""ftbl":["[root]","0x1: main (a.c:1)","0x2: f (a.c:2)"]}"#
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("huge.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let (analysis, _) = try InputLoader.analyze(path: path)
        #expect(analysis.totals.allocations == UInt64.max && analysis.totals.bytesAllocated == UInt64.max)
        #expect(analysis.totals.overflowed == ["allocations", "bytes_allocated"])
    }
}
