@testable import MemscopeFormat
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The fast path for alloc, free and realloc records (``EventRecordFastPath``) must change
/// nothing that the binary reader yields or reports. Each dump here is read with it and
/// without it (the general decoder alone), and the two outcomes are compared: records,
/// diagnostics, truncation, and the error with its byte offset.
@Suite struct EventFastPathTests {
    @Test func decodesARunOfEventsUpToTheFirstOtherRecord() {
        var generator = EventDumpGenerator(seed: 1)
        var events: [Record] = []
        var bytes: [UInt8] = []
        for i in 0..<200 {
            let record: Record = switch i % 3 {
            case 0: .alloc(Alloc(timestamp: UInt64(i) << 20, thread: 7, address: 0x7f00_0000_0000 + UInt64(i),
                                 size: UInt64(i), kind: .calloc, stack: 0))
            case 1: .free(Free(timestamp: UInt64(i) << 20, thread: 7, address: 0x7f00_0000_0000, stack: 0))
            default: .realloc(Realloc(timestamp: .max, thread: .max, oldAddress: 1, newAddress: .max,
                                      newSize: MSDFormat.maxBlockSize, stack: 0))
            }
            events.append(record)
            bytes += encodeRecord(record)
        }
        let eventBytes = bytes.count
        bytes += encodeRecord(.threadExit(timestamp: 1, thread: 7)) + generator.noise(count: 100)
        let batch = RecordBatch(capacity: 1000)
        let taken = bytes.withUnsafeBytes {
            EventRecordFastPath.decode($0, definedStacks: 0, into: batch.events, maxCount: 1000)
        }
        #expect(taken.bytes == eventBytes)
        #expect(taken.events == events.count)
        batch.didAppendEvents(taken.events)
        #expect(batch.allRecords == events)

        batch.removeAll()
        let firstTen = bytes.withUnsafeBytes {
            EventRecordFastPath.decode($0, definedStacks: 0, into: batch.events, maxCount: 10)
        }
        batch.didAppendEvents(firstTen.events)
        #expect(batch.allRecords == Array(events.prefix(10)))
        #expect(firstTen.bytes == events.prefix(10).map { encodeRecord($0).count }.reduce(0, +))
    }

    @Test func sameOutcomeOnGeneratedDumps() {
        for seed in 1...40 {
            var generator = EventDumpGenerator(seed: UInt64(seed))
            let bytes = generator.dump(events: 400)
            expectSameOutcome(bytes, capacity: [256, 4096, 1 << 20][seed % 3], batchSize: [1, 7, 64, 4096][seed % 4],
                              "seed \(seed)")
        }
    }

