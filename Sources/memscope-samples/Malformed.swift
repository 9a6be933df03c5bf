import MemscopeFormat
import MemscopeModel

/// The malformed set: one defect per file. Valid records are encoded with
/// `MSDBinaryWriter.payload(of:)`; the defects are spliced in as raw bytes.
enum Malformed {
    enum Content {
        case bytes([UInt8])
        case text(String)
    }

    static func files() -> [(name: String, content: Content)] {
        [
            ("bad-magic.msd", .bytes(badMagic())),
            ("unsupported-version.msd", .bytes(unsupportedVersion())),
            ("meta-not-first.msd", .bytes(metaNotFirst())),
            ("record-too-large.msd", .bytes(recordTooLarge())),
            ("bad-varint.msd", .bytes(badVarint())),
            ("record-too-short.msd", .bytes(recordTooShort())),
            ("string-id-out-of-sequence.msd", .bytes(stringIdOutOfSequence())),
            ("undefined-stack.msd", .bytes(undefinedStack())),
            ("absurd-size.msd", .bytes(absurdSize())),
            ("bad-pointer-size.msd", .bytes(badPointerSize())),
            ("truncated.msd", .bytes(truncated())),
            ("unknown-kind.msd", .bytes(unknownKind())),
            ("bad-json.jsonl", .text(badJSON())),
            ("missing-field.jsonl", .text(missingField())),
            ("not-a-dump.txt", .text(notADump())),
            ("empty.msd", .bytes([])),
        ]
    }

    // MARK: - Building blocks

    static let tid: UInt32 = 4242
    static let bin = "/usr/local/bin/reqparse"
    static let meta = Metadata(producer: "memscope-record", producerVersion: "0.1.0", pid: 4242,
                               startTimeUnixNanoseconds: 1_732_521_600_000_000_000, clockUnitNanoseconds: 1,
                               pointerSize: 8, commandLine: ["./reqparse", "request.txt"])
    /// main → parse_request, defined as strings 1–4, frames 1–2, stacks 1–2.
    static let tables: [Record] = [
        .string(id: 1, value: "main"),
        .string(id: 2, value: "src/reqparse.c"),
        .string(id: 3, value: bin),
        .string(id: 4, value: "parse_request"),
        .frame(Frame(id: 1, instructionPointer: 0x5555_5555_5189, function: 1, file: 2, line: 42, module: 3)),
        .frame(Frame(id: 2, instructionPointer: 0x5555_5555_5236, function: 4, file: 2, line: 17, module: 3)),
        .stack(id: 1, parent: 0, frame: 1),
        .stack(id: 2, parent: 1, frame: 2),
    ]
    static func alloc(_ ts: UInt64, _ address: UInt64, _ size: UInt64, stack: UInt32 = 2) -> Record {
        .alloc(Alloc(timestamp: ts, thread: tid, address: address, size: size, kind: .malloc, stack: stack))
    }
    static func free(_ ts: UInt64, _ address: UInt64, stack: UInt32 = 2) -> Record {
        .free(Free(timestamp: ts, thread: tid, address: address, stack: stack))
    }
    static let blockA: UInt64 = 0x5555_5555_a2a0
    static let blockB: UInt64 = 0x5555_5555_a2f0
    static let events: [Record] = [
        .threadStart(timestamp: 0, thread: tid, parent: 0),
        alloc(1_200, blockA, 64),
        alloc(1_900, blockB, 200),
        free(2_400, blockB),
        free(3_100, blockA),
    ]
    static let end: Record = .processEnd(ProcessEnd(timestamp: 5_000, how: .exited, code: 0))

