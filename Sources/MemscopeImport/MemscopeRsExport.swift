import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// memscope-rs JSON exports: a 0.2.x `export_json` directory (its `memory_analysis.json`;
/// the siblings hold no further allocation data), or one 0.1.x / 0.2.x
/// `…memory_analysis.json` file.
///
/// The allocation list is event-shaped (allocation time, and a free time when the export
/// has one), so it is replayed through the analyzer. memscope-rs records no call stacks:
/// the flamegraphs group allocations by module path, type name and variable name.
enum MemscopeRsExport {
    /// The memory_analysis file of an export directory, if any.
    static func findMemoryAnalysis(inDirectory path: String) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if names.contains("memory_analysis.json") { return path + "/memory_analysis.json" }
        return names.sorted().first { $0.hasSuffix("_memory_analysis.json") }.map { path + "/" + $0 }
    }

    /// A JSON document with an allocation list that is not a memscope JSON Lines dump.
    static func looksLikeExport(_ head: String) -> Bool {
        head.contains("\"allocations\"") && !head.contains("\"type\":\"header\"") && !head.contains("\"type\":\"meta\"")
    }

    /// The analyses of `path`, one per options, from one read of it.
    static func analyze(path: String, everyOptions: [AnalysisOptions]) throws -> [Analysis] {
        var file = path
        var isDirectory = false
        if FormatSniffer.isDirectory(path) {
            guard let found = findMemoryAnalysis(inDirectory: path) else {
                throw ImportError(path: path, problem: .notAnExportDirectory)
            }
            file = found
            isDirectory = true
        }
        let limits = everyOptions.first?.limits ?? .default
        let decoded = try DecodedFile(path: file, limits: limits)
        let head = try decoded.peek(8)
        if head.starts(with: MemscopeRsBinaryFile.magic) {
            // Streamed: memory holds the entries and one record, never the file.
            let binary = try MemscopeRsBinaryFile(file: decoded, path: file)
            return try everyOptions.map { try analyzeBinary(binary, path: file, diagnostics: decoded.diagnostics, options: $0) }
        }
        let entries = try readJSON(decoded, path: file, limits: limits)
        // Container and value entries (no heap pointer) get virtual addresses; they are not allocations.
        let allocations = entries.filter { !$0.isVirtual }
        let kind = isDirectory ? "0.2.x JSON directory" : "JSON file \(baseName(file))"
        return try everyOptions.map { options in
            var analysis = try MemscopeRsReplay.analyze(allocations, options: options, diagnostics: decoded.diagnostics)
            analysis.notes = notes(allocations, virtual: entries.count - allocations.count, kind: kind)
            return analysis
        }
    }

    /// The allocation list of a JSON export (a bare array, or an object's `allocations`).
    static func readJSON(_ decoded: DecodedFile, path file: String, limits: InputLimits) throws -> [MemscopeRsAllocation] {
        let json = JSONDocument(path: file, format: .memscopeRs)
        // Streamed (``JSONStream``): memory holds the converted entries, never the text.
        let stream = JSONStream(file: decoded, path: file, format: .memscopeRs, limits: JSONStream.Limits(limits))
        var entries: [MemscopeRsAllocation] = []
        func readList() throws {
            try stream.beginArray()
            while try stream.nextElement() {
                entries.append(try MemscopeRsAllocation(json: json, value: try stream.value(), index: entries.count))
            }
        }
        if try stream.nextIsArray() {
            try readList() // CoreTracker::export_to_json: a bare array
        } else {
            var found = false
            try stream.beginObject()
            while let key = try stream.nextKey() {
                if key == "allocations" && !found {
                    try readList()
                    found = true
                } else {
                    try stream.skipValue()
                }
            }
            guard found else { throw ImportError(path: file, problem: .missingKey(format: .memscopeRs, key: "allocations")) }
        }
        try stream.end()
        return entries
    }

    /// A binary `.memscope` file (0.1.x): its records give the same allocation entries as
    /// the JSON exports, replayed the same way.
    static func analyzeBinary(_ bytes: [UInt8], path: String, diagnostics: Diagnostics,
                              options: AnalysisOptions) throws -> Analysis {
        try analyzeBinary(MemscopeRsBinaryFile(bytes: bytes, path: path), path: path, diagnostics: diagnostics, options: options)
    }

    /// The analysis of a binary file already read.
    static func analyzeBinary(_ file: MemscopeRsBinaryFile, path: String, diagnostics: Diagnostics,
                              options: AnalysisOptions) throws -> Analysis {
        var all = diagnostics
        all.merge(file.diagnostics)
        let allocations = file.allocations.filter { !$0.isVirtual }
        var analysis = try MemscopeRsReplay.analyze(allocations, options: options, diagnostics: all, truncated: file.truncated)
        let mode = file.legacyHeader ? "" : file.exportMode == 0 ? ", user-only export" : ", full export"
        analysis.notes = notes(allocations, virtual: file.allocations.count - allocations.count,
                               kind: "binary .memscope file \(baseName(path)), version \(file.version)\(mode)")
        if !file.legacyHeader && file.exportMode == 0 {
            analysis.notes.missingViews.append("Unnamed allocations: this is a user-only export, so memscope-rs wrote only the values that have a variable name.")
        }
        let synthetic = allocations.filter { (0x5000_0000...0xFFFF_FFFF).contains($0.address) }.count
        if synthetic > 0 {
            analysis.notes.inferred.append("Synthetic pointers: \(synthetic == 1 ? "1 entry carries" : "\(synthetic) entries carry") a pointer memscope-rs made up (0x50000000 to 0xFFFFFFFF: it gives them to Rc, Arc and Box values, to values with no heap pointer, and to every value in its fast mode); each still counts as one allocation of its estimated size.")
        }
        var fields = ["Smart-pointer details, memory layouts and the JSON analysis fields of each record are read past, not shown."]
        if file.stackTraces > 0 {
            fields.append("\(file.stackTraces == 1 ? "1 record has" : "\(file.stackTraces) records have") a stack_trace list of names; it is not used for the flamegraphs, so that every record is grouped the same way.")
        }
        if file.hasAdvancedTrailer { fields.append("The advanced-metrics (ADVD) trailer is not read.") }
        analysis.notes.missingViews.append(fields.joined(separator: " "))
        return analysis
    }

    private static func notes(_ allocations: [MemscopeRsAllocation], virtual: Int, kind: String) -> InputNotes {
        let freed = allocations.filter { $0.freedAt != nil }.count
        var notes = InputNotes(
            source: "memscope-rs export (\(kind)), \(allocations.count) tracked allocations",
            missingViews: [
                "Call stacks: memscope-rs records none; the flamegraphs group allocations by module path, type name and variable name instead.",
                "Untracked memory: only values passed to track! are listed, not every heap allocation.",
                "Addresses: entries that shared a pointer were merged by memscope-rs before export, so there is no address reuse or double-free detection.",
                "Borrow and clone counts: memscope-rs fills them with fixed constants per type name, not measurements, so they are not shown.",
            ],
            inferred: [
                "Sizes: memscope-rs estimates a value's size from its type (e.g. a Vec's capacity times its element size), not from the allocator.",
            ])
        if freed == 0 {
            notes.missingViews.append("Frees and lifetimes: the export lists only values still tracked at export (its lifetime_ms is their age then), so leaked means \"never untracked before export\" and the peak is the tracked heap at export.")
        }
        notes.unavailable = ["errors", "cross_thread_frees"]
        if freed == 0 { notes.unavailable.formUnion(["frees", "lifetimes"]) }
        if virtual > 0 {
            notes.missingViews.append("\(virtual) container or value entries with virtual addresses (no heap pointer) are not counted as allocations.")
        }
        return notes
    }
}

