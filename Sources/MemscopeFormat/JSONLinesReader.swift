import MemscopeModel

#if canImport(Glibc)
import Glibc
#endif

/// Reads the JSON Lines text form of `.msd` (docs/FORMAT.md): one record object per line.
///
/// Blank lines and lines starting with `#` are ignored. The first record line must be the
/// header `{"type":"header","format":"msd","version":1}`.
final class JSONLinesReader: RecordReader {
    let format = DumpFormat.jsonl
    static let maxLineLength = 16 << 20
    private let path: String
    private let input: BufferedInput
    private var ids = ReferenceChecker()
    private var ownDiagnostics = Diagnostics()
    private(set) var wasTruncated = false
    private var lineNumber = 0
    private var sawHeader = false
    private var finished = false

    init(path: String, input: BufferedInput) {
        self.path = path
        self.input = input
    }

    var bytesRead: UInt64 { input.source.rawBytesRead }

    var diagnostics: Diagnostics {
        var all = input.source.diagnostics
        all.merge(ownDiagnostics)
        return all
    }

    func read(into batch: inout [Record], maxCount: Int) throws -> Bool {
        batch.removeAll(keepingCapacity: true)
        if finished { return false }
        while batch.count < maxCount {
            guard let line = try nextLine() else {
                finished = true
                return !batch.isEmpty
            }
            do {
                if let record = try parse(line: line.bytes, complete: line.complete) { batch.append(record) }
            } catch var error as DumpError {
                error.path = path
                throw error
            }
        }
        return true
    }

    // MARK: - Lines

    private func nextLine() throws -> (bytes: [UInt8], complete: Bool)? {
        var searchFrom = 0
        while true {
            let available = input.available
            let start = input.pointer.assumingMemoryBound(to: UInt8.self)
            if available > searchFrom,
               let newline = memchr(start + searchFrom, 0x0A, available - searchFrom) {
                let length = UnsafeRawPointer(newline) - UnsafeRawPointer(start)
                let bytes = Array(UnsafeBufferPointer(start: start, count: length))
                input.start += length + 1
                lineNumber += 1
                return (bytes, true)
            }
            searchFrom = available
            guard available < Self.maxLineLength else {
                throw DumpError(path: path, location: .line(lineNumber + 1, column: 1),
                                problem: .lineTooLong(length: Self.maxLineLength))
            }
            if try !input.fill() {
                guard input.available > 0 else { return nil }
                let bytes = Array(UnsafeBufferPointer(start: input.pointer.assumingMemoryBound(to: UInt8.self),
                                                      count: input.available))
                input.start += input.available
                lineNumber += 1
                return (bytes, false)
            }
        }
    }

    // MARK: - Records

    private func parse(line: [UInt8], complete: Bool) throws -> Record? {
        let first = line.firstIndex { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
        guard let first else { return nil }
        if line[first] == UInt8(ascii: "#") { return nil }
        let members: [(String, JSONValue)]
        do {
            members = try line.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in
                var parser = FlatJSONParser(buffer)
                return try parser.parseObject()
            }
        } catch {
            if !complete {
                wasTruncated = true
                ownDiagnostics.warn(key: "truncated", "the dump is cut off inside its last line; everything before it is used",
                                    at: "\(path):\(lineNumber)",
                                    hint: "the producer probably died while writing")
                return nil
            }
            throw DumpError(path: path, location: .line(lineNumber, column: error.column),
                            problem: .json(expected: error.expected, found: error.found))
        }
        var fields = Fields(path: path, line: lineNumber, members: members)
        let type = try fields.string("type")
        if !sawHeader {
            guard type == "header" else {
                throw DumpError(path: path, location: .line(lineNumber, column: 1),
                                problem: .json(expected: "the header line {\"type\":\"header\",\"format\":\"msd\",\"version\":1}",
                                               found: "a \(type) record"))
            }
            sawHeader = true
            let format = try fields.string("format")
            guard format == "msd" else { throw fields.checks("header").bad("format", format, expected: "\"msd\"") }
            let version = try fields.integer("version")
            guard version == UInt64(MSDFormat.version) else {
                throw DumpError(path: path, location: .line(lineNumber, column: 1),
                                problem: .unsupportedVersion(found: UInt16(clamping: version)))
            }
            return nil
        }
        if type == "header" {
            throw DumpError(path: path, location: .line(lineNumber, column: 1),
                            problem: .json(expected: "a record", found: "a second header"))
        }
        if type == "raw" { return try raw(&fields) }
        guard let kind = RecordKind(name: type) else {
            try requireMeta(found: type)
            ownDiagnostics.warn(key: "unknown-type-\(type)",
                                "skipped a record of type '\(type)', which this version does not interpret",
                                at: "\(path):\(lineNumber)", hint: "a newer memscope may show it")
            return nil
        }
        if kind != .meta { try requireMeta(found: type) }
        return try record(kind, &fields)
    }

