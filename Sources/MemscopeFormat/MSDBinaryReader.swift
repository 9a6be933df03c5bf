import MemscopeModel

/// Reads the binary `.msd` form (docs/FORMAT.md) record by record.
final class MSDBinaryReader: RecordReader {
    let format = DumpFormat.msd
    private let path: String
    private let input: BufferedInput
    private var ids = ReferenceChecker()
    private var ownDiagnostics = Diagnostics()
    private(set) var wasTruncated = false
    private var headerChecked = false
    private var finished = false
    /// Whether runs of alloc, free and realloc records go through ``EventRecordFastPath``;
    /// tests turn it off to compare with the general decoder alone.
    var usesEventFastPath = true
    /// The batch that ``read(into:maxCount:)`` for an array of records reads into first.
    private var recordScratch: RecordBatch?

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

    func read(into batch: RecordBatch, maxCount: Int) throws -> Bool {
        batch.removeAll()
        if finished { return false }
        if !headerChecked {
            guard try readHeader() else { return finish() }
        }
        while batch.count < maxCount {
            if usesEventFastPath && ids.sawAnyRecord && input.available >= EventRecordFastPath.minimumWindow {
                batch.reserveEvents(batch.eventCount + maxCount - batch.count)
                let (bytes, events) = EventRecordFastPath.decode(
                    UnsafeRawBufferPointer(start: input.pointer, count: input.available), definedStacks: ids.stacks,
                    into: batch.events + batch.eventCount, maxCount: maxCount - batch.count)
                input.start += bytes
                batch.didAppendEvents(events)
                if batch.count == maxCount { break }
            }
            guard let record = try nextRecord() else {
                finished = true
                return !batch.isEmpty
            }
            batch.append(record)
        }
        return true
    }

    func read(into batch: inout [Record], maxCount: Int) throws -> Bool {
        let events = recordScratch ?? RecordBatch(capacity: maxCount)
        recordScratch = events
        let more = try read(into: events, maxCount: maxCount)
        batch = events.allRecords
        return more
    }

    private func finish() -> Bool {
        finished = true
        return false
    }

    // MARK: - Header

    private func readHeader() throws -> Bool {
        headerChecked = true
        let complete = try input.ensure(MSDFormat.headerSize)
        let count = min(input.available, MSDFormat.headerSize)
        let bytes = Array(UnsafeRawBufferPointer(start: input.pointer, count: count))
        if !complete {
            noteTruncation(at: input.offset, what: "the file header (\(count) of \(MSDFormat.headerSize) bytes)")
            return false
        }
        guard bytes.prefix(8).elementsEqual(MSDFormat.magic) else {
            let found = bytes.prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
            throw DumpError(path: path, location: .byte(0), problem: .notADump(found: found))
        }
        let version = UInt16(bytes[8]) | UInt16(bytes[9]) << 8
        guard version == MSDFormat.version else {
            throw DumpError(path: path, location: .byte(8), problem: .unsupportedVersion(found: version))
        }
        input.start += MSDFormat.headerSize
        return true
    }

    private func noteTruncation(at offset: UInt64, what: String) {
        wasTruncated = true
        ownDiagnostics.warn(key: "truncated", "the dump is cut off inside \(what); everything before it is used",
                            at: "\(path): byte \(offset)",
                            hint: "the traced program or the recorder probably died while writing")
    }

    // MARK: - Records

