import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// Valgrind DHAT JSON (`dhatFileVersion` 2, also written by dhat-rs): per program point
/// totals. Totals are sums over every program point, as DHAT prints them: blocks and
/// bytes allocated, bytes live at t-gmax (the global peak), bytes and blocks live at t-end.
enum DHATImporter {
    /// The analyses of `path`, one per options, from one read of it.
    static func analyze(path: String, everyOptions: [AnalysisOptions]) throws -> [Analysis] {
        let file = try DecodedFile(path: path)
        let json = JSONDocument(path: path, format: .dhat)
        let root = try json.object(try JSONDocument.parse(try file.readAll(), path: path, format: .dhat), "(top level)")
        let version = try json.integer(root["dhatFileVersion"], "dhatFileVersion")
        guard version == 2 else {
            throw ImportError(path: path, problem: .unsupportedVersion(format: .dhat, found: "\(version)", supported: "dhatFileVersion 2"))
        }
        let mode = (root["mode"] as? String) ?? "heap"
        let lifetimesRecorded = (root["bklt"] as? Bool) ?? false
        let timeUnit = (root["tu"] as? String) ?? "instrs"
        let frameTable = try json.array(root["ftbl"], "ftbl")
        var interner = SymbolInterner()
        var frameIDs: [UInt32] = []
        for (i, entry) in frameTable.enumerated() {
            let label = try json.string(entry, "ftbl[\(i)]")
            frameIDs.append(label == "[root]" ? 0 : interner.frame(ValgrindFrameLabel(Substring(label)).key))
        }

        var input = AggregateInput(metadata: metadata(root), symbols: SymbolTable(), sites: [], notes: InputNotes())
        for (i, value) in try json.array(root["pps"], "pps").enumerated() {
            let pp = try json.object(value, "pps[\(i)]")
            func field(_ key: String) throws -> UInt64 { try json.integer(pp[key], "pps[\(i)].\(key)") }
            func lifetimeField(_ key: String) throws -> UInt64 { lifetimesRecorded ? try field(key) : 0 }
            var frames: [UInt32] = []
            for (j, index) in try json.array(pp["fs"], "pps[\(i)].fs").enumerated() {
                let k = try json.integer(index, "pps[\(i)].fs[\(j)]")
                guard k < UInt64(frameIDs.count) else {
                    throw ImportError(path: path, problem: .undefinedIndex(format: .dhat, table: "frame-table entry (pps[\(i)].fs)",
                                                                           index: k, defined: frameIDs.count))
                }
                if frameIDs[Int(k)] != 0 { frames.append(frameIDs[Int(k)]) }
            }
            var costs = Costs()
            costs.allocations = try field("tbk")
            costs.bytesAllocated = try field("tb")
            costs.peakBytes = try lifetimeField("gb")
            costs.leakedBytes = try lifetimeField("eb")
            costs.leakedBlocks = try lifetimeField("ebk")
            // fs is innermost first.
            let stack = interner.stack(outermostFirst: frames.reversed())
            let frees = lifetimesRecorded ? costs.allocations &- min(costs.allocations, costs.leakedBlocks) : 0
            input.sites.append(AggregateInput.Site(stack: stack, costs: costs, frees: frees))
            input.allocations &+= costs.allocations
            input.bytesAllocated &+= costs.bytesAllocated
            input.peakBytes &+= costs.peakBytes
            input.leakedBytes &+= costs.leakedBytes
            input.leakedBlocks &+= costs.leakedBlocks
            input.frees &+= frees
        }
        input.symbols = interner.symbols
        let (nanoseconds, unitNote) = timeScale(timeUnit)
        if lifetimesRecorded {
            input.peakTimeNanoseconds = (try json.optionalInteger(root["tg"], "tg") ?? 0) &* nanoseconds
            input.durationNanoseconds = (try json.optionalInteger(root["te"], "te") ?? 0) &* nanoseconds
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