    private func requireMeta(found: String) throws {
        guard !ids.sawAnyRecord else { return }
        ids.sawAnyRecord = true
        if !ids.sawMeta {
            throw DumpError(path: path, location: .line(lineNumber, column: 1), problem: .metaNotFirst(foundKind: found))
        }
    }

    private func raw(_ fields: inout Fields) throws -> Record {
        let check = fields.checks("raw")
        let kind = try fields.integer("kind")
        guard kind <= 255, RecordKind(rawValue: UInt8(kind)) == nil else {
            throw check.bad("kind", "\(kind)", expected: "a kind byte (0…255) that version 1 does not define")
        }
        try requireMeta(found: "raw")
        let hex = try fields.string("payload")
        guard hex.utf8.count % 2 == 0 else { throw check.bad("payload", "\"\(hex)\"", expected: "an even number of hex digits") }
        var payload: [UInt8] = []
        payload.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8? = nil
        for c in hex.utf8 {
            guard let digit = hexDigit(c) else { throw check.bad("payload", "\"\(hex)\"", expected: "hex digits") }
            if let h = high { payload.append(h << 4 | digit); high = nil } else { high = digit }
        }
        ownDiagnostics.warn(key: "unknown-kind-\(kind)",
                            "skipped a record of kind \(RecordKind.describe(UInt8(kind))), which this version does not interpret",
                            at: "\(path):\(lineNumber)", hint: "a newer memscope may show it")
        return .unknown(kind: UInt8(kind), payload: payload)
    }

