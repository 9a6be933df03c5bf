import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// Valgrind DHAT JSON (`dhatFileVersion` 2, also written by dhat-rs): per program point
/// totals. Totals are sums over every program point, as DHAT prints them: blocks and
/// bytes allocated, bytes live at t-gmax (the global peak), bytes and blocks live at t-end.
enum DHATImporter {
    /// One program point as read, before the frame table (which DHAT writes after the
    /// program points) and `bklt` are known.
    private struct ProgramPoint {
        var index: Int
        var blocks: UInt64, bytes: UInt64
        var peakBytes: UInt64?, endBytes: UInt64?, endBlocks: UInt64?
        var frames: [UInt64] // indices into ftbl, innermost first
    }

    /// The analyses of `path`, one per options, from one read of it. Streams the file
    /// (``JSONStream``): memory holds the program points and the frame table, never the text.
    static func analyze(path: String, everyOptions: [AnalysisOptions]) throws -> [Analysis] {
        try analyze(file: DecodedFile(path: path, limits: everyOptions.first?.limits ?? .default), path: path,
                    everyOptions: everyOptions)
    }

    /// Like ``analyze(path:everyOptions:)``, from a file already open (or bytes in memory).
    static func analyze(file: DecodedFile, path: String, everyOptions: [AnalysisOptions]) throws -> [Analysis] {
        let limits = everyOptions.first?.limits ?? .default
        let json = JSONDocument(path: path, format: .dhat)
        let stream = JSONStream(file: file, path: path, format: .dhat, limits: JSONStream.Limits(limits))
        var root: [String: Any] = [:]
        var labels: [String]?
        var points: [ProgramPoint]?
        try stream.beginObject()
        while let key = try stream.nextKey() {
            switch key {
            case "ftbl":
                var table: [String] = []
                try stream.beginArray()
                while try stream.nextElement() { table.append(try json.string(try stream.value(), "ftbl[\(table.count)]")) }
                labels = table
            case "pps":
                var list: [ProgramPoint] = []
                try stream.beginArray()
                while try stream.nextElement() {
                    let i = list.count
                    guard i < limits.dhatProgramPoints else {
                        throw LimitExceeded(path: path, name: "dhat-points", limit: UInt64(limits.dhatProgramPoints),
                                            found: "more than \(Units.count(UInt64(limits.dhatProgramPoints))) program points",
                                            location: "byte \(Units.count(stream.offset))")
                    }
                    let pp = try json.object(try stream.value(), "pps[\(i)]")
                    func field(_ key: String) throws -> UInt64 { try json.integer(pp[key], "pps[\(i)].\(key)") }
                    func optional(_ key: String) throws -> UInt64? { pp[key] == nil ? nil : try field(key) }
                    let frames = try json.array(pp["fs"], "pps[\(i)].fs").enumerated().map { j, index in
                        try json.integer(index, "pps[\(i)].fs[\(j)]")
                    }
                    list.append(ProgramPoint(index: i, blocks: try field("tbk"), bytes: try field("tb"),
                                             peakBytes: try optional("gb"), endBytes: try optional("eb"),
                                             endBlocks: try optional("ebk"), frames: frames))
                }
                points = list
            case "dhatFileVersion", "mode", "bklt", "tu", "tg", "te", "pid", "cmd":
                root[key] = try stream.value()
            default:
                try stream.skipValue()
            }
        }
        try stream.end()
        let version = try json.integer(root["dhatFileVersion"], "dhatFileVersion")
        guard version == 2 else {
            throw ImportError(path: path, problem: .unsupportedVersion(format: .dhat, found: "\(version)", supported: "dhatFileVersion 2"))
        }
        let mode = (root["mode"] as? String) ?? "heap"
        let lifetimesRecorded = (root["bklt"] as? Bool) ?? false
        let timeUnit = (root["tu"] as? String) ?? "instrs"
        guard let labels else { throw ImportError(path: path, problem: .missingKey(format: .dhat, key: "ftbl")) }
        guard let points else { throw ImportError(path: path, problem: .missingKey(format: .dhat, key: "pps")) }
        var interner = SymbolInterner()
        let frameIDs = labels.map { $0 == "[root]" ? 0 : interner.frame(ValgrindFrameLabel(Substring($0)).key) }

        var input = AggregateInput(metadata: metadata(root), symbols: SymbolTable(), sites: [], notes: InputNotes())
        input.sites.reserveCapacity(points.count)
        for pp in points {
            let i = pp.index
            func lifetimeField(_ value: UInt64?, _ key: String) throws -> UInt64 {
                guard lifetimesRecorded else { return 0 }
                guard let value else { throw ImportError(path: path, problem: .missingKey(format: .dhat, key: "pps[\(i)].\(key)")) }
                return value
            }
            var frames: [UInt32] = []
            for k in pp.frames {
                guard k < UInt64(frameIDs.count) else {
                    throw ImportError(path: path, problem: .undefinedIndex(format: .dhat, table: "frame-table entry (pps[\(i)].fs)",
                                                                           index: k, defined: frameIDs.count))
                }
                if frameIDs[Int(k)] != 0 { frames.append(frameIDs[Int(k)]) }
            }
            var costs = Costs()
            costs.allocations = pp.blocks
            costs.bytesAllocated = pp.bytes
            costs.peakBytes = try lifetimeField(pp.peakBytes, "gb")
            costs.leakedBytes = try lifetimeField(pp.endBytes, "eb")
            costs.leakedBlocks = try lifetimeField(pp.endBlocks, "ebk")
            // fs is innermost first.
            let stack = interner.stack(outermostFirst: frames.reversed())
            let frees = lifetimesRecorded ? costs.allocations &- min(costs.allocations, costs.leakedBlocks) : 0
            input.sites.append(AggregateInput.Site(stack: stack, costs: costs, frees: frees))
            input.add(costs.allocations, to: \.allocations, "allocations")
            input.add(costs.bytesAllocated, to: \.bytesAllocated, "bytes_allocated")
            input.add(costs.peakBytes, to: \.peakBytes, "peak_bytes")
            input.add(costs.leakedBytes, to: \.leakedBytes, "leaked_bytes")
            input.add(costs.leakedBlocks, to: \.leakedBlocks, "leaked_blocks")
            input.add(frees, to: \.frees, "frees")
        }
        input.symbols = interner.symbols
        let (nanoseconds, unitNote) = timeScale(timeUnit)
        if lifetimesRecorded {
            input.peakTimeNanoseconds = (try json.optionalInteger(root["tg"], "tg") ?? 0).multipliedSaturating(by: nanoseconds)
            input.durationNanoseconds = (try json.optionalInteger(root["te"], "te") ?? 0).multipliedSaturating(by: nanoseconds)
        }
        input.notes = notes(mode: mode, lifetimesRecorded: lifetimesRecorded, points: input.sites.count, unitNote: unitNote)
        input.notes.timeUnit = switch timeUnit { case "µs", "us", "ms", "ns": ""; case "instrs": "instructions"; default: timeUnit }
        input.diagnostics = file.diagnostics
        return everyOptions.map { Analysis(aggregate: input, options: $0) }
    }