    @Test func sameOutcomeOnCorruptedDumps() {
        var generator = EventDumpGenerator(seed: 99)
        let original = generator.dump(events: 300)
        let interesting: [UInt8] = [0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0xFF, 0x10, 0x11, 0x12]
        for trial in 0..<2500 {
            var bytes = original
            for _ in 0...(trial % 3) {
                let position = Int.random(in: MSDFormat.headerSize..<bytes.count, using: &generator.random)
                switch Int.random(in: 0..<4, using: &generator.random) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator.random)
                case 1: bytes[position] = interesting.randomElement(using: &generator.random)!
                case 2: bytes.insert(interesting.randomElement(using: &generator.random)!, at: position)
                default: bytes.remove(at: position)
                }
            }
            expectSameOutcome(bytes, capacity: [256, 4096, 1 << 20][trial % 3], batchSize: [1, 50, 4096][trial % 3],
                              "trial \(trial)")
        }
    }

    @Test func sameOutcomeOnCutDumps() {
        var generator = EventDumpGenerator(seed: 7)
        let bytes = generator.dump(events: 60)
        for cut in MSDFormat.headerSize...bytes.count {
            expectSameOutcome(Array(bytes.prefix(cut)), capacity: 1 << 20, batchSize: 4096, "cut at \(cut)")
        }
    }

    /// Values at the edges of every check, in encodings of every length, each after and
    /// before enough valid records that the fast path reaches it.
    @Test func sameOutcomeAtTheEdgesOfEveryCheck() {
        for index in 0..<edgeCases(stacks: 0).count {
            var generator = EventDumpGenerator(seed: UInt64(index))
            let before = generator.dump(events: 50)
            let edge = edgeCases(stacks: UInt64(generator.definedStacks))[index]
            let bytes = before + edge + generator.events(count: 50)
            for batchSize in [1, 4096] {
                expectSameOutcome(bytes, capacity: 1 << 20, batchSize: batchSize, "edge \(index)")
            }
        }
    }

    /// Records at the edge of each check, when `stacks` stacks are defined.
    private func edgeCases(stacks: UInt64) -> [[UInt8]] {
        let tenBytes = { (last: UInt8) in [UInt8](repeating: 0xFF, count: 9) + [last] }
        let stack = leb(stacks, bytes: 3)
        let nextStack = leb(stacks + 1, bytes: 3)
        return [
            [0x10] + leb(5) + leb(1) + leb(2) + leb(3) + leb(4) + leb(0),                  // alloc cut short
            [0x10] + leb(8) + leb(1) + leb(2) + leb(3) + leb(4) + leb(0) + nextStack,      // undefined stack
            [0x10] + leb(8) + leb(1) + leb(2) + leb(3) + leb(4) + leb(0) + stack,          // last defined stack
            [0x10] + leb(6) + leb(1) + leb(2) + leb(3) + leb(4) + leb(12) + leb(0),        // unknown allocator
            [0x10] + leb(7) + leb(1) + leb(2) + leb(3) + leb(4) + leb(256) + leb(0),       // allocator above 255
            [0x10] + leb(6) + leb(1) + leb(2) + leb(3) + leb(4) + leb(11) + leb(0),        // allocator 'other'
            [0x10] + leb(12) + leb(1) + leb(2) + leb(3) + leb(1 << 48) + leb(0) + leb(0),  // size at the limit
            [0x10] + leb(12) + leb(1) + leb(2) + leb(3) + leb(1 << 48 + 1) + leb(0) + leb(0),
            [0x11] + leb(8) + leb(1) + leb(0xFFFF_FFFF) + leb(3) + leb(0),                 // thread at the limit
            [0x11] + leb(8) + leb(1) + leb(0x1_0000_0000) + leb(3) + leb(0),
            [0x11] + leb(6) + leb(1) + leb(1) + leb(3) + nextStack,                        // free, undefined stack
            [0x11] + leb(13) + tenBytes(0x01) + leb(1) + leb(3) + leb(0),                  // 2^64 − 1
            [0x11] + leb(13) + tenBytes(0x00) + leb(1) + leb(3) + leb(0),                  // padded to 10 bytes
            [0x11] + leb(13) + tenBytes(0x02) + leb(1) + leb(3) + leb(0),                  // 2^64 and more
            [0x11] + leb(14) + tenBytes(0x81) + [0x00] + leb(1) + leb(3) + leb(0),         // 11 bytes
            [0x11] + leb(12) + [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00] + leb(1) + leb(3) + leb(0),
            [0x11] + leb(4) + leb(1) + leb(1) + leb(3) + [0x80],                          // last field cut inside
            [0x11] + leb(40) + leb(1) + leb(1) + leb(3) + leb(0) + [UInt8](repeating: 0xEE, count: 36),
            [0x12] + leb(6) + leb(1) + leb(1) + leb(0) + leb(0) + leb(0) + leb(0),         // realloc
            [0x12] + leb(8) + leb(1) + leb(1) + leb(0) + leb(0) + leb(0) + nextStack,
            [0x12] + leb(12) + leb(1) + leb(1) + leb(0) + leb(0) + leb(1 << 48 + 1) + leb(0),
            [0x12] + [0x86, 0x80, 0x00] + leb(1) + leb(1) + leb(0) + leb(0) + leb(0) + leb(0), // padded length
            [0x12] + tenBytes(0x02) + leb(1),                                              // bad length
            [0x12] + leb(16 << 20 + 1) + leb(1),                                          // length above the limit
            [0x12] + leb(16 << 20) + leb(1),                                              // length beyond the file
            [0x13] + leb(2) + leb(1) + leb(1),                                            // unassigned kind
        ]
    }
}

// MARK: - Reading both ways

/// What a reader yields and reports for a whole dump.
private struct Outcome: Equatable {
    var records: [Record] = []
    var diagnostics: [String] = []
    var truncated = false
    var error: String?
}

private func read(_ bytes: [UInt8], fastPath: Bool, capacity: Int, batchSize: Int) -> Outcome {
    let reader = MSDBinaryReader(path: "t.msd", input: BufferedInput(source: MemoryByteSource(bytes), capacity: capacity))
    reader.usesEventFastPath = fastPath
    var outcome = Outcome()
    var batch: [Record] = []
    do {
        while try reader.read(into: &batch, maxCount: batchSize) {
            #expect(batch.count <= batchSize)
            outcome.records += batch
        }
    } catch {
        outcome.error = "\(error)"
    }
    outcome.diagnostics = reader.diagnostics.lines
    outcome.truncated = reader.wasTruncated
    return outcome
}