/// One entry of a memscope-rs allocation list; unknown fields are ignored.
struct MemscopeRsAllocation {
    var address: UInt64
    var size: UInt64
    var allocatedAt: UInt64
    var freedAt: UInt64?
    var thread: String
    var typeName: String
    var variable: String
    var module: String

    init(address: UInt64, size: UInt64, allocatedAt: UInt64, freedAt: UInt64?, thread: String,
         typeName: String, variable: String, module: String) {
        self.address = address
        self.size = size
        self.allocatedAt = allocatedAt
        self.freedAt = freedAt
        self.thread = thread
        self.typeName = typeName
        self.variable = variable
        self.module = module
    }

    init(json: JSONDocument, value: Any, index: Int) throws {
        let entry = try json.object(value, "allocations[\(index)]")
        size = try json.integer(entry["size"], "allocations[\(index)].size")
        // A hex string in 0.2.x, an integer in 0.1.x; either may appear under either name.
        let pointer = entry["address"] ?? entry["ptr"]
        if let text = pointer as? String {
            address = UInt64(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16) ?? 0
        } else {
            address = try json.optionalInteger(pointer, "allocations[\(index)].ptr") ?? 0
        }
        allocatedAt = try json.optionalInteger(entry["timestamp_alloc"] ?? entry["timestamp"] ?? entry["allocated_at_ns"],
                                               "allocations[\(index)].timestamp") ?? 0
        let freed = try json.optionalInteger(entry["timestamp_dealloc"], "allocations[\(index)].timestamp_dealloc")
        freedAt = freed == 0 ? nil : freed
        thread = entry["thread_id"].map { "\($0)" } ?? ""
        typeName = entry["type_name"] as? String ?? entry["type"] as? String ?? "unknown type"
        variable = entry["var_name"] as? String ?? ""
        module = entry["module_path"] as? String ?? entry["scope_name"] as? String ?? ""
    }

