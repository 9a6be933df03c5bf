import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// Turns an interpreted heaptrack data file (format 1–3) into memscope records, streaming.
///
/// heaptrack's `+ k` / `- k` name an allocation info (size, trace), not an address. Each
/// allocation gets a synthetic address, and each free releases the latest live
/// allocation of the same info (LIFO per class). heaptrack's temporary rule (a free of
/// the info of the immediately preceding `+`) then equals memscope's address rule, and
/// allocations, peak and leaked are exact. Times come from `c` lines (ms).
final class HeaptrackReader: RecordBatchSource {
    let path: String
    private let file: DecodedFile
    private(set) var diagnostics = Diagnostics()
    let wasTruncated = false
    private(set) var fileVersion: UInt64 = 0
    private(set) var heaptrackVersion: UInt64 = 0
    private(set) var attached = false
    private(set) var inlinedFrames = 0
    /// The `leak:` patterns embedded in the file (`S` lines).
    private(set) var embeddedSuppressions: [String] = []
    private var commandLine: [String] = []
    /// The system's page size from the `I` line (0 until read): `R` lines count pages.
    private var pageSize: UInt64 = 0
    /// `R` lines read (resident set size samples), and those skipped for want of a page size.
    private(set) var rssSamples = 0
    private var pending: [Record] = []
    private var metaWritten = false
    private var finished = false

    private var stringCount: UInt32 = 0
    private var frameCount: UInt32 = 0
    /// Per ip index (1-based; 0 = none): the memscope frames, innermost first.
    private var ipFrames: [[UInt32]] = [[]]
    private var stackCount: UInt32 = 0
    /// Per trace index (0 = root): the memscope stack of its innermost frame.
    private var traceStacks: [UInt32] = [0]
    /// Allocation infos, live blocks, synthetic addresses and time.
    private var events = HeaptrackEvents()
    /// A `+` or `-` line read ahead of its replay (see ``HeaptrackEvents/prefetch(_:)``).
    private struct AheadEvent {
        var isAllocation: Bool
        var info: Int
        var line: Int
    }
    private var ahead: [AheadEvent] = []
    /// How many lines are read ahead: enough for the loads to overlap, few enough that
    /// the early ones are still cached when replayed.
    private static let lookahead = 16
    /// See ``HeaptrackEvents/infoZeroQuirkFrees``.
    private(set) var infoZeroQuirkFrees: UInt64 = 0
    private(set) var infoZeroStack: UInt32 = 0

    init(path: String, file: DecodedFile) {
        self.path = path
        self.file = file
    }

    /// Bytes of the (compressed) file read so far.
    var bytesRead: UInt64 { file.rawBytesRead }

    func read(into batch: RecordBatch, maxCount: Int) throws -> Bool {
        batch.removeAll()
        while batch.count + ahead.count < maxCount {
            if !pending.isEmpty {
                batch.append(contentsOf: pending)
                pending.removeAll(keepingCapacity: true)
                continue
            }
            guard !finished, let line = try file.nextLineBytes() else {
                replayAhead(into: batch)
                if !finished {
                    finished = true
                    releaseTables()
                    diagnostics.merge(file.diagnostics)
                    if !metaWritten { try writeMeta() }
                    batch.append(contentsOf: pending)
                    pending.removeAll()
                }
                break
            }
            if metaWritten, let event = try event(line) {
                events.prefetch(event.info)
                ahead.append(event)
                if ahead.count == Self.lookahead { replayAhead(into: batch) }
            } else {
                replayAhead(into: batch)
                try parse(line)
            }
        }
        replayAhead(into: batch)
        return !batch.isEmpty
    }

    /// Replays the `+`/`-` lines read ahead, in order.
    private func replayAhead(into batch: RecordBatch) {
        for event in ahead {
            if event.isAllocation {
                batch.append(events.allocate(event.info))
            } else if let freed = events.free(event.info) {
                batch.append(freed)
            } else {
                warnUnmatchedFree(line: event.line)
            }
        }
        ahead.removeAll(keepingCapacity: true)
    }