    private func record(_ kind: RecordKind, _ f: inout Fields) throws -> Record {
        let check = f.checks(kind.name)
        switch kind {
        case .meta:
            guard !ids.sawMeta, !ids.sawAnyRecord else {
                throw DumpError(path: path, location: .line(lineNumber, column: 1), problem: .duplicateMeta)
            }
            ids.sawMeta = true
            ids.sawAnyRecord = true
            let clock = try f.integer("clock_unit_ns", default: 1)
            guard clock >= 1 && clock <= 1_000_000_000 else {
                throw check.bad("clock_unit_ns", "\(clock)", expected: "1 to 1000000000 nanoseconds per tick")
            }
            let pointerSize = try f.integer("pointer_size", default: 8)
            guard pointerSize == 4 || pointerSize == 8 else { throw check.bad("pointer_size", "\(pointerSize)", expected: "4 or 8") }
            return .meta(Metadata(
                producer: try f.string("producer"),
                producerVersion: try f.string("producer_version", default: ""),
                pid: try check.fits32("pid", try f.integer("pid", default: 0)),
                startTimeUnixNanoseconds: try f.integer("start_time_unix_ns", default: 0),
                clockUnitNanoseconds: clock,
                pointerSize: UInt8(pointerSize),
                commandLine: try f.strings("argv"),
                parentPid: try f.optionalInteger("parent_pid").map { try check.fits32("parent_pid", $0) }))
        case .string:
            let id = try f.integer("id")
            try check.sequence(table: "string", id: id, expected: UInt64(ids.strings) + 1)
            ids.strings += 1
            return .string(id: UInt32(id), value: try f.string("value"))
        case .frame:
            let id = try f.integer("id")
            try check.sequence(table: "frame", id: id, expected: UInt64(ids.frames) + 1)
            let frame = Frame(
                id: UInt32(id),
                instructionPointer: try f.address("ip", default: 0),
                function: try check.reference("string", try f.integer("function", default: 0), defined: ids.strings),
                file: try check.reference("string", try f.integer("file", default: 0), defined: ids.strings),
                line: try check.fits32("line", try f.integer("line", default: 0)),
                module: try check.reference("string", try f.integer("module", default: 0), defined: ids.strings),
                column: try check.fits32("column", try f.integer("column", default: 0)),
                isInlined: try f.bool("inlined", default: false),
                moduleOffset: try f.optionalAddress("module_offset"),
                buildID: try check.reference("string", try f.integer("build_id", default: 0), defined: ids.strings))
            ids.frames += 1
            return .frame(frame)
        case .stack:
            let id = try f.integer("id")
            try check.sequence(table: "stack", id: id, expected: UInt64(ids.stacks) + 1)
            let parent = try check.reference("stack", try f.integer("parent", default: 0), defined: ids.stacks)
            let frame = try check.reference("frame", try f.integer("frame"), defined: ids.frames)
            guard frame != 0 else { throw check.bad("frame", "0", expected: "a frame id of 1 or more") }
            ids.stacks += 1
            return .stack(id: UInt32(id), parent: parent, frame: frame)
        case .alloc:
            let name = try f.string("allocator", default: "malloc")
            guard let allocator = AllocatorKind(name: name) else {
                throw check.bad("allocator", "\"\(name)\"",
                                expected: AllocatorKind.allCases.map(\.name).joined(separator: ", "))
            }
            return .alloc(Alloc(
                timestamp: try f.integer("ts"),
                thread: try check.fits32("thread", try f.integer("thread")),
                address: try f.address("addr"),
                size: try check.size(try f.integer("size")),
                kind: allocator,
                stack: try check.reference("stack", try f.integer("stack", default: 0), defined: ids.stacks)))
        case .free:
            return .free(Free(
                timestamp: try f.integer("ts"),
                thread: try check.fits32("thread", try f.integer("thread")),
                address: try f.address("addr"),
                stack: try check.reference("stack", try f.integer("stack", default: 0), defined: ids.stacks)))
        case .realloc:
            return .realloc(Realloc(
                timestamp: try f.integer("ts"),
                thread: try check.fits32("thread", try f.integer("thread")),
                oldAddress: try f.address("old_addr"),
                newAddress: try f.address("new_addr"),
                newSize: try check.size(try f.integer("size")),
                stack: try check.reference("stack", try f.integer("stack", default: 0), defined: ids.stacks)))
        case .threadStart:
            return .threadStart(timestamp: try f.integer("ts"),
                                thread: try check.fits32("thread", try f.integer("thread")),
                                parent: try check.fits32("parent", try f.integer("parent", default: 0)))
        case .threadName:
            return .threadName(timestamp: try f.integer("ts"),
                               thread: try check.fits32("thread", try f.integer("thread")),
                               name: try check.reference("string", try f.integer("name"), defined: ids.strings))
        case .threadExit:
            return .threadExit(timestamp: try f.integer("ts"),
                               thread: try check.fits32("thread", try f.integer("thread")))
        case .processEnd:
            let howName = try f.string("how")
            let how: ProcessEnd.How
            switch howName {
            case "exited": how = .exited
            case "signalled": how = .signalled
            case "unknown": how = .unknown
            default: throw check.bad("how", "\"\(howName)\"", expected: "\"exited\", \"signalled\" or \"unknown\"")
            }
            return .processEnd(ProcessEnd(timestamp: try f.integer("ts"), how: how,
                                          code: try check.fits32("code", try f.integer("code", default: 0))))
        case .rssSample:
            return .rssSample(timestamp: try f.integer("ts"), residentBytes: try f.integer("resident_bytes"))
        case .exec:
            return .exec(timestamp: try f.integer("ts"), commandLine: try f.strings("argv"))
        case .annotation:
            return .annotation(Annotation(
                timestamp: try f.integer("ts"), thread: try check.fits32("thread", try f.integer("thread")),
                address: try f.address("addr"),
                name: try check.reference("string", try f.integer("name", default: 0), defined: ids.strings),
                typeName: try check.reference("string", try f.integer("type_name", default: 0), defined: ids.strings)))
        case .scopeEnter:
            return .scopeEnter(timestamp: try f.integer("ts"), thread: try check.fits32("thread", try f.integer("thread")),
                               name: try check.reference("string", try f.integer("name"), defined: ids.strings))
        case .scopeExit:
            return .scopeExit(timestamp: try f.integer("ts"), thread: try check.fits32("thread", try f.integer("thread")))
        case .task:
            return .task(timestamp: try f.integer("ts"), thread: try check.fits32("thread", try f.integer("thread")),
                         task: try f.integer("task"))
        case .pointerReference:
            let sourceName = try f.string("source")
            guard let source = PointerReference.Source(name: sourceName) else {
                throw check.bad("source", "\"\(sourceName)\"", expected: "\"block\", \"module_data\", \"stack\" or \"other\"")
            }
            return .pointerReference(PointerReference(
                timestamp: try f.integer("ts"), source: source, from: try f.address("from", default: 0),
                to: try f.address("to"), interior: try f.integer("interior", default: 0) != 0))
        case .blockReferences:
            let offsets = try f.integers("offsets"), targets = try f.addresses("targets")
            guard offsets.count == targets.count else {
                throw check.bad("targets", "\(targets.count) targets", expected: "one per offset (\(offsets.count))")
            }
            return .blockReferences(BlockReferences(
                timestamp: try f.integer("ts"), thread: try check.fits32("thread", try f.integer("thread")),
                address: try f.address("addr"), offsets: offsets, targets: targets))
        case .memoryError:
            let kindName = try f.string("kind")
            guard let errorKind = MemoryError.Kind(name: kindName) else {
                throw check.bad("kind", "\"\(kindName)\"", expected: "\"overflow\" or \"write_after_free\"")
            }
            let sideName = try f.string("side")
            guard let side = MemoryError.Side(name: sideName) else {
                throw check.bad("side", "\"\(sideName)\"", expected: "\"inside\", \"after\" or \"before\"")
            }
            return .memoryError(MemoryError(
                timestamp: try f.integer("ts"), thread: try check.fits32("thread", try f.integer("thread")),
                kind: errorKind, address: try f.address("addr"), size: try check.size(try f.integer("size")),
                side: side, offset: try f.integer("offset", default: 0), bytes: try f.integer("bytes"),
                allocationStack: try check.reference("stack", try f.integer("alloc_stack", default: 0), defined: ids.stacks),
                freeStack: try check.reference("stack", try f.integer("free_stack", default: 0), defined: ids.stacks),
                foundStack: try check.reference("stack", try f.integer("found_stack", default: 0), defined: ids.stacks)))
        case .moduleMap:
            return .moduleMap(ModuleMapping(
                timestamp: try f.integer("ts"), start: try f.address("start"), end: try f.address("end"),
                loadBias: try f.address("load_bias", default: 0),
                path: try check.reference("string", try f.integer("path"), defined: ids.strings),
                buildID: try check.reference("string", try f.integer("build_id", default: 0), defined: ids.strings)))
        }
    }
}

