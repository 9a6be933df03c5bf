import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// Folded stacks: `root;caller;…;leaf <count>` per line, as flamegraph.pl, inferno and
/// `heaptrack_print -F` write them. The count is a cost: allocations or bytes allocated
/// (``FoldedCost``). Equal stacks on several lines add up.
enum FoldedStacks {
    /// A non-empty line whose last space-separated field is a whole number.
    static func isFoldedLine(_ line: Substring) -> Bool {
        guard let space = line.lastIndex(of: " ") else { return false }
        let count = line[line.index(after: space)...]
        return !count.isEmpty && count.allSatisfy(\.isASCII) && UInt64(count) != nil
            && !line[..<space].trimmingSpaces.isEmpty
    }

    /// The analyses of `path`, one per options, from one read of it.
    static func analyze(path: String, cost: FoldedCost, everyOptions: [AnalysisOptions]) throws -> [Analysis] {
        try analyze(file: DecodedFile(path: path, limits: everyOptions.first?.limits ?? .default), path: path, cost: cost,
                    everyOptions: everyOptions)
    }

    /// Like ``analyze(path:cost:everyOptions:)``, from a file already open (or bytes in memory).
    static func analyze(file: DecodedFile, path: String, cost: FoldedCost, everyOptions: [AnalysisOptions]) throws -> [Analysis] {
        var interner = SymbolInterner()
        var sites: [AggregateInput.Site] = []
        var total: UInt64 = 0
        var overflowed = false
        var frameCount = 0
        while let line = try file.nextLine() {
            let trimmed = Substring(line).trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let space = trimmed.lastIndex(of: " "), isFoldedLine(trimmed) else {
                throw ImportError(path: path, location: .line(file.lineNumber, column: line.count + 1),
                                  problem: .expected(format: .folded, what: "a stack, a space and a count at the end of the line",
                                                     found: "'\(line.prefix(60))'"))
            }
            let value = UInt64(trimmed[trimmed.index(after: space)...])!
            let frames = trimmed[..<space].split(separator: ";").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            frameCount = max(frameCount, frames.count)
            let stack = interner.stack(outermostFirst: frames.map { interner.frame(named: String($0)) })
            var costs = Costs()
            switch cost {
            case .allocations: costs.allocations = value
            case .bytes: costs.bytesAllocated = value
            }
            sites.append(AggregateInput.Site(stack: stack, costs: costs))
            let (sum, overflow) = total.addingReportingOverflow(value)
            total = overflow ? UInt64.max : sum
            overflowed = overflowed || overflow
        }
        guard !sites.isEmpty else {
            throw ImportError(path: path, problem: .noData(format: .folded, what: "no stack lines"))
        }
        let meaning = cost == .allocations ? "allocation calls" : "bytes allocated"
        var input = AggregateInput(
            metadata: Metadata(producer: "folded stacks", producerVersion: ""),
            symbols: interner.symbols, sites: sites,
            notes: InputNotes(
                source: "folded stacks, \(sites.count) lines",
                missingViews: [
                    "Every figure but \(meaning): a folded line holds one count per stack, nothing else.",
                    "Memory over time, lifetimes, threads, leaks and the peak: folded stacks have no events or times.",
                    "Files and lines: frames are names only.",
                ],
                inferred: [
                    "Cost: each line's count is read as \(meaning) (--folded-cost \(cost.rawValue)); the file does not say which cost it holds.",
                ],
                unavailable: Set(["allocations", "bytes_allocated", "temporary_allocations", "frees", "peak_bytes", "leaked_bytes",
                                  "threads", "errors", "cross_thread_frees", "timeline", "duration", "lifetimes", "sizes"])
                    .subtracting([cost == .allocations ? "allocations" : "bytes_allocated"])))
        switch cost {
        case .allocations: input.allocations = total
        case .bytes: input.bytesAllocated = total
        }
        if overflowed { input.overflowed.insert(cost == .allocations ? "allocations" : "bytes_allocated") }
        input.diagnostics = file.diagnostics
        return everyOptions.map { Analysis(aggregate: input, options: $0) }
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