    /// At the end of the file: keeps what the notes need and lets the tables go before the
    /// analysis builds its call trees (the infos alone can be tens of MB).
    private func releaseTables() {
        infoZeroQuirkFrees = events.infoZeroQuirkFrees
        infoZeroStack = events.firstInfoStack ?? 0
        events = HeaptrackEvents()
        ipFrames = []
        traceStacks = []
    }

    /// A `+` or `-` line (most of any file), read without a String; nil for every other
    /// line, and for the lines that need a warning (the slow path words it).
    private func event(_ bytes: UnsafeRawBufferPointer) throws -> AheadEvent? {
        guard fileVersion > 0, bytes.count > 2, bytes[1] == 0x20, let letter = bytes.first,
              letter == UInt8(ascii: "+") || letter == UInt8(ascii: "-"), let value = Self.hex(bytes, from: 2) else { return nil }
        return AheadEvent(isAllocation: letter == UInt8(ascii: "+"), info: try checkedInfo(value), line: file.lineNumber)
    }

    private func fields(_ line: String) -> LineFields {
        LineFields(line, skip: 2, path: path, line: file.lineNumber, format: .heaptrack)
    }

    /// Parses one line; the event lines (`+`, `-`, `c`), most of any file, without a String.
    private func parse(_ bytes: UnsafeRawBufferPointer) throws {
        guard let letter = bytes.first else { return }
        if fileVersion > 0, bytes.count > 2, bytes[1] == 0x20, let value = Self.hex(bytes, from: 2) {
            switch letter {
            case UInt8(ascii: "+"): return try allocate(info: try checkedInfo(value))
            case UInt8(ascii: "-"): return try free(info: try checkedInfo(value))
            case UInt8(ascii: "c"): return setTime(value)
            default: break
            }
        }
        try parse(String(decoding: bytes, as: UTF8.self))
    }

