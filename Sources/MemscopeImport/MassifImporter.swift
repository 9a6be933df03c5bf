import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// Valgrind massif output: heap snapshots, some with a bottom-up tree of who holds the
/// heap. The timeline is every snapshot's `mem_heap_B`; the peak is the largest of them;
/// the flamegraphs' "live at peak" cost is the peak snapshot's tree, and "leaked" the
/// last snapshot's tree when it is detailed.
enum MassifImporter {
    /// The analyses of `path`, one per options, from one read of it.
    static func analyze(path: String, everyOptions: [AnalysisOptions]) throws -> [Analysis] {
        try analyze(file: DecodedFile(path: path, limits: everyOptions.first?.limits ?? .default), path: path,
                    everyOptions: everyOptions)
    }

    /// Like ``analyze(path:everyOptions:)``, from a file already open (or bytes in memory).
    static func analyze(file: DecodedFile, path: String, everyOptions: [AnalysisOptions]) throws -> [Analysis] {
        let massif = try MassifFile.parse(file, path: path, limits: everyOptions.first?.limits ?? .default)
        guard !massif.snapshots.isEmpty else {
            throw ImportError(path: path, problem: .noData(format: .massif, what: "no snapshots"))
        }
        let (scale, unitNote) = timeScale(massif.timeUnit)
        var interner = SymbolInterner()
        var sites: [AggregateInput.Site] = []

        let peak = massif.snapshots.enumerated().max { ($0.element.heapBytes, $1.offset) < ($1.element.heapBytes, $0.offset) }!.element
        let treeSnapshot = massif.snapshots.first { $0.kind == "peak" }
            ?? massif.snapshots.filter { !$0.tree.isEmpty }.max { $0.heapBytes < $1.heapBytes }
        if let treeSnapshot {
            for (stack, bytes) in selfBytes(treeSnapshot.tree, interner: &interner) {
                var costs = Costs()
                costs.peakBytes = bytes
                sites.append(AggregateInput.Site(stack: stack, costs: costs))
            }
        }
        let last = massif.snapshots[massif.snapshots.count - 1]
        if !last.tree.isEmpty {
            for (stack, bytes) in selfBytes(last.tree, interner: &interner) {
                var costs = Costs()
                costs.leakedBytes = bytes
                sites.append(AggregateInput.Site(stack: stack, costs: costs))
            }
        }

        var input = AggregateInput(
            metadata: Metadata(producer: "massif", producerVersion: "", commandLine: massif.command.split(separator: " ").map(String.init)),
            symbols: interner.symbols, sites: sites, notes: InputNotes())
        input.samples = massif.snapshots.map {
            AggregateInput.Sample(timeNanoseconds: $0.time.multipliedSaturating(by: scale), liveBytes: $0.heapBytes)
        }
        input.peakBytes = peak.heapBytes
        input.peakTimeNanoseconds = peak.time.multipliedSaturating(by: scale)
        input.leakedBytes = last.heapBytes
        input.durationNanoseconds = last.time.multipliedSaturating(by: scale)
        input.diagnostics = file.diagnostics
        if let line = massif.cutOffAt {
            input.diagnostics.warn(key: "massif-cut", "the last snapshot's tree is cut off; the lines read are used",
                                   at: "\(path):\(line)", hint: "the program probably died while massif wrote the file")
        }
        input.notes = notes(massif, treeSnapshot: treeSnapshot, peak: peak, last: last, unitNote: unitNote)
        input.notes.timeUnit = switch massif.timeUnit { case "ms": ""; case "i": "instructions"; case "B": "bytes"; default: massif.timeUnit }
        return everyOptions.map { Analysis(aggregate: input, options: $0) }
    }

    /// Bytes held by each full stack of a bottom-up tree: a node's bytes minus its children's.
    /// Below-threshold aggregates become a frame of their own, outermost, so sums stay exact.
    static func selfBytes(_ tree: [MassifFile.Node], interner: inout SymbolInterner) -> [(UInt32, UInt64)] {
        var result: [(UInt32, UInt64)] = []
        var path: [UInt32] = []   // innermost first: depth 1 is the allocating function
        var index = 0
        func visit() {
            let node = tree[index]
            index += 1
            let frame: UInt32?
            if let label = node.label {
                frame = interner.frame(ValgrindFrameLabel(label).key)
            } else if let aggregate = node.aggregate {
                frame = interner.frame(named: "[\(aggregate.dropFirst(3).prefix { $0 != "," }) below massif's threshold]")
            } else {
                frame = nil
            }
            if let frame { path.append(frame) }
            var childBytes: UInt64 = 0
            for _ in 0..<node.childCount where index < tree.count {
                childBytes = saturatingSum(childBytes, tree[index].bytes)
                visit()
            }
            if node.bytes > childBytes {
                let stack = interner.stack(outermostFirst: path.reversed())
                result.append((stack, node.bytes - childBytes))
            }
            if frame != nil { path.removeLast() }
        }
        while index < tree.count { visit() }
        return result
    }

    private static func timeScale(_ unit: String) -> (UInt64, String) {
        switch unit {
        case "ms": (1_000_000, "")
        case "B": (1, "Times: massif measured time in bytes allocated and freed (--time-unit=B); times here are counts of bytes.")
        case "i": (1, "Times: massif measured time in instructions executed (--time-unit=i, the default); times here are counts of instructions.")
        default: (1, "Times: massif measured time in '\(unit)'; times here are counts of \(unit).")
        }
    }

    private static func notes(_ massif: MassifFile, treeSnapshot: MassifFile.Snapshot?, peak: MassifFile.Snapshot,
                              last: MassifFile.Snapshot, unitNote: String) -> InputNotes {
        let detailed = massif.snapshots.filter { !$0.tree.isEmpty }.count
        var notes = InputNotes(
            source: "Valgrind massif output, \(massif.snapshots.count) snapshots (\(detailed) with trees)",
            missingViews: [
                "Allocation counts, bytes allocated and temporary allocations: massif records the heap's size at snapshots, not each allocation.",
                "Lifetimes: massif has snapshots only, no allocation and free events.",
                "Threads, addresses and memory errors: massif does not record them.",
            ],
            inferred: [
                "Peak: the largest mem_heap_B of any snapshot (snapshot \(peak.number)); massif finds the peak to within --peak-inaccuracy (1% by default).",
                "Leaked: the heap at the last snapshot (snapshot \(last.number)), which massif takes at exit.",
            ])
        if let treeSnapshot {
            notes.inferred.append("Live at peak by stack: the tree of snapshot \(treeSnapshot.number) (\(treeSnapshot.kind)); stacks below massif's threshold are grouped into one frame per caller.")
        } else {
            notes.missingViews.append("Stacks: no snapshot has a tree, so there are no flamegraphs.")
        }
        if last.tree.isEmpty {
            notes.missingViews.append("Leaked by stack: the last snapshot has no tree.")
        }
        if !unitNote.isEmpty { notes.inferred.append(unitNote) }
        notes.missingViews.append("Heap overhead (mem_heap_extra_B) and stacks (mem_stacks_B) are not shown; the timeline is the useful heap (mem_heap_B).")
        notes.unavailable = ["allocations", "bytes_allocated", "temporary_allocations", "frees", "threads", "errors",
                             "cross_thread_frees", "lifetimes", "sizes"]
        return notes
    }
}

/// a + b, or UInt64.max past 64 bits (massif's byte counts are the file's, untrusted).
private func saturatingSum(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? .max : sum
}