    /// The next record, or `nil` at the end of the input.
    private func nextRecord() throws -> Record? {
        let recordOffset = input.offset
        // Kind byte plus at most 10 length bytes.
        if input.available < 11 { _ = try input.ensure(11) }
        let available = input.available
        if available == 0 { return nil }
        var header = PayloadCursor(input.pointer + 1, count: available - 1)
        let kind = input.pointer.load(as: UInt8.self)
        let length: UInt64
        do {
            length = try header.varint("length")
        } catch .truncated {
            noteTruncation(at: recordOffset, what: "the header of a record of kind \(RecordKind.describe(kind))")
            return nil
        } catch {
            throw DumpError(path: path, location: .byte(recordOffset),
                            problem: .badVarint(kind: RecordKind.describe(kind), field: "length"))
        }
        guard length <= MSDFormat.maxPayloadLength else {
            throw DumpError(path: path, location: .byte(recordOffset),
                            problem: .recordTooLarge(kind: RecordKind.describe(kind), length: length))
        }
        let headerLength = available - 1 - header.remaining + 1
        let total = headerLength + Int(length)
        if total > input.available {
            guard try input.ensure(total) else {
                noteTruncation(at: recordOffset, what: "a record of kind \(RecordKind.describe(kind))")
                return nil
            }
        }
        let payload = input.pointer + headerLength
        input.start += total
        do {
            return try decode(kind: kind, payload: payload, count: Int(length), at: recordOffset)
        } catch var error as DumpError {
            error.path = path
            throw error
        } catch let error as FieldError {
            let kindName = RecordKind.describe(kind)
            switch error {
            case .truncated(let field):
                throw DumpError(path: path, location: .byte(recordOffset),
                                problem: .recordTooShort(kind: kindName, field: "\(field)"))
            case .badVarint(let field):
                throw DumpError(path: path, location: .byte(recordOffset),
                                problem: .badVarint(kind: kindName, field: "\(field)"))
            }
        }
    }