    /// A hex number filling `bytes[from...]`, or nil (then the slow path words the error).
    private static func hex(_ bytes: UnsafeRawBufferPointer, from start: Int) -> UInt64? {
        var value: UInt64 = 0
        var index = start
        while index < bytes.count {
            let c = bytes[index]
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x61...0x66: digit = c - 0x61 + 10
            case 0x41...0x46: digit = c - 0x41 + 10
            default: return nil
            }
            guard value >> 60 == 0 else { return nil }
            value = value << 4 | UInt64(digit)
            index += 1
        }
        return index > start ? value : nil
    }

    private func parse(_ line: String) throws {
        guard let letter = line.utf8.first else { return }
        if fileVersion == 0 && letter != UInt8(ascii: "v") && letter != UInt8(ascii: "#") {
            throw fields(line).error("the version line 'v <heaptrack version> <file format>'",
                                     found: "'\(line.prefix(40))'", column: 1)
        }
        switch letter {
        case UInt8(ascii: "v"): try parseVersion(line)
        case UInt8(ascii: "X"):
            var f = fields(line)
            commandLine = f.rest().split(separator: " ").map(String.init)
        case UInt8(ascii: "I"):
            // `I <page size> <physical pages>`, both hex (heaptrack's system info).
            var f = fields(line)
            pageSize = try f.hex("the page size")
        case UInt8(ascii: "R"): try parseRSS(line)
        case UInt8(ascii: "#"): break
        case UInt8(ascii: "A"): attached = true
        case UInt8(ascii: "S"):
            if let pattern = HeaptrackSuppressions.pattern(ofSuppressionLine: String(line.dropFirst(1))) {
                embeddedSuppressions.append(pattern)
            } else {
                diagnostics.warn(key: "heaptrack-suppression", "suppression line without 'leak:' skipped",
                                 at: "\(path):\(file.lineNumber)")
            }
        case UInt8(ascii: "s"): try parseString(line)
        case UInt8(ascii: "i"): try parseInstructionPointer(line)
        case UInt8(ascii: "t"): try parseTrace(line)
        case UInt8(ascii: "a"): try parseAllocationInfo(line)
        case UInt8(ascii: "+"): try parseAllocation(line)
        case UInt8(ascii: "-"): try parseFree(line)
        case UInt8(ascii: "c"): try parseTime(line)
        case UInt8(ascii: "x"), UInt8(ascii: "m"):
            throw ImportError(path: path, location: .line(file.lineNumber, column: 1), problem: .rawHeaptrackFile)
        default:
            diagnostics.warn(key: "heaptrack-unknown-\(letter)", "line of unknown kind '\(line.prefix(1))' skipped",
                             at: "\(path):\(file.lineNumber)")
        }
    }

    private func parseVersion(_ line: String) throws {
        var f = fields(line)
        heaptrackVersion = try f.hex("the heaptrack version")
        // Files of heaptrack 1.0 (format 1) have no format field.
        fileVersion = f.atEnd ? 1 : try f.hex("the file format version")
        guard (1...3).contains(fileVersion) else {
            throw ImportError(path: path, location: .line(file.lineNumber, column: 1),
                              problem: .unsupportedVersion(format: .heaptrack, found: "\(fileVersion)", supported: "file formats 1, 2 and 3"))
        }
    }

    private func writeMeta() throws {
        metaWritten = true
        let version = "\(heaptrackVersion >> 16).\((heaptrackVersion >> 8) & 0xFF).\(heaptrackVersion & 0xFF)"
        pending.insert(.meta(Metadata(producer: "heaptrack", producerVersion: version, clockUnitNanoseconds: 1_000_000,
                                      commandLine: commandLine)), at: 0)
    }

    private func emit(_ record: Record) throws {
        if !metaWritten { try writeMeta() }
        pending.append(record)
    }

    private func parseString(_ line: String) throws {
        var text: String
        if fileVersion >= 3 {
            var f = fields(line)
            let length = try f.hex("the string's length")
            text = f.rest()
            // A string may hold line breaks: take following lines until the length is met.
            while UInt64(text.utf8.count) < length, let more = try file.nextLine() { text += "\n" + more }
        } else {
            text = line.count > 2 ? String(line.dropFirst(2)) : ""
        }
        stringCount += 1
        try emit(.string(id: stringCount, value: text))
    }

    private func stringIndex(_ f: inout LineFields, _ what: String) throws -> UInt32 {
        let index = try f.hex(what)
        guard index <= UInt64(stringCount) else {
            throw ImportError(path: path, location: .line(file.lineNumber, column: 1),
                              problem: .undefinedIndex(format: .heaptrack, table: "string", index: index, defined: Int(stringCount)))
        }
        return UInt32(index)
    }

    private func parseInstructionPointer(_ line: String) throws {
        var f = fields(line)
        let ip = try f.hex("the instruction pointer")
        let module = try stringIndex(&f, "the module's string index")
        var function: UInt32 = 0, file: UInt32 = 0, lineNumber: UInt32 = 0
        if !f.atEnd { function = try stringIndex(&f, "the function's string index") }
        if !f.atEnd {
            file = try stringIndex(&f, "the file's string index")
            lineNumber = UInt32(truncatingIfNeeded: try f.hex("the line number"))
        }
        var frames: [UInt32] = []
        try addFrame(Frame(id: 0, instructionPointer: ip, function: function, file: file, line: lineNumber, module: module), to: &frames)
        // Inlined frames, innermost first after the ip's own frame, as heaptrack's viewers read them.
        while !f.atEnd {
            let inlinedFunction = try stringIndex(&f, "an inlined frame's function")
            let inlinedFile = try stringIndex(&f, "an inlined frame's file")
            let inlinedLine = UInt32(truncatingIfNeeded: try f.hex("an inlined frame's line"))
            try addFrame(Frame(id: 0, instructionPointer: ip, function: inlinedFunction, file: inlinedFile,
                               line: inlinedLine, module: module), to: &frames)
            inlinedFrames += 1
        }
        ipFrames.append(frames)
    }

    private func addFrame(_ frame: Frame, to frames: inout [UInt32]) throws {
        frameCount += 1
        var frame = frame
        frame.id = frameCount
        try emit(.frame(frame))
        frames.append(frameCount)
    }

    private func parseTrace(_ line: String) throws {
        var f = fields(line)
        let ip = try f.hex("the ip index")
        let parent = try f.hex("the parent trace index")
        guard ip > 0 && ip < UInt64(ipFrames.count) else {
            throw ImportError(path: path, location: .line(file.lineNumber, column: 3),
                              problem: .undefinedIndex(format: .heaptrack, table: "instruction pointer", index: ip, defined: ipFrames.count - 1))
        }
        guard parent < UInt64(traceStacks.count) else {
            throw ImportError(path: path, location: .line(file.lineNumber, column: 3),
                              problem: .undefinedIndex(format: .heaptrack, table: "trace", index: parent, defined: traceStacks.count - 1))
        }
        var stack = traceStacks[Int(parent)]
        for frame in ipFrames[Int(ip)].reversed() {
            stackCount += 1
            try emit(.stack(id: stackCount, parent: stack, frame: frame))
            stack = stackCount
        }
        traceStacks.append(stack)
    }

    private func parseAllocationInfo(_ line: String) throws {
        var f = fields(line)
        let size = try f.hex("the allocation size")
        let trace = try f.hex("the trace index")
        guard trace < UInt64(traceStacks.count) else {
            throw ImportError(path: path, location: .line(file.lineNumber, column: 3),
                              problem: .undefinedIndex(format: .heaptrack, table: "trace", index: trace, defined: traceStacks.count - 1))
        }
        events.addInfo(size: size, stack: traceStacks[Int(trace)])
    }

    private func allocationInfo(_ line: String) throws -> Int {
        var f = fields(line)
        return try checkedInfo(try f.hex("the allocation info index"))
    }

    private func checkedInfo(_ index: UInt64) throws -> Int {
        guard index < UInt64(events.infoCount) else {
            throw ImportError(path: path, location: .line(file.lineNumber, column: 3),
                              problem: .undefinedIndex(format: .heaptrack, table: "allocation info", index: index, defined: events.infoCount))
        }
        return Int(index)
    }

    private func parseAllocation(_ line: String) throws {
        try allocate(info: try allocationInfo(line))
    }

    private func allocate(info: Int) throws {
        try emit(events.allocate(info).record)
    }

    private func parseFree(_ line: String) throws {
        try free(info: try allocationInfo(line))
    }

    private func free(info: Int) throws {
        guard let record = events.free(info)?.record else { return warnUnmatchedFree(line: file.lineNumber) }
        try emit(record)
    }

    private func warnUnmatchedFree(line: Int) {
        diagnostics.warn(key: "heaptrack-free-unmatched", "free of an allocation info with no live allocation skipped",
                         at: "\(path):\(line)",
                         hint: "the file may have been written by a tracker that attached to a running process")
    }

    /// `R <pages>`: the resident set size, in pages, at the current time (as heaptrack_print
    /// reads it: its peak RSS is the largest times the `I` line's page size).
    private func parseRSS(_ line: String) throws {
        var f = fields(line)
        let pages = try f.hex("the resident set size in pages")
        guard pageSize > 0 else {
            diagnostics.warn(key: "heaptrack-rss-no-page-size", "RSS line skipped: no 'I' line gave the page size before it",
                             at: "\(path):\(file.lineNumber)")
            return
        }
        rssSamples += 1
        try emit(.rssSample(timestamp: events.milliseconds, residentBytes: pages.multipliedSaturating(by: pageSize)))
    }

    private func parseTime(_ line: String) throws {
        var f = fields(line)
        setTime(try f.hex("the time in ms"))
    }

    private func setTime(_ value: UInt64) {
        if !events.setTime(value) {
            diagnostics.warn(key: "heaptrack-time-backwards", "time line going backwards skipped (heaptrack calls it damaged)",
                             at: "\(path):\(file.lineNumber)")
        }
    }
}
