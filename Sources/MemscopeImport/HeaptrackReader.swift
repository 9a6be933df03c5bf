import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

#if canImport(Glibc)
import Glibc
#endif

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
    /// The `+` and `-` lines read ahead of their replay (see ``HeaptrackEvents/prefetch(_:)``):
    /// an allocation's info, or a free's info complemented (negative), and each one's line.
    private let ahead = UnsafeMutablePointer<Int>.allocate(capacity: lookahead)
    private let aheadLines = UnsafeMutablePointer<Int>.allocate(capacity: lookahead)
    private var aheadCount = 0
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

    deinit {
        ahead.deallocate()
        aheadLines.deallocate()
    }

    /// Bytes of the (compressed) file read so far.
    var bytesRead: UInt64 { file.rawBytesRead }

    func read(into batch: RecordBatch, maxCount: Int) throws -> Bool {
        batch.removeAll()
        movePending(into: batch)
        var budget = maxCount - batch.count
        while !finished && budget > 0 {
            guard let lines = try file.bufferedLines() else {
                finished = true
                releaseTables()
                diagnostics.merge(file.diagnostics)
                if !metaWritten { try writeMeta() }
                movePending(into: batch)
                break
            }
            try read(lines, into: batch, budget: &budget)
        }
        return !batch.isEmpty
    }

    private func movePending(into batch: RecordBatch) {
        guard !pending.isEmpty else { return }
        batch.append(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Hex digit values by byte; 0xFF for a byte that is not one (heaptrack writes lower
    /// case; upper case is accepted, as everywhere in this reader).
    nonisolated(unsafe) private static let hexDigits: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0xFF, count: 256)
        for (i, c) in "0123456789abcdef".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        for (i, c) in "ABCDEF".utf8.enumerated() { table[Int(c)] = UInt8(10 + i) }
        return UnsafePointer(table)
    }()

    /// Reads the lines of `chunk` (complete lines, or the input's last bytes) until the batch
    /// has `budget` more records or a line needs the general parser, and consumes them.
    ///
    /// Most of any file is `+`, `-` and `a` lines, then `c` lines: those are read here from
    /// the bytes, with no String and no call per field. Any other line, and any of those
    /// that is not exactly "letter space hex [space hex]" with valid indices, goes to
    /// ``parse(_:)-(UnsafeRawBufferPointer)`` (which words the errors and warnings), after
    /// the events read ahead are replayed: the result is the same as line by line.
    private func read(_ chunk: UnsafeRawBufferPointer, into batch: RecordBatch, budget: inout Int) throws {
        let base = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let end = chunk.count
        let digits = Self.hexDigits
        // One reference for the chunk, not a retain per line (a `t` line, which adds a trace, ends the chunk).
        let events = self.events, traces = traceStacks
        let firstLine = file.lineNumber + 1
        // Events only once the metadata is out (the first record); `a` and `c` once the version is read.
        let fast = fileVersion > 0
        let fastEvents = fast && metaWritten
        var p = 0
        var lines = 0
        while p < end && budget > aheadCount {
            let letter = base[p]
            fastPath: if fast && p + 2 < end && base[p + 1] == 0x20 {
                var q = p + 2
                var value: UInt64 = 0
                while q < end {
                    let d = digits[Int(base[q])]
                    if d > 15 { break }
                    value = value << 4 | UInt64(d)
                    q += 1
                }
                guard q > p + 2 && q - p - 2 <= 16 else { break fastPath }
                var second: UInt64 = 0
                if letter == UInt8(ascii: "a") {
                    // `a size trace`: the second field.
                    guard q < end && base[q] == 0x20 else { break fastPath }
                    q += 1
                    let start = q
                    while q < end {
                        let d = digits[Int(base[q])]
                        if d > 15 { break }
                        second = second << 4 | UInt64(d)
                        q += 1
                    }
                    guard q > start && q - start <= 16 else { break fastPath }
                }
                // The line's end: `\n`, `\r\n`, or the input's end.
                let next: Int
                if q == end {
                    next = end
                } else if base[q] == 0x0A {
                    next = q + 1
                } else if base[q] == 0x0D && q + 1 < end && base[q + 1] == 0x0A {
                    next = q + 2
                } else {
                    break fastPath
                }
                switch letter {
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    guard fastEvents && value < UInt64(events.infoCount) else { break fastPath }
                    let info = Int(value)
                    events.prefetch(info)
                    ahead[aheadCount] = letter == UInt8(ascii: "+") ? info : ~info
                    aheadLines[aheadCount] = firstLine + lines
                    aheadCount += 1
                    if aheadCount == Self.lookahead {
                        budget -= replayAhead(into: batch)
                    }
                case UInt8(ascii: "a"):
                    guard second < UInt64(traces.count) else { break fastPath }
                    events.addInfo(size: value, stack: traces[Int(second)])
                case UInt8(ascii: "c"):
                    guard value >= events.milliseconds else { break fastPath }  // the parser warns
                    budget -= replayAhead(into: batch)
                    _ = events.setTime(value)
                default:
                    break fastPath
                }
                p = next
                lines += 1
                continue
            }
            // Any other line: the general parser, with the file at this line (a v3 string
            // may take the lines after it).
            budget -= replayAhead(into: batch)
            var lineEnd = end
            if let newline = memchr(base + p, 0x0A, end - p) {
                lineEnd = UnsafeRawPointer(newline) - UnsafeRawPointer(base)
            }
            let next = lineEnd < end ? lineEnd + 1 : end
            if lineEnd < end && lineEnd > p && base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            file.consumeLines(next, lines: lines + 1)
            try parse(UnsafeRawBufferPointer(start: base + p, count: lineEnd - p))
            let before = batch.count
            movePending(into: batch)
            budget -= batch.count - before
            return
        }
        budget -= replayAhead(into: batch)
        file.consumeLines(p, lines: lines)
    }

    /// Replays the `+`/`-` lines read ahead, in order; returns the events added.
    @discardableResult
    private func replayAhead(into batch: RecordBatch) -> Int {
        var added = 0
        let events = self.events
        for k in 0..<aheadCount {
            let info = ahead[k]
            if info >= 0 {
                batch.append(events.allocate(info))
                added += 1
            } else if let freed = events.free(~info) {
                batch.append(freed)
                added += 1
            } else {
                warnUnmatchedFree(line: aheadLines[k])
            }
        }
        aheadCount = 0
        return added
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