    private func decode(kind: UInt8, payload: UnsafeRawPointer, count: Int, at offset: UInt64) throws -> Record {
        var c = PayloadCursor(payload, count: count)
        // Fast path for the kinds that make up nearly all of a dump.
        if ids.sawAnyRecord {
            switch kind {
            case RecordKind.alloc.rawValue:
                return try decodeAlloc(&c, check: Checks(location: .byte(offset), kindByte: kind))
            case RecordKind.free.rawValue:
                return try decodeFree(&c, check: Checks(location: .byte(offset), kindByte: kind))
            case RecordKind.realloc.rawValue:
                return try decodeRealloc(&c, check: Checks(location: .byte(offset), kindByte: kind))
            default: break
            }
        }
        guard let known = RecordKind(rawValue: kind) else {
            if !ids.sawAnyRecord { try requireMeta(found: RecordKind.describe(kind), at: offset) }
            ownDiagnostics.warn(key: "unknown-kind-\(kind)",
                                "skipped a record of kind \(RecordKind.describe(kind)), which this version does not interpret",
                                at: "\(path): byte \(offset)",
                                hint: "a newer memscope may show it")
            return .unknown(kind: kind, payload: Array(UnsafeRawBufferPointer(start: payload, count: count)))
        }
        if !ids.sawAnyRecord && known != .meta { try requireMeta(found: known.name, at: offset) }
        let check = Checks(location: .byte(offset), kindByte: kind)
        switch known {
        case .meta:
            guard !ids.sawMeta else { throw DumpError(path: path, location: .byte(offset), problem: .duplicateMeta) }
            guard !ids.sawAnyRecord else {
                throw DumpError(path: path, location: .byte(offset), problem: .duplicateMeta)
            }
            ids.sawMeta = true
            ids.sawAnyRecord = true
            return .meta(try decodeMeta(&c, check: check))
        case .string:
            let id = try c.varint("id")
            try check.sequence(table: "string", id: id, expected: UInt64(ids.strings) + 1)
            ids.strings += 1
            return .string(id: UInt32(id), value: try c.string("value"))
        case .frame:
            let id = try c.varint("id")
            try check.sequence(table: "frame", id: id, expected: UInt64(ids.frames) + 1)
            let ip = try c.varint("ip")
            let function = try check.reference("string", try c.varint("function"), defined: ids.strings)
            let file = try check.reference("string", try c.varint("file"), defined: ids.strings)
            let line = try check.fits32("line", try c.varint("line"))
            let module = try check.reference("string", try c.varint("module"), defined: ids.strings)
            var frame = Frame(id: UInt32(id), instructionPointer: ip, function: function, file: file,
                              line: line, module: module)
            // Fields 7-10 came later: a frame that ends after `module` has their defaults.
            if c.remaining > 0 {
                frame.column = try check.fits32("column", try c.varint("column"))
                let flags = c.remaining > 0 ? try c.varint("flags") : 0
                frame.isInlined = flags & Frame.Flag.inlined != 0
                let offset = c.remaining > 0 ? try c.varint("module_offset") : 0
                if flags & Frame.Flag.hasModuleOffset != 0 { frame.moduleOffset = offset }
                if c.remaining > 0 {
                    frame.buildID = try check.reference("string", try c.varint("build_id"), defined: ids.strings)
                }
            }
            ids.frames += 1
            return .frame(frame)
        case .stack:
            let id = try c.varint("id")
            try check.sequence(table: "stack", id: id, expected: UInt64(ids.stacks) + 1)
            let parent = try check.reference("stack", try c.varint("parent"), defined: ids.stacks)
            let frame = try check.reference("frame", try c.varint("frame"), defined: ids.frames)
            guard frame != 0 else {
                throw DumpError(path: path, location: .byte(offset),
                                problem: .badValue(kind: "stack", field: "frame", value: "0",
                                                   expected: "a frame id of 1 or more"))
            }
            ids.stacks += 1
            return .stack(id: UInt32(id), parent: parent, frame: frame)
        case .alloc:
            return try decodeAlloc(&c, check: check)
        case .free:
            return try decodeFree(&c, check: check)
        case .realloc:
            return try decodeRealloc(&c, check: check)
        case .threadStart:
            let ts = try c.varint("timestamp")
            let thread = try check.fits32("thread", try c.varint("thread"))
            let parent = try check.fits32("parent", try c.varint("parent"))
            return .threadStart(timestamp: ts, thread: thread, parent: parent)
        case .threadName:
            let ts = try c.varint("timestamp")
            let thread = try check.fits32("thread", try c.varint("thread"))
            let name = try check.reference("string", try c.varint("name"), defined: ids.strings)
            return .threadName(timestamp: ts, thread: thread, name: name)
        case .threadExit:
            let ts = try c.varint("timestamp")
            let thread = try check.fits32("thread", try c.varint("thread"))
            return .threadExit(timestamp: ts, thread: thread)
        case .processEnd:
            let ts = try c.varint("timestamp")
            let howValue = try c.varint("how")
            guard howValue <= 2, let how = ProcessEnd.How(rawValue: UInt8(howValue)) else {
                throw DumpError(path: path, location: .byte(offset),
                                problem: .badValue(kind: "process_end", field: "how", value: "\(howValue)",
                                                   expected: "0 (exited), 1 (signalled) or 2 (unknown)"))
            }
            let code = try check.fits32("code", try c.varint("code"))
            return .processEnd(ProcessEnd(timestamp: ts, how: how, code: code))
        case .rssSample:
            return .rssSample(timestamp: try c.varint("timestamp"), residentBytes: try c.varint("resident_bytes"))
        case .exec:
            let ts = try c.varint("timestamp")
            return .exec(timestamp: ts, commandLine: try decodeArgv(&c, check: check, kind: "exec"))
        case .annotation:
            return .annotation(Annotation(
                timestamp: try c.varint("timestamp"), thread: try check.fits32("thread", try c.varint("thread")),
                address: try c.varint("address"),
                name: try check.reference("string", try c.varint("name"), defined: ids.strings),
                typeName: try check.reference("string", try c.varint("type"), defined: ids.strings)))
        case .scopeEnter:
            return .scopeEnter(timestamp: try c.varint("timestamp"), thread: try check.fits32("thread", try c.varint("thread")),
                               name: try check.reference("string", try c.varint("name"), defined: ids.strings))
        case .scopeExit:
            return .scopeExit(timestamp: try c.varint("timestamp"), thread: try check.fits32("thread", try c.varint("thread")))
        case .task:
            return .task(timestamp: try c.varint("timestamp"), thread: try check.fits32("thread", try c.varint("thread")),
                         task: try c.varint("task"))
        case .pointerReference:
            let ts = try c.varint("timestamp")
            let sourceValue = try c.varint("source")
            guard sourceValue <= 3, let source = PointerReference.Source(rawValue: UInt8(sourceValue)) else {
                throw DumpError(path: path, location: .byte(offset),
                                problem: .badValue(kind: "pointer_reference", field: "source", value: "\(sourceValue)",
                                                   expected: "0 (block), 1 (module data), 2 (stack) or 3 (other)"))
            }
            return .pointerReference(PointerReference(timestamp: ts, source: source, from: try c.varint("from"),
                                                      to: try c.varint("to"), interior: try c.varint("interior") != 0))
        case .memoryError:
            return try decodeMemoryError(&c, check: check)
        case .blockReferences:
            let ts = try c.varint("timestamp")
            let thread = try check.fits32("thread", try c.varint("thread"))
            let address = try c.varint("address")
            let count = try c.varint("count")
            guard count <= UInt64(c.remaining) / 2 else {
                throw DumpError(path: path, location: .byte(offset),
                                problem: .absurdValue(kind: "block_references", field: "count", value: count,
                                                      limit: UInt64(c.remaining) / 2))
            }
            var offsets: [UInt64] = [], targets: [UInt64] = []
            offsets.reserveCapacity(Int(count))
            targets.reserveCapacity(Int(count))
            for _ in 0..<count {
                offsets.append(try c.varint("offset"))
                targets.append(try c.varint("target"))
            }
            return .blockReferences(BlockReferences(timestamp: ts, thread: thread, address: address,
                                                    offsets: offsets, targets: targets))
        case .moduleMap:
            return .moduleMap(ModuleMapping(
                timestamp: try c.varint("timestamp"), start: try c.varint("start"), end: try c.varint("end"),
                loadBias: try c.varint("load_bias"),
                path: try check.reference("string", try c.varint("path"), defined: ids.strings),
                buildID: try check.reference("string", try c.varint("build_id"), defined: ids.strings)))
        }
    }