private func expectSameOutcome(_ bytes: [UInt8], capacity: Int, batchSize: Int, _ what: String) {
    let general = read(bytes, fastPath: false, capacity: capacity, batchSize: batchSize)
    let fast = read(bytes, fastPath: true, capacity: capacity, batchSize: batchSize)
    #expect(fast.error == general.error, "\(what)")
    #expect(fast.diagnostics == general.diagnostics, "\(what)")
    #expect(fast.truncated == general.truncated, "\(what)")
    #expect(fast.records == general.records, "\(what): \(fast.records.count) records, expected \(general.records.count)")
}

// MARK: - Generated dumps

/// LEB128 of `value`, padded with redundant groups to `bytes` bytes (which the format allows).
private func leb(_ value: UInt64, bytes: Int = 1) -> [UInt8] {
    var out: [UInt8] = []
    var rest = value
    repeat {
        out.append(UInt8(rest & 0x7F) | 0x80)
        rest >>= 7
    } while rest != 0
    while out.count < bytes { out.append(0x80) }
    out[out.count - 1] &= 0x7F
    return out
}

/// Deterministic dumps of alloc, free and realloc records whose fields take every encoding
/// length, with table, thread and unknown records in between.
private struct EventDumpGenerator {
    var random: SeededRandom
    private(set) var definedStacks: UInt32 = 0

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// Header, meta, one string and one frame, then `events` records.
    mutating func dump(events count: Int) -> [UInt8] {
        let meta = Metadata(producer: "gen", producerVersion: "1", pid: 1, commandLine: ["./gen"])
        var bytes = MSDFormat.magic + [1, 0, 0, 0]
        bytes += encodeRecord(.meta(meta)) + encodeRecord(.string(id: 1, value: "f"))
        bytes += encodeRecord(.frame(Frame(id: 1, instructionPointer: 0x400000, function: 1, file: 0, line: 0, module: 0)))
        definedStacks = 0
        return bytes + events(count: count)
    }

    mutating func events(count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<count { bytes += event() }
        return bytes
    }

    mutating func noise(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    /// A value of a random bit length up to `bits`.
    private mutating func value(bits maximum: Int) -> UInt64 {
        let bits = Int.random(in: 0...maximum, using: &random)
        return bits == 0 ? 0 : UInt64.random(in: 0...UInt64.max, using: &random) >> (64 - bits)
    }

    /// Mostly the shortest encoding, sometimes a padded one.
    private mutating func field(_ value: UInt64) -> [UInt8] {
        Int.random(in: 0..<10, using: &random) == 0 ? leb(value, bytes: Int.random(in: 1...10, using: &random)) : leb(value)
    }

    private mutating func stack() -> UInt64 { UInt64.random(in: 0...UInt64(definedStacks), using: &random) }

    private mutating func event() -> [UInt8] {
        let kind: UInt8
        var payload: [UInt8] = []
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<45:
            kind = RecordKind.alloc.rawValue
            let allocator = Int.random(in: 0..<50, using: &random) == 0 ? value(bits: 9) : UInt64.random(in: 0...11, using: &random)
            for v in [value(bits: 64), value(bits: 32), value(bits: 64), value(bits: 48), allocator, stack()] {
                payload += field(v)
            }
        case 45..<85:
            kind = RecordKind.free.rawValue
            for v in [value(bits: 64), value(bits: 32), value(bits: 64), stack()] { payload += field(v) }
        case 85..<93:
            kind = RecordKind.realloc.rawValue
            for v in [value(bits: 64), value(bits: 32), value(bits: 64), value(bits: 64), value(bits: 48), stack()] {
                payload += field(v)
            }
        case 93..<97:
            definedStacks += 1
            return encodeRecord(.stack(id: definedStacks, parent: UInt32(stack() % UInt64(definedStacks)), frame: 1))
        case 97..<99:
            return encodeRecord(.threadStart(timestamp: value(bits: 40), thread: UInt32(value(bits: 32)), parent: 0))
        default:
            return encodeRecord(.unknown(kind: 0x35, payload: noise(count: Int.random(in: 0...12, using: &random))))
        }
        if Int.random(in: 0..<20, using: &random) == 0 {
            payload += noise(count: Int.random(in: 1...30, using: &random))  // fields of a later revision
        }
        return [kind] + field(UInt64(payload.count)) + payload
    }
}