/// Typed access to the members of one record line, with located errors.
struct Fields {
    let path: String
    let line: Int
    let members: [(String, JSONValue)]

    func checks(_ kind: String) -> Checks { Checks(location: .line(line, column: 1), kind: kind) }

    private func value(_ name: String) -> JSONValue? {
        members.first { $0.0 == name }?.1
    }

    private func missing(_ name: String) -> DumpError {
        let type = (value("type")).flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "record"
        return DumpError(path: path, location: .line(line, column: 1), problem: .missingField(kind: type, field: name))
    }

    private func wrong(_ name: String, _ value: JSONValue, expected: String) -> DumpError {
        DumpError(path: path, location: .line(line, column: 1),
                  problem: .json(expected: "\(expected) for '\(name)'", found: describe(value)))
    }

    func string(_ name: String, default fallback: String? = nil) throws -> String {
        guard let v = value(name) else {
            if let fallback { return fallback }
            throw missing(name)
        }
        guard case .string(let s) = v else { throw wrong(name, v, expected: "a string") }
        return s
    }

    func integer(_ name: String, default fallback: UInt64? = nil) throws -> UInt64 {
        guard let v = value(name) else {
            if let fallback { return fallback }
            throw missing(name)
        }
        guard case .integer(let n) = v else { throw wrong(name, v, expected: "a non-negative integer") }
        return n
    }