    @inline(__always)
    private func decodeAlloc(_ c: inout PayloadCursor, check: Checks) throws -> Record {
        let ts = try c.varint("timestamp")
        let thread = try check.fits32("thread", try c.varint("thread"))
        let address = try c.varint("address")
        let size = try check.size(try c.varint("size"))
        let kindValue = try c.varint("allocator")
        let stack = try check.reference("stack", try c.varint("stack"), defined: ids.stacks)
        return .alloc(Alloc(timestamp: ts, thread: thread, address: address, size: size,
                            kind: allocatorKind(kindValue, at: check.location), stack: stack))
    }

    @inline(__always)
    private func decodeFree(_ c: inout PayloadCursor, check: Checks) throws -> Record {
        let ts = try c.varint("timestamp")
        let thread = try check.fits32("thread", try c.varint("thread"))
        let address = try c.varint("address")
        let stack = try check.reference("stack", try c.varint("stack"), defined: ids.stacks)
        return .free(Free(timestamp: ts, thread: thread, address: address, stack: stack))
    }

    @inline(__always)
    private func decodeRealloc(_ c: inout PayloadCursor, check: Checks) throws -> Record {
        let ts = try c.varint("timestamp")
        let thread = try check.fits32("thread", try c.varint("thread"))
        let old = try c.varint("old_address")
        let new = try c.varint("new_address")
        let size = try check.size(try c.varint("new_size"))
        let stack = try check.reference("stack", try c.varint("stack"), defined: ids.stacks)
        return .realloc(Realloc(timestamp: ts, thread: thread, oldAddress: old, newAddress: new,
                                newSize: size, stack: stack))
    }

