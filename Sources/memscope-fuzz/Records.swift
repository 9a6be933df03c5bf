import MemscopeFormat
import MemscopeModel

/// Records a reader could give (ids in sequence, references only to what is defined,
/// sizes within the format's bound, a clock unit the readers accept), every other field
/// drawn from the fuzz input: times, sizes, addresses and threads up to 2^64, strings of
/// any bytes. At most `limit` records.
struct RecordMaker {
    private(set) var records: [Record] = []
    private(set) var strings: UInt32 = 0
    private(set) var frames: UInt32 = 0
    private(set) var stacks: UInt32 = 0
    /// Applied to every string from the input (the report target's neutral twin renames them).
    private var rename: (String) -> String

    /// Starts with a meta record whose names come from `input`.
    init(_ input: inout FuzzBytes, rename: @escaping (String) -> String = { $0 }) {
        self.rename = rename
        records.append(.meta(Metadata(producer: rename(input.string()), producerVersion: rename(input.string()),
                                      pid: UInt32(truncatingIfNeeded: input.number()),
                                      startTimeUnixNanoseconds: input.number(),
                                      clockUnitNanoseconds: 1 + input.below(1_000_000_000),
                                      pointerSize: input.byte() & 1 == 0 ? 8 : 4,
                                      commandLine: (0..<Int(input.byte() % 4)).map { _ in rename(input.string()) })))
    }

    mutating func string(_ value: String) -> UInt32 {
        strings += 1
        records.append(.string(id: strings, value: rename(value)))
        return strings
    }

    mutating func frame(function: UInt32, file: UInt32, line: UInt32, module: UInt32, ip: UInt64 = 0) -> UInt32 {
        frames += 1
        records.append(.frame(Frame(id: frames, instructionPointer: ip, function: function, file: file, line: line, module: module)))
        return frames
    }

    mutating func stack(parent: UInt32, frame: UInt32) -> UInt32 {
        stacks += 1
        records.append(.stack(id: stacks, parent: parent, frame: frame))
        return stacks
    }

    mutating func append(_ record: Record) { records.append(record) }

    /// One record chosen by the input.
    mutating func next(_ input: inout FuzzBytes) {
        func thread() -> UInt32 { UInt32(truncatingIfNeeded: input.byte() < 200 ? input.below(8) : input.number()) }
        func size() -> UInt64 { input.below(MSDFormat.maxBlockSize + 1) }
        let choice = input.byte()
        switch choice % 16 {
        case 0:
            _ = string(input.string())
        case 1:
            _ = frame(function: UInt32(input.below(UInt64(strings) + 1)), file: UInt32(input.below(UInt64(strings) + 1)),
                      line: UInt32(truncatingIfNeeded: input.number()), module: UInt32(input.below(UInt64(strings) + 1)),
                      ip: input.number())
        case 2:
            _ = stack(parent: UInt32(input.below(UInt64(stacks) + 1)), frame: UInt32(input.below(UInt64(frames) + 1)))
        case 3, 4, 5:
            let kinds = AllocatorKind.allCases
            records.append(.alloc(Alloc(timestamp: input.number(), thread: thread(), address: input.number(), size: size(),
                                        kind: kinds[Int(input.byte()) % kinds.count], stack: UInt32(input.below(UInt64(stacks) + 1)))))
        case 6, 7:
            records.append(.free(Free(timestamp: input.number(), thread: thread(), address: input.number(),
                                      stack: UInt32(input.below(UInt64(stacks) + 1)))))
        case 8:
            records.append(.realloc(Realloc(timestamp: input.number(), thread: thread(), oldAddress: input.number(),
                                            newAddress: input.number(), newSize: size(), stack: UInt32(input.below(UInt64(stacks) + 1)))))
        case 9:
            records.append(.threadStart(timestamp: input.number(), thread: thread(), parent: thread()))
        case 10:
            records.append(.threadName(timestamp: input.number(), thread: thread(), name: UInt32(input.below(UInt64(strings) + 1))))
        case 11:
            records.append(.threadExit(timestamp: input.number(), thread: thread()))
        case 12:
            records.append(.processEnd(ProcessEnd(timestamp: input.number(), how: ProcessEnd.How(rawValue: input.byte() % 3)!,
                                                  code: UInt32(truncatingIfNeeded: input.number()))))
        case 13:
            if choice & 0x10 == 0 {
                records.append(.rssSample(timestamp: input.number(), residentBytes: input.number()))
            } else {
                records.append(.exec(timestamp: input.number(), commandLine: (0..<Int(input.byte() % 4)).map { _ in rename(input.string()) }))
            }
        case 14:
            if choice & 0x10 == 0 {
                records.append(.scopeEnter(timestamp: input.number(), thread: thread(), name: UInt32(input.below(UInt64(strings) + 1))))
            } else {
                records.append(.scopeExit(timestamp: input.number(), thread: thread()))
            }
        default:
            records.append(.task(timestamp: input.number(), thread: thread(), task: input.number()))
        }
    }
}
