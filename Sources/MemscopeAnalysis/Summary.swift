import MemscopeModel

/// The figures of `memscope summary`, for people (``text``) and machines (``json``).
public struct Summary: Sendable {
    public let analysis: Analysis
    /// The input format's name, e.g. `msd`.
    public let format: String
    public let path: String

    public init(analysis: Analysis, format: String, path: String) {
        self.analysis = analysis
        self.format = format
        self.path = path
    }

    /// One JSON object, keys sorted, integers for every figure (bytes in bytes, times in
    /// ns since the start of the dump).
    public var json: String {
        let t = analysis.totals
        var fields: [(String, String)] = [
            ("format", jsonString(format)),
            ("events", "\(t.events)"),
            ("allocations", "\(t.allocations)"),
            ("frees", "\(t.frees)"),
            ("reallocs", "\(t.reallocs)"),
            ("bytes_allocated", "\(t.bytesAllocated)"),
            ("peak_bytes", "\(t.peakBytes)"),
            ("peak_time_ns", "\(t.peakTimeNanoseconds)"),
            ("leaked_bytes", "\(t.leakedBytes)"),
            ("leaked_blocks", "\(t.leakedBlocks)"),
            ("suppressed_bytes", "\(t.suppressedBytes)"),
            ("suppressed_blocks", "\(t.suppressedBlocks)"),
            ("temporary_allocations", "\(t.temporaryAllocations)"),
            ("released_at_exec_bytes", "\(t.releasedAtExecBytes)"),
            ("released_at_exec_blocks", "\(t.releasedAtExecBlocks)"),
            ("distinct_stacks", "\(t.distinctStacks)"),
            ("threads", "\(t.threads)"),
            ("errors", "\(t.errors)"),
            ("cross_thread_frees", "\(t.crossThreadFrees)"),
            ("duration_ns", "\(t.durationNanoseconds)"),
            ("truncated", analysis.truncated ? "true" : "false"),
            ("scope", jsonString(analysis.scope)),
            ("command_line", "[" + analysis.metadata.commandLine.map(jsonString).joined(separator: ",") + "]"),
            ("earlier_command_lines", "[" + analysis.metadata.earlierCommandLines.map {
                "[" + $0.map(jsonString).joined(separator: ",") + "]"
            }.joined(separator: ",") + "]"),
            ("warnings", "[" + analysis.diagnostics.lines.map(jsonString).joined(separator: ",") + "]"),
        ]
        fields.append(("process_end", processEndJSON))
        fields.append(("overflowed", "[" + t.overflowed.sorted().map(jsonString).joined(separator: ",") + "]"))
        fields.append(("unavailable", "[" + analysis.notes.unavailable.sorted().map(jsonString).joined(separator: ",") + "]"))
        let kinds = analysis.leakKinds
        for (name, figure) in [("definitely_lost", kinds?.definitelyLost), ("indirectly_lost", kinds?.indirectlyLost),
                               ("possibly_lost", kinds?.possiblyLost), ("still_reachable", kinds?.stillReachable)] {
            fields.append(("\(name)_bytes", figure.map { "\($0.bytes)" } ?? "null"))
            fields.append(("\(name)_blocks", figure.map { "\($0.blocks)" } ?? "null"))
        }
        // Part of still_reachable: the C library's own blocks, which memcheck frees with
        // __libc_freeres and does not report.
        fields.append(("still_reachable_c_library_bytes", kinds.map { "\($0.heldByCLibrary.bytes)" } ?? "null"))
        fields.append(("still_reachable_c_library_blocks", kinds.map { "\($0.heldByCLibrary.blocks)" } ?? "null"))
        fields.append(("leak_kinds_caveat", kinds == nil ? "null" : jsonString(LeakKinds.caveat)))
        if !analysis.contexts.isEmpty { // absent from dumps without scope or task records
            fields.append(("contexts", "[" + analysis.contexts.map { c in
                "{\"allocations\":\(c.allocations),\"bytes_allocated\":\(c.bytesAllocated),\"entries\":\(c.entries),"
                    + "\"frees\":\(c.frees),\"kind\":\(jsonString(c.kind.rawValue)),\"live_blocks\":\(c.liveBlocks),"
                    + "\"live_bytes\":\(c.liveBytes),\"name\":\(jsonString(c.name)),\"peak_live_bytes\":\(c.peakLiveBytes),"
                    + "\"threads\":\(c.threads)}"
            }.joined(separator: ",") + "]"))
        }
        fields.sort { $0.0 < $1.0 }
        return "{" + fields.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    private var processEndJSON: String {
        guard let end = analysis.processEnd else { return "null" }
        let how = switch end.how { case .exited: "exited"; case .signalled: "signalled"; case .unknown: "unknown" }
        return "{\"code\":\(end.code),\"how\":\"\(how)\",\"time_ns\":\(saturatingMultiply(end.timestamp, analysis.metadata.clockUnitNanoseconds))}"
    }

    /// A page of text for a person.
    public func text(topSites: Int = 5) -> String {
        let a = analysis
        let t = a.totals
        var out: [String] = []
        let command = CommandLineText.quoted(a.metadata.commandLine)
        out.append("memscope summary of \(path) (\(format))")
        out.append("  command        \(command.isEmpty ? "unknown" : command)  (pid \(a.metadata.pid))")
        if let chain = a.metadata.execChain {
            out.append("  started as     \(CommandLineText.quoted(chain.firstCommandLine))  (\(Metadata.execsPhrase(chain.execs)))")
        }
        out.append("  duration       \(Units.duration(nanoseconds: t.durationNanoseconds))")
        out.append("  ended          \(a.endDescription)")
        if !a.scope.isEmpty { out.append("  scope          \(a.scope)") }
        out.append("")
        out.append("  allocations    \(Units.count(t.allocations))  (\(Units.count(t.reallocs)) reallocs, \(Units.count(t.temporaryAllocations)) temporary)")
        out.append("  frees          \(Units.count(t.frees))")
        // A figure past 64 bits (a forged dump) is a lower bound, and said so.
        func bytes(_ value: UInt64, _ key: String) -> String {
            t.overflowed.contains(key) ? "more than \(Units.bytes(value)) (the exact figure does not fit in 64 bits)"
                : "\(Units.bytes(value))  (\(Units.count(value)) bytes)"
        }
        out.append("  allocated      \(bytes(t.bytesAllocated, "bytes_allocated"))")
        out.append("  peak           \(bytes(t.peakBytes, "peak_bytes")) at \(Units.duration(nanoseconds: t.peakTimeNanoseconds))")
        out.append("  leaked         \(t.overflowed.contains("leaked_bytes") ? bytes(t.leakedBytes, "leaked_bytes") : Units.bytes(t.leakedBytes))  in \(Units.count(t.leakedBlocks, "block"))")
        if t.suppressedBlocks > 0 {
            out.append("  suppressed     \(Units.bytes(t.suppressedBytes))  in \(Units.count(t.suppressedBlocks, "block")) (\(a.suppressed.map { "leak:\($0.pattern)" }.joined(separator: ", ")))")
        }
        if t.releasedAtExecBlocks > 0 {
            out.append("  gone at exec   \(Units.bytes(t.releasedAtExecBytes))  in \(Units.count(t.releasedAtExecBlocks, "block")) live when the process replaced its program (not leaked)")
        }
        if let kinds = a.leakKinds {
            func figure(_ f: LeakKinds.Figure) -> String { "\(Units.bytes(f.bytes)) in \(Units.count(f.blocks))" }
            out.append("    definitely lost \(figure(kinds.definitelyLost)), indirectly lost \(figure(kinds.indirectlyLost)), "
                       + "possibly lost \(figure(kinds.possiblyLost)), still reachable \(figure(kinds.stillReachable))")
            if kinds.heldByCLibrary.blocks > 0 {
                out.append("    of which still reachable: \(figure(kinds.heldByCLibrary)) \(RuntimeHeldBlocks.note)")
            }
            out.append("    (leak kinds \(LeakKinds.caveat))")
        }
        out.append("  threads        \(t.threads)  (\(Units.count(t.crossThreadFrees, "block")) freed by another thread)")
        out.append("  stacks         \(Units.count(t.distinctStacks, "distinct allocation stack"))")
        let unnamed = a.unnamedSites
        if unnamed.isSignificant { out.append("    names: \(unnamed.advice)") }
        out.append("  memory errors  \(Units.count(t.errors))")
        for error in a.errors.prefix(topSites) {
            let kind = String(error.kind.rawValue.map { $0 == "_" ? " " : $0 })
            if let side = error.side { // found in memory: where, and the block's allocation
                let top = a.describeStack(error.allocationStack).first ?? "unknown location"
                out.append("    \(kind) ×\(error.count), \(error.offset) bytes \(side.name) a block of size \(error.blockSize) allocated at \(top)")
            } else {
                let top = a.describeStack(error.stack).first ?? "unknown location"
                out.append("    \(kind) ×\(error.count) at \(top)")
            }
        }
        if !a.contexts.isEmpty {
            out.append("")
            out.append("scopes and tasks the program named (allocated, live at end):")
            for c in a.contexts.prefix(topSites * 2) {
                let name = c.kind == .task ? "task \(c.name)" : "scope \(c.name)"
                out.append("  \(name): \(Units.count(c.allocations)) allocation\(c.allocations == 1 ? "" : "s"), \(Units.bytes(c.bytesAllocated)); "
                           + "\(Units.bytes(c.liveBytes)) in \(Units.count(c.liveBlocks, "block")) live at end")
            }
        }
        appendTop("peak memory", by: \.peakBytes, topSites, &out)
        appendTop("leaked memory", by: \.leakedBytes, topSites, &out)
        appendTop("allocated bytes", by: \.bytesAllocated, topSites, &out)
        return out.joined(separator: "\n") + "\n"
    }

    private func appendTop(_ title: String, by cost: KeyPath<Costs, UInt64>, _ count: Int, _ out: inout [String]) {
        // Ranked on (cost, stack) pairs, not on the sites: sorting thousands of whole
        // site records through a key path cost more than the rest of the summary.
        let ranked = analysis.sites.indices
            .map { (value: analysis.sites[$0].costs[keyPath: cost], stack: analysis.sites[$0].stack, index: $0) }
            .filter { $0.value > 0 }
            .sorted { ($0.value, $1.stack) > ($1.value, $0.stack) }
            .prefix(count)
        guard !ranked.isEmpty else { return }
        out.append("")
        out.append("top sites by \(title):")
        let titles = analysis.siteTitles(ranked.map(\.stack))
        for (site, title) in zip(ranked.map({ analysis.sites[$0.index] }), titles) {
            // The callers of the frame that names the site (past the allocator frames).
            let ids = analysis.symbols.frames(ofStack: site.stack)
            let start = analysis.siteFrame(site.stack).flatMap { ids.firstIndex(of: $0) }.map { $0 + 1 } ?? 1
            let frames = [""] + ids.dropFirst(start).prefix(2).map { analysis.describeFrame($0) }
            let value = Units.bytes(site.costs[keyPath: cost])
            out.append("  \(value + String(repeating: " ", count: max(0, 10 - value.count))) \(title)  [\(Units.count(site.costs.allocations)) allocation\(site.costs.allocations == 1 ? "" : "s")]")
            for caller in frames.dropFirst().prefix(2) { out.append("             ← \(caller)") }
        }
    }
}
