import MemscopeAnalysis
import MemscopeModel

/// The summary cards, the captured/inferred legend and the warnings.
enum SummarySection {
    /// - Parameter ownership: what the ownership section inferred (or that inference is off),
    ///   listed with the input's own inferred figures.
    static func html(_ a: Analysis, ownership: [String] = [], inferenceOff: Bool = false) -> String {
        var notes = a.notes
        notes.inferred += ownership
        let t = a.totals
        let seconds = Double(max(t.durationNanoseconds, 1)) / 1e9
        let rate = Units.count(UInt64(clamping: Double(t.allocations) / seconds))
        let temporaryShare = t.allocations == 0 ? "0" : Units.fixed(Double(t.temporaryAllocations) * 100 / Double(t.allocations), decimals: 1)
        var cards: [String] = []
        let unavailable = notes.unavailable
        func card(_ label: String, _ value: String, _ detail: String = "", bad: Bool = false, key: String = "") {
            if !key.isEmpty && unavailable.contains(key) {
                cards.append("<div class=\"card unavailable\"><div class=\"label\">\(HTML.escape(label))</div>"
                    + "<div class=\"value\">—</div><div class=\"detail\">not in this input</div></div>")
                return
            }
            cards.append("<div class=\"card\(bad ? " bad" : "")\"><div class=\"label\">\(HTML.escape(label))</div>"
                + "<div class=\"value\">\(HTML.escape(value))</div>"
                + (detail.isEmpty ? "" : "<div class=\"detail\">\(HTML.escape(detail))</div>") + "</div>")
        }
        // Times on a clock that counts something else (massif's and DHAT's instructions) are
        // said in that unit, and there is no rate per second.
        let unit = notes.timeUnit
        // A run whose events share one timestamp has no rate (heaptrack stamps in 10 ms steps).
        let perSecond = unit.isEmpty && !unavailable.contains("duration") && t.durationNanoseconds > 0
        card(unit.isEmpty ? "Duration" : "Run length", Units.time(t.durationNanoseconds, unit: unit),
             unit.isEmpty ? "last event of the dump" : "the input's clock counts \(unit)", key: "duration")
        card("Allocation calls", Units.count(t.allocations), "\(Units.count(t.reallocs)) reallocs" + (perSecond ? " · \(rate)/s" : ""),
             key: "allocations")
        card("Bytes allocated", Units.bytes(t.bytesAllocated), "\(Units.count(t.bytesAllocated)) bytes", key: "bytes_allocated")
        card("Peak live heap", Units.bytes(t.peakBytes), "at \(Units.time(t.peakTimeNanoseconds, unit: unit))", key: "peak_bytes")
        card("Leaked at end", Units.bytes(t.leakedBytes),
             lostPart(a) + (unavailable.contains("allocations") ? "block count not in this input" : "\(Units.count(t.leakedBlocks, "block")) still live")
                + (t.suppressedBlocks > 0 ? "; \(Units.bytes(t.suppressedBytes)) suppressed" : ""),
             bad: leakIsBad(a), key: "leaked_bytes")
        card("Temporary allocations", Units.count(t.temporaryAllocations), "\(temporaryShare)% of calls", key: "temporary_allocations")
        card("Threads", "\(t.threads)", "\(Units.count(t.crossThreadFrees, "block")) freed by another thread", key: "threads")
        card("Memory errors", Units.count(t.errors), t.errors == 0 ? "none seen in the events" : errorKinds(a), bad: t.errors > 0,
             key: "errors")
        // Without an end record, say so plainly (the analysis's label names the record).
        let untold = a.processEnd == nil && a.endDescription.hasSuffix("(no process_end record)")
        card("Program ended", untold ? "unknown" : a.endDescription,
             a.processEnd != nil ? "recorded by the producer" : untold ? "the input does not say how the program ended" : "",
             bad: a.processEnd?.how == .signalled)
        var html = a.scope.isEmpty ? "" : "<div class=\"warnings\"><strong>Restricted view:</strong> \(HTML.escape(a.scope)).</div>\n"
        html += "<div class=\"cards\">\(cards.joined())</div>\n"
        let inferredNote = inferenceOff ? "none: inference is off (--no-inference)"
            : notes.inferred.isEmpty ? "none in this report" : "listed below, each with its rule"
        let captured = notes.source.isEmpty ? "computed exactly from the recorded events" : "taken exactly from the input file"
        html += "<div class=\"legend\"><span><span class=\"badge captured\">captured</span> \(captured)"
            + "\(notes.inferred.isEmpty ? ": every figure on this page" : "")</span><span><span class=\"badge inferred\">inferred</span> "
            + "derived by a rule, shown with its evidence and confidence: \(inferredNote)</span></div>\n"
        if let kinds = a.leakKinds {
            func figure(_ name: String, _ f: LeakKinds.Figure) -> String {
                "<span><strong>\(HTML.escape(name))</strong> \(HTML.escape(Units.bytes(f.bytes))) in \(Units.count(f.blocks, "block"))</span>"
            }
            html += "<div class=\"input-notes\"><p><span class=\"badge inferred\">observed</span> Leak kinds from the recorder's "
                + "scan of memory at exit: " + [figure("definitely lost", kinds.definitelyLost), figure("indirectly lost", kinds.indirectlyLost),
                                                 figure("possibly lost", kinds.possiblyLost), figure("still reachable", kinds.stillReachable)]
                    .joined(separator: " · ")
                + (kinds.heldByCLibrary.blocks > 0 ? "; of the still reachable memory, \(HTML.escape(Units.bytes(kinds.heldByCLibrary.bytes))) in \(Units.count(kinds.heldByCLibrary.blocks, "block")) is \(HTML.escape(RuntimeHeldBlocks.note))" : "")
                + (kinds.notScanned.blocks > 0 ? " · <span><strong>not scanned</strong> \(HTML.escape(Units.bytes(kinds.notScanned.bytes))) in \(Units.count(kinds.notScanned.blocks, "block"))</span>" : "")
                + ".</p><p class=\"note\">Caveat: \(HTML.escape(LeakKinds.caveat)).</p></div>\n"
        }
        if !notes.isEmpty {
            html += "<div class=\"input-notes\">"
            if !notes.source.isEmpty { html += "<p><strong>Input:</strong> \(HTML.escape(notes.source))</p>" }
            if !notes.inferred.isEmpty {
                html += "<p><span class=\"badge inferred\">inferred</span> in this report:</p><ul>"
                    + notes.inferred.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
            }
            if !notes.missingViews.isEmpty {
                html += "<p>What this input cannot show:</p><ul>" + notes.missingViews.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
            }
            html += "</div>\n"
        }
        let unnamed = a.unnamedSites
        if unnamed.isSignificant {
            html += "<div class=\"input-notes\"><p><strong>Names:</strong> \(HTML.escape(unnamed.advice))</p></div>\n"
        }
        if !a.diagnostics.isEmpty {
            html += "<div class=\"warnings\"><strong>Warnings while reading this dump</strong><ul>"
            html += a.diagnostics.lines.map { "<li>\(HTML.escape($0))</li>" }.joined()
            html += "</ul></div>\n"
        }
        return html
    }