    static func leb128(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    static func header(version: UInt16 = MSDFormat.version) -> [UInt8] {
        MSDFormat.magic + [UInt8(version & 0xFF), UInt8(version >> 8), 0, 0]
    }

    /// kind, LEB128 length, payload.
    static func frame(kind: UInt8, payload: [UInt8]) -> [UInt8] {
        [kind] + leb128(UInt64(payload.count)) + payload
    }

    static func encode(_ records: [Record]) -> [UInt8] {
        records.flatMap { frame(kind: $0.kindByte, payload: MSDBinaryWriter.payload(of: $0)) }
    }

    static func valid() -> [UInt8] { header() + encode([.meta(meta)] + tables + events + [end]) }

    // MARK: - Binary defects

    /// The header as a text-mode transfer leaves it: CR LF became LF.
    static func badMagic() -> [UInt8] {
        let good = valid()
        return [0x89, 0x4D, 0x53, 0x44, 0x0A, 0x1A, 0x0A] + good[8...]
    }

    static func unsupportedVersion() -> [UInt8] {
        header(version: 2) + encode([.meta(meta)] + tables + events + [end])
    }

    static func metaNotFirst() -> [UInt8] {
        header() + encode([tables[0], .meta(meta)] + tables.dropFirst() + events + [end])
    }

    /// An alloc record declaring 16 MiB + 1 payload bytes, followed by a few bytes only.
    static func recordTooLarge() -> [UInt8] {
        let payload = MSDBinaryWriter.payload(of: alloc(1_200, blockA, 64))
        return header() + encode([.meta(meta)] + tables + [events[0]])
            + [RecordKind.alloc.rawValue] + leb128(MSDFormat.maxPayloadLength + 1) + payload
    }

    /// An alloc whose size field (64) is padded to an 11-byte LEB128.
    static func badVarint() -> [UInt8] {
        var payload: [UInt8] = []
        payload += leb128(1_200) + leb128(UInt64(tid)) + leb128(blockA)
        payload += [0xC0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]
        payload += leb128(UInt64(AllocatorKind.malloc.rawValue)) + leb128(2)
        return header() + encode([.meta(meta)] + tables + [events[0]])
            + frame(kind: RecordKind.alloc.rawValue, payload: payload)
            + encode([free(3_100, blockA), end])
    }

    /// An alloc whose payload stops after the allocator field: no stack.
    static func recordTooShort() -> [UInt8] {
        var payload: [UInt8] = []
        payload += leb128(1_200) + leb128(UInt64(tid)) + leb128(blockA) + leb128(64)
        payload += leb128(UInt64(AllocatorKind.malloc.rawValue))
        return header() + encode([.meta(meta)] + tables + [events[0]])
            + frame(kind: RecordKind.alloc.rawValue, payload: payload)
            + encode([free(3_100, blockA), end])
    }

    /// Strings 1, 2, 3, then 5.
    static func stringIdOutOfSequence() -> [UInt8] {
        header() + encode([.meta(meta), tables[0], tables[1], tables[2], .string(id: 5, value: "parse_request")]
                          + tables[4...] + events + [end])
    }

    /// Two stacks are defined; the alloc refers to stack 3.
    static func undefinedStack() -> [UInt8] {
        header() + encode([.meta(meta)] + tables + [events[0], alloc(1_200, blockA, 64, stack: 3), end])
    }

    /// An alloc of 2^60 bytes (the limit is 2^48).
    static func absurdSize() -> [UInt8] {
        header() + encode([.meta(meta)] + tables + [events[0], alloc(1_200, blockA, 1 << 60), free(3_100, blockA), end])
    }

    static func badPointerSize() -> [UInt8] {
        var m = meta
        m.pointerSize = 16
        return header() + encode([.meta(m)] + tables + events + [end])
    }

    /// A valid dump cut 5 bytes into the payload of an alloc record.
    static func truncated() -> [UInt8] {
        let whole = encode([.meta(meta)] + tables + events + [alloc(4_000, blockB, 48)])
        let last = frame(kind: RecordKind.alloc.rawValue, payload: MSDBinaryWriter.payload(of: alloc(4_400, 0x5555_5555_a330, 96)))
        return header() + whole + last.prefix(2 + 5)
    }

    /// An rss_sample (0x35, reserved) and a private 0x90 record between valid ones.
    static func unknownKind() -> [UInt8] {
        let rss = leb128(1_500) + leb128(3_457_024)
        let experiment: [UInt8] = Array("exp:arena-stats".utf8) + [0x01, 0x00, 0xFF]
        return header() + encode([.meta(meta)] + tables + Array(events[0...1]))
            + frame(kind: 0x35, payload: rss)
            + encode(Array(events[2...3]))
            + frame(kind: 0x90, payload: experiment)
            + encode([events[4], end])
    }

    // MARK: - Text defects

    static func lines(_ records: [Record]) -> [String] {
        ["{\"type\":\"header\",\"format\":\"msd\",\"version\":\(MSDFormat.version)}"] + records.map(JSONLinesWriter.line(for:))
    }

    /// Line 4 has a trailing comma.
    static func badJSON() -> String {
        var text = lines([.meta(meta)] + tables + events + [end])
        text[3] = "{\"type\":\"string\",\"id\":2,\"value\":\"src/reqparse.c\",}"
        return text.joined(separator: "\n") + "\n"
    }

    /// Line 12: an alloc without "size".
    static func missingField() -> String {
        var text = lines([.meta(meta)] + tables + events + [end])
        let index = 2 + tables.count + 1
        text[index] = "{\"type\":\"alloc\",\"ts\":1200,\"thread\":\(tid),\"addr\":\"0x\(String(blockA, radix: 16))\",\"allocator\":\"malloc\",\"stack\":2}"
        return text.joined(separator: "\n") + "\n"
    }

    /// A Valgrind log passed by mistake.
    static func notADump() -> String {
        """
        ==4242== Memcheck, a memory error detector
        ==4242== Copyright (C) 2002-2022, and GNU GPL'd, by Julian Seward et al.
        ==4242== Using Valgrind-3.22.0 and LibVEX; rerun with -h for copyright info
        ==4242== Command: ./reqparse request.txt
        ==4242==
        ==4242== HEAP SUMMARY:
        ==4242==     in use at exit: 0 bytes in 0 blocks
        ==4242==   total heap usage: 2 allocs, 2 frees, 264 bytes allocated
        ==4242==
        ==4242== All heap blocks were freed -- no leaks are possible

        """
    }
}