    /// An address: a "0x…" hex string or a non-negative integer.
    func address(_ name: String, default fallback: UInt64? = nil) throws -> UInt64 {
        guard let v = value(name) else {
            if let fallback { return fallback }
            throw missing(name)
        }
        switch v {
        case .integer(let n): return n
        case .string(let s):
            var digits = Substring(s)
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
            if let n = UInt64(digits, radix: 16), !digits.isEmpty { return n }
            throw wrong(name, v, expected: "an address such as \"0x7f00a0\"")
        default: throw wrong(name, v, expected: "an address such as \"0x7f00a0\"")
        }
    }

    /// An integer, or nil when the member is absent.
    func optionalInteger(_ name: String) throws -> UInt64? {
        value(name) == nil ? nil : try integer(name)
    }

    /// An address, or nil when the member is absent.
    func optionalAddress(_ name: String) throws -> UInt64? {
        value(name) == nil ? nil : try address(name)
    }

    func bool(_ name: String, default fallback: Bool) throws -> Bool {
        guard let v = value(name) else { return fallback }
        guard case .bool(let b) = v else { throw wrong(name, v, expected: "true or false") }
        return b
    }

    func integers(_ name: String) throws -> [UInt64] {
        guard let v = value(name) else { return [] }
        guard case .array(let items) = v else { throw wrong(name, v, expected: "an array of integers") }
        return try items.map { item in
            guard case .integer(let n) = item else { throw wrong(name, item, expected: "an array of integers") }
            return n
        }
    }

    /// An array of addresses, each a "0x…" hex string or a non-negative integer.
    func addresses(_ name: String) throws -> [UInt64] {
        guard let v = value(name) else { return [] }
        guard case .array(let items) = v else { throw wrong(name, v, expected: "an array of addresses") }
        return try items.map { item in
            switch item {
            case .integer(let n): return n
            case .string(let s):
                var digits = Substring(s)
                if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
                if let n = UInt64(digits, radix: 16), !digits.isEmpty { return n }
                fallthrough
            default: throw wrong(name, item, expected: "an array of addresses such as \"0x7f00a0\"")
            }
        }
    }

    func strings(_ name: String) throws -> [String] {
        guard let v = value(name) else { return [] }
        guard case .array(let items) = v else { throw wrong(name, v, expected: "an array of strings") }
        return try items.map { item in
            guard case .string(let s) = item else { throw wrong(name, item, expected: "an array of strings") }
            return s
        }
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "the string \"\(s.prefix(40))\""
        case .integer(let n): "the integer \(n)"
        case .negative(let n): "the negative number \(n)"
        case .fraction(let d): "the fraction \(d)"
        case .bool(let b): "\(b)"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