    private static func metadata(_ root: [String: Any]) -> Metadata {
        let pid = (root["pid"] as? NSNumber)?.uint32Value ?? 0
        let command = (root["cmd"] as? String).map { $0.split(separator: " ").map(String.init) } ?? []
        return Metadata(producer: "DHAT", producerVersion: "dhatFileVersion 2", pid: pid, commandLine: command)
    }

    /// ns per unit of DHAT's time unit, and how the report shows it.
    private static func timeScale(_ unit: String) -> (UInt64, String) {
        switch unit {
        case "µs", "us": (1_000, "")
        case "ms": (1_000_000, "")
        case "ns": (1, "")
        case "instrs": (1, "Times: DHAT measured time in instrs (instructions executed for Valgrind); times here are counts of instructions.")
        default: (1, "Times: DHAT measured time in \(unit); times here are counts of \(unit).")
        }
    }

    private static func notes(mode: String, lifetimesRecorded: Bool, points: Int, unitNote: String) -> InputNotes {
        var notes = InputNotes(
            source: "Valgrind DHAT JSON, version 2, mode \(mode), \(points) program points",
            missingViews: [
                "Memory over time: DHAT keeps per-site totals only, no events and no timeline.",
                "Lifetimes per block: DHAT sums lifetimes per site; there are no lifetime histograms or lanes.",
                "Threads, addresses, reallocs and temporary allocations: DHAT does not record them per event.",
                "Memory errors: DHAT does not detect them (use Memcheck).",
            ],
            inferred: [
                "Frees: blocks allocated minus blocks live at t-end, per program point.",
            ])
        if !lifetimesRecorded {
            notes.missingViews.append("Peak and leaks: this file was written without block lifetimes (bklt false), so it has no t-gmax or t-end figures.")
            notes.inferred = []
        }
        if mode != "heap" && mode != "rust-heap" {
            notes.missingViews.append("Heap bytes: DHAT ran in \(mode) mode, so its counts are not heap allocations.")
        }
        if !unitNote.isEmpty { notes.inferred.append(unitNote) }
        notes.unavailable = ["timeline", "duration", "temporary_allocations", "threads", "errors", "cross_thread_frees", "lifetimes", "sizes"]
        if !lifetimesRecorded { notes.unavailable.formUnion(["peak_bytes", "leaked_bytes", "frees"]) }
        return notes
    }
}