    /// The "Leaked at end" card is red for memory the program lost: definitely or
    /// indirectly lost bytes when the dump has a reference scan (still reachable and
    /// possibly lost memory, such as the C library's buffers, is not), else any leak.
    /// With leak kinds from a scan, the card says how much of what was left is lost (the
    /// part that makes it red), e.g. "15.5 KiB definitely or indirectly lost · ": most of a
    /// large figure is often still reachable.
    static func lostPart(_ a: Analysis) -> String {
        guard let kinds = a.leakKinds, a.totals.leakedBytes > 0 else { return "" }
        let lost = kinds.lostBytes
        return lost == 0 ? "none lost · " : "\(Units.bytes(lost)) definitely or indirectly lost · "
    }

    static func leakIsBad(_ a: Analysis) -> Bool {
        guard let kinds = a.leakKinds else { return a.totals.leakedBytes > 0 }
        return kinds.lostBytes > 0
    }

    /// The kinds of the errors, e.g. "overflow, write after free".
    static func errorKinds(_ a: Analysis) -> String {
        var kinds: [String] = []
        for e in a.errors {
            let name = switch e.kind {
            case .doubleFree, .invalidFree, .reallocAfterFree, .invalidRealloc: "double or invalid frees"
            case .overflow: "overflows"
            case .writeAfterFree: "writes after free"
            }
            if !kinds.contains(name) { kinds.append(name) }
        }
        return kinds.isEmpty ? "double or invalid frees" : kinds.joined(separator: ", ")
    }
}