    /// memscope-rs's virtual container/value addresses: 0x10000000000 + i (0.2.3),
    /// 0x300000000 + i (from Metadata events) and 128 PB + i (0.2.4 and later).
    var isVirtual: Bool {
        let span: UInt64 = 1 << 24
        return (0x100_0000_0000..<0x100_0000_0000 + span).contains(address)
            || (0x3_0000_0000..<0x3_0000_0000 + span).contains(address)
            || address >= 1 << 57
    }
}

/// Replays a memscope-rs allocation list as events in time order.
enum MemscopeRsReplay {
    static func analyze(_ allocations: [MemscopeRsAllocation], options: AnalysisOptions,
                        diagnostics: Diagnostics, truncated: Bool = false) throws -> Analysis {
        let start = allocations.map(\.allocatedAt).min() ?? 0
        var records: [Record] = [.meta(Metadata(producer: "memscope-rs", producerVersion: "", startTimeUnixNanoseconds: start))]
        var strings: [String: UInt32] = [:]
        var stacks: [[UInt32]: UInt32] = [:]
        var threads: [String: UInt32] = [:]
        func string(_ text: String) -> UInt32 {
            if let id = strings[text] { return id }
            let id = UInt32(strings.count + 1)
            strings[text] = id
            records.append(.string(id: id, value: text))
            return id
        }
        /// One frame per distinct name (frames and strings share ids here).
        var frames: [UInt32: UInt32] = [:]
        func frame(_ text: String) -> UInt32 {
            let name = string(text)
            if let id = frames[name] { return id }
            let id = UInt32(frames.count + 1)
            frames[name] = id
            records.append(.frame(Frame(id: id, instructionPointer: 0, function: name, file: 0, line: 0, module: 0)))
            return id
        }
        func stack(_ path: [String]) -> UInt32 {
            var parent: UInt32 = 0
            var key: [UInt32] = []
            for name in path where !name.isEmpty {
                key.append(frame(name))
                if let id = stacks[key] { parent = id; continue }
                let id = UInt32(stacks.count + 1)
                stacks[key] = id
                records.append(.stack(id: id, parent: parent, frame: key[key.count - 1]))
                parent = id
            }
            return parent
        }
        struct Event { var time: UInt64; var order: Int; var record: Record }
        var events: [Event] = []
        for (i, a) in allocations.enumerated() {
            let thread = threads[a.thread] ?? {
                let id = UInt32(threads.count + 1)
                threads[a.thread] = id
                return id
            }()
            let address = UInt64(i + 1) << 4
            let site = stack([a.module, a.typeName, a.variable])
            let at = a.allocatedAt &- start
            events.append(Event(time: at, order: 2 * i, record: .alloc(Alloc(timestamp: at, thread: thread, address: address, size: a.size, stack: site))))
            if let freed = a.freedAt {
                let time = max(freed &- start, at)
                events.append(Event(time: time, order: 2 * i + 1, record: .free(Free(timestamp: time, thread: thread, address: address, stack: 0))))
            }
        }
        events.sort { ($0.time, $0.order) < ($1.time, $1.order) }
        let analyzer = Analyzer(options: options)
        analyzer.consume(records)
        analyzer.consume(events.map(\.record))
        var analysis = analyzer.finish(diagnostics: diagnostics, truncated: truncated)
        analysis.addressReuse = AddressReuse.none
        return analysis
    }
}