    private func decodeMemoryError(_ c: inout PayloadCursor, check: Checks) throws -> Record {
        let ts = try c.varint("timestamp")
        let thread = try check.fits32("thread", try c.varint("thread"))
        let kindValue = try c.varint("kind")
        guard kindValue <= 1, let kind = MemoryError.Kind(rawValue: UInt8(kindValue)) else {
            throw DumpError(path: path, location: check.location,
                            problem: .badValue(kind: "memory_error", field: "kind", value: "\(kindValue)",
                                               expected: "0 (overflow) or 1 (write after free)"))
        }
        let address = try c.varint("address")
        let size = try check.size(try c.varint("size"))
        let sideValue = try c.varint("side")
        guard sideValue <= 2, let side = MemoryError.Side(rawValue: UInt8(sideValue)) else {
            throw DumpError(path: path, location: check.location,
                            problem: .badValue(kind: "memory_error", field: "side", value: "\(sideValue)",
                                               expected: "0 (inside), 1 (after) or 2 (before)"))
        }
        let offset = try c.varint("offset")
        let bytes = try c.varint("bytes")
        let allocationStack = try check.reference("stack", try c.varint("alloc_stack"), defined: ids.stacks)
        let freeStack = try check.reference("stack", try c.varint("free_stack"), defined: ids.stacks)
        let foundStack = try check.reference("stack", try c.varint("found_stack"), defined: ids.stacks)
        return .memoryError(MemoryError(timestamp: ts, thread: thread, kind: kind, address: address, size: size,
                                        side: side, offset: offset, bytes: bytes, allocationStack: allocationStack,
                                        freeStack: freeStack, foundStack: foundStack))
    }

    private func requireMeta(found: String, at offset: UInt64) throws {
        if !ids.sawAnyRecord {
            ids.sawAnyRecord = true
            if !ids.sawMeta {
                throw DumpError(path: path, location: .byte(offset), problem: .metaNotFirst(foundKind: found))
            }
        }
    }

    /// A command line (`meta`, `exec`): argc, then that many strings; an argc larger than the
    /// bytes left is absurd.
    private func decodeArgv(_ c: inout PayloadCursor, check: Checks, kind: String) throws -> [String] {
        let argc = try c.varint("argc")
        guard argc <= UInt64(c.remaining) else {
            throw DumpError(path: path, location: check.location,
                            problem: .absurdValue(kind: kind, field: "argc", value: argc, limit: UInt64(c.remaining)))
        }
        var argv: [String] = []
        for _ in 0..<argc { argv.append(try c.string("argv")) }
        return argv
    }

    private func decodeMeta(_ c: inout PayloadCursor, check: Checks) throws -> Metadata {
        let producer = try c.string("producer")
        let producerVersion = try c.string("producer_version")
        let pid = try check.fits32("pid", try c.varint("pid"))
        let start = try c.varint("start_time_unix_ns")
        let clock = try c.varint("clock_unit_ns")
        guard clock >= 1 && clock <= 1_000_000_000 else {
            throw DumpError(path: path, location: check.location,
                            problem: .badValue(kind: "meta", field: "clock_unit_ns", value: "\(clock)",
                                               expected: "1 to 1000000000 nanoseconds per tick"))
        }
        let pointerSize = try c.varint("pointer_size")
        guard pointerSize == 4 || pointerSize == 8 else {
            throw DumpError(path: path, location: check.location,
                            problem: .badValue(kind: "meta", field: "pointer_size", value: "\(pointerSize)",
                                               expected: "4 or 8"))
        }
        let argv = try decodeArgv(&c, check: check, kind: "meta")
        // Field 9, added later: older dumps end after argv.
        let parentPid = c.remaining > 0 ? try check.fits32("parent_pid", try c.varint("parent_pid")) : nil
        return Metadata(producer: producer, producerVersion: producerVersion, pid: pid,
                        startTimeUnixNanoseconds: start, clockUnitNanoseconds: clock,
                        pointerSize: UInt8(pointerSize), commandLine: argv, parentPid: parentPid)
    }

    private func allocatorKind(_ value: UInt64, at location: DumpError.Location) -> AllocatorKind {
        if value <= UInt64(UInt8.max), let kind = AllocatorKind(rawValue: UInt8(value)) { return kind }
        ownDiagnostics.warn(key: "unknown-allocator-\(value)",
                            "alloc record with unknown allocator kind \(value), counted as 'other'",
                            at: "\(path): \(location)")
        return .other
    }
}

