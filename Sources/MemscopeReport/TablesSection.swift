import MemscopeAnalysis
import MemscopeLayout
import MemscopeModel

/// The tables: top sites, leaks, temporary allocations, threads, hand-offs, errors, reuse.
enum TablesSection {
    static let maxRows = 50
    static let maxThreadRows = 200

    static func html(_ a: Analysis, source: SourceContext = SourceContext(), threadLanes: String = "") -> String {
        [topSites(a, source: source), leaks(a), temporary(a), threads(a, lanes: threadLanes), handOffs(a),
         ContextsSection.html(a), ModulesSection.html(a), reuse(a)]
            .joined(separator: "\n")
    }

    // MARK: - Pieces

    static func num(_ value: UInt64, bytes: Bool = false) -> String {
        "<td class=\"num\" data-value=\"\(value)\">\(HTML.escape(bytes ? Units.bytes(value) : Units.count(value)))</td>"
    }

    /// A site: its title (first frame outside the allocator), and its whole stack folded
    /// under a disclosure.
    /// - Parameter titles: titles told apart among a table's rows (``titles(_:_:)``).
    static func site(_ a: Analysis, _ stack: UInt32, titles: [UInt32: String] = [:], open: Bool = false,
                     source: SourceContext? = nil) -> String {
        let frames = a.describeStack(stack)
        guard !frames.isEmpty else { return "<td class=\"fn\"><span class=\"empty\">no stack recorded</span></td>" }
        let list = stackList(frames)
        let title = titles[stack] ?? a.siteTitle(stack)
        // The function that names the site, as the flamegraph names its box: the page links the two.
        let frame = a.siteFrame(stack) ?? a.symbols.frames(ofStack: stack).first ?? 0
        return "<td class=\"fn\" data-frame=\"\(HTML.escape(a.symbols.displayName(ofFrame: frame)))\"><details\(open ? " open" : "")><summary>\(HTML.escape(title))</summary>"
            + "\(source?.html(a, stack: stack) ?? "")<ol class=\"stack\">\(list)</ol></details></td>"
    }

    /// Frames of a table's stack, innermost first. A stack deeper than ``stackLimit`` keeps its
    /// innermost frames and its outermost few, and says how many are left out: an
    /// interpreter's 100-frame stacks made a table of 50 sites weigh 0.7 MB, and the page
    /// then had no room for the per-slice figures of a range selection. The flamegraph and
    /// `memscope export` have every frame.
    static func stackList(_ frames: [String]) -> String {
        let lines = frames.count <= stackLimit ? frames[...] : frames.prefix(stackLimit - outermostKept)
        var html = lines.map { "<li>\(HTML.escape($0))</li>" }.joined()
        if frames.count > stackLimit {
            let left = frames.count - lines.count - outermostKept
            html += "<li class=\"more\">… \(left) frames more (the flamegraph shows every frame)</li>"
            // The list's numbers stay the frames' depths: the outermost frames go on from theirs.
            let first = frames.count - outermostKept + 1
            html += frames.suffix(outermostKept).enumerated()
                .map { "<li\($0.offset == 0 ? " value=\"\(first)\"" : "")>\(HTML.escape($0.element))</li>" }.joined()
        }
        return html
    }

    /// Most frames a table lists for one stack, and how many of them are its outermost.
    static let stackLimit = 48
    static let outermostKept = 6

    /// The titles of a table's sites, told apart where they would read the same.
    static func titles(_ a: Analysis, _ sites: some Sequence<SiteStats>) -> [UInt32: String] {
        let stacks = sites.map(\.stack)
        return Dictionary(zip(stacks, a.siteTitles(stacks)), uniquingKeysWith: { first, _ in first })
    }

    static func table(_ headers: [(String, Bool)], rows: [String], sortable: Bool = true, id: String? = nil) -> String {
        let head = headers.map { "<th\($0.1 ? " class=\"num\"" : "")>\(HTML.escape($0.0))</th>" }.joined()
        return "<table\(id.map { " id=\"\($0)\"" } ?? "")\(sortable ? " class=\"sortable\"" : "")><thead><tr>\(head)</tr></thead><tbody>\(rows.joined())</tbody></table>"
    }

    // MARK: - Tables

    static func topSites(_ a: Analysis, source: SourceContext) -> String {
        let sites = a.rankedSites(limit: maxRows) { (a.sites[$0].costs.bytesAllocated, a.sites[$1].stack) > (a.sites[$1].costs.bytesAllocated, a.sites[$0].stack) }
        let titles = titles(a, sites)
        let rows = sites.map { s in
            "<tr>\(site(a, s.stack, titles: titles, source: source))\(num(s.costs.allocations))\(num(s.costs.bytesAllocated, bytes: true))"
                + "\(num(s.costs.peakBytes, bytes: true))\(num(s.costs.leakedBytes, bytes: true))\(num(s.costs.temporaryAllocations))"
                + "<td class=\"num\" data-value=\"\(s.lifetimes.meanNanoseconds)\">\(s.lifetimes.count == 0 ? "–" : HTML.escape(Units.duration(nanoseconds: s.lifetimes.meanNanoseconds)))</td>"
                + "\(num(s.reallocs))</tr>"
        }
        return "<h3>Top allocation sites</h3><p class=\"note\">The \(sites.count) sites (full stacks) that allocated the most bytes, "
            + "of \(a.sites.count). Click a column to sort; open a site for its stack.</p>"
            + table([("site", false), ("calls", true), ("allocated", true), ("at peak", true), ("leaked", true),
                     ("temporary", true), ("mean lifetime", true), ("reallocs", true)], rows: rows, id: "sites-table")
    }

    static func suppressed(_ a: Analysis) -> String {
        guard !a.suppressed.isEmpty else { return "" }
        let rows = a.suppressed.map { s in
            "<tr><td><code>leak:\(HTML.escape(s.pattern))</code> (line \(s.line))</td>\(num(s.sites))\(num(s.blocks))\(num(s.bytes, bytes: true))</tr>"
        }
        return "<h3>Suppressed leaks</h3><p class=\"note\">Leaks matched by the suppressions file: counted here, not in the leak figures "
            + "(\(Units.bytes(a.totals.suppressedBytes)) in \(Units.count(a.totals.suppressedBlocks, "block"))).</p>"
            + table([("rule", false), ("sites", true), ("blocks", true), ("bytes", true)], rows: rows, sortable: false)
    }

    static func leaks(_ a: Analysis) -> String {
        let leaking = a.rankedSites(where: { a.sites[$0].costs.leakedBytes > 0 || a.sites[$0].costs.leakedBlocks > 0 }) {
            (a.sites[$0].costs.leakedBytes, a.sites[$1].stack) > (a.sites[$1].costs.leakedBytes, a.sites[$0].stack)
        }
        guard !leaking.isEmpty else {
            return "<h3>Leaks</h3><p class=\"empty\">\(a.suppressed.isEmpty ? "Every allocated block was freed." : "No leaks but suppressed ones.")</p>"
                + suppressed(a)
        }
        let titles = titles(a, leaking.prefix(maxRows))
        let rows = leaking.prefix(maxRows).map { s in
            "<tr>\(site(a, s.stack, titles: titles))\(num(s.costs.leakedBytes, bytes: true))\(num(s.costs.leakedBlocks))"
                + "\(num(s.costs.allocations))</tr>"
        }
        return "<h3>Leaks by site</h3><p class=\"note\">Blocks still live when the dump ends, by allocation stack "
            + "(\(leaking.count) sites, \(Units.bytes(a.totals.leakedBytes)) in \(Units.count(a.totals.leakedBlocks, "block"))).</p>"
            + table([("allocated at", false), ("leaked", true), ("blocks", true), ("calls", true)], rows: rows, id: "leaks-table")
            + suppressed(a)
    }

    static func temporary(_ a: Analysis) -> String {
        let sites = a.rankedSites(where: { a.sites[$0].costs.temporaryAllocations > 0 }) {
            (a.sites[$0].costs.temporaryAllocations, a.sites[$1].stack) > (a.sites[$1].costs.temporaryAllocations, a.sites[$0].stack)
        }
        guard !sites.isEmpty else { return "<h3>Temporary allocations</h3><p class=\"empty\">None.</p>" }
        let titles = titles(a, sites.prefix(30))
        let rows = sites.prefix(30).map { s in
            let share = Units.fixed(Double(s.costs.temporaryAllocations) * 100 / Double(max(s.costs.allocations, 1)), decimals: 1)
            return "<tr>\(site(a, s.stack, titles: titles))\(num(s.costs.temporaryAllocations))\(num(s.costs.allocations))"
                + "<td class=\"num\" data-value=\"\(share)\">\(share)%</td></tr>"
        }
        return "<h3>Temporary allocations by site</h3><p class=\"note\">A temporary allocation is freed before any other "
            + "allocation or free happens (heaptrack's definition): churn that a reused buffer would avoid.</p>"
            + table([("site", false), ("temporary", true), ("calls", true), ("share", true)], rows: rows, id: "temporary-table")
    }

    static func threads(_ a: Analysis, lanes: String = "") -> String {
        guard !a.threads.isEmpty else { return "" }
        let picture = lanes.isEmpty ? "" : "<p class=\"note\">Live bytes of the blocks each thread allocated, over time "
            + "(each lane shaded by its own maximum, on the right).</p><figure>\(lanes)</figure>"
        // The threads that allocated the most (a dump may name a million threads).
        let shown = a.threads.count <= maxThreadRows ? a.threads
            : Array(a.threads.sorted { ($0.bytesAllocated, $1.thread) > ($1.bytesAllocated, $0.thread) }.prefix(maxThreadRows))
        let rows = shown.map { t in
            "<tr><td data-value=\"\(t.thread)\">\(HTML.escape(String(t.thread)))</td><td>\(HTML.escape(t.name))</td>"
                + "\(num(t.allocations))\(num(t.bytesAllocated, bytes: true))\(num(t.peakBytes, bytes: true))"
                + "\(num(t.liveBytes, bytes: true))\(num(t.frees))"
                + "<td class=\"num\" data-value=\"\(t.firstSeenNanoseconds)\">\(HTML.escape(Units.duration(nanoseconds: t.firstSeenNanoseconds)))</td>"
                + "<td class=\"num\" data-value=\"\(t.lastSeenNanoseconds)\">\(HTML.escape(Units.duration(nanoseconds: t.lastSeenNanoseconds)))</td></tr>"
        }
        let count = shown.count < a.threads.count
            ? " The \(shown.count) threads that allocated the most bytes, of \(Units.count(UInt64(a.threads.count)))." : ""
        return "<h3>Threads</h3>\(picture)<p class=\"note\">Peak and live count the blocks each thread allocated, wherever they were freed.\(count)</p>"
            + table([("thread", false), ("name", false), ("calls", true), ("allocated", true), ("peak", true),
                     ("live at end", true), ("frees", true), ("first seen", true), ("last seen", true)], rows: rows)
    }

    static func handOffs(_ a: Analysis) -> String {
        guard !a.crossThread.isEmpty else { return "" }
        let rows = a.crossThread.prefix(maxRows).map { p in
            "<tr><td>\(HTML.escape(a.threadLabel(p.allocatingThread)))</td><td>\(HTML.escape(a.threadLabel(p.freeingThread)))</td>"
                + "\(num(p.blocks))\(num(p.bytes, bytes: true))</tr>"
        }
        return "<h3>Cross-thread frees</h3><p class=\"note\">Blocks allocated on one thread and freed on another: buffers handed over.</p>"
            + table([("allocated by", false), ("freed by", false), ("blocks", true), ("bytes", true)], rows: rows)
    }

    static let explanations: [MemoryErrorSite.Kind: String] = [
        .doubleFree: "The block at this address was already freed, and is freed again. glibc usually aborts here.",
        .invalidFree: "This address never held a block in the dump: a pointer into the middle of a block, to static memory, or garbage.",
        .reallocAfterFree: "realloc was given a pointer whose block was already freed.",
        .invalidRealloc: "realloc was given an address that never held a block in the dump.",
        .overflow: "The program wrote outside the block: a red zone next to it (record --guard) was changed. "
            + "The write itself is not seen, only the damage, found when the block was freed or at exit.",
        .writeAfterFree: "The program wrote to the block after freeing it: the pattern it was filled with in quarantine "
            + "(record --quarantine) was changed. The write itself is not seen, only the damage, found when the block left quarantine or at exit.",
    ]

    /// Where the damage is, in memcheck's words ("1 bytes after a block of size 10").
    static func damage(_ e: MemoryErrorSite) -> String {
        guard let side = e.side else { return "" }
        let place = switch side {
        case .inside: "\(e.offset) bytes inside a block of size \(e.blockSize) (the first changed byte)"
        case .after: "\(e.offset) bytes after a block of size \(e.blockSize) (the nearest changed byte)"
        case .before: "\(e.offset) bytes before a block of size \(e.blockSize) (the nearest changed byte)"
        }
        return "\(Units.count(e.bytesDamaged)) byte\(e.bytesDamaged == 1 ? "" : "s") changed; \(place)"
    }

    /// One block per distinct error: what happened, then its stacks side by side.
    static func errors(_ a: Analysis) -> String {
        guard !a.errors.isEmpty else { return "" }
        func stack(_ title: String, _ id: UInt32) -> String {
            guard id != 0 else { return "" }
            let frames = a.describeStack(id).map { "<li>\(HTML.escape($0))</li>" }.joined()
            return "<div><strong>\(HTML.escape(title))</strong><ol class=\"stack\">\(frames)</ol></div>"
        }
        let blocks = a.errors.map { e in
            let found = e.kind == .overflow || e.kind == .writeAfterFree
            let foundByTheFree = e.foundStack != 0 && e.foundStack == e.firstFreeStack
            let stacks = found
                ? (e.foundStack == 0 ? "<div><strong>found at exit</strong></div>"
                    : foundByTheFree ? "" : stack("found by", e.foundStack))
                    + stack("allocated at", e.allocationStack)
                    + stack(foundByTheFree ? "freed at (found there)" : "freed at", e.firstFreeStack)
                : stack("the bad call", e.stack) + stack("allocated at", e.allocationStack) + stack("first freed at", e.firstFreeStack)
            let detail = found ? "<div>\(HTML.escape(damage(e)))</div>" : ""
            return "<div class=\"error\"><div><span class=\"error-kind\">\(HTML.escape(e.kind.rawValue.replacingUnderscores))</span>"
                + " ×\(Units.count(e.count)), first at \(HTML.escape(Units.hex(e.firstAddress))), "
                + "\(HTML.escape(Units.duration(nanoseconds: e.firstTimeNanoseconds))), thread \(HTML.escape(a.threadLabel(e.firstThread)))"
                + detail + "<div class=\"note\">\(HTML.escape(explanations[e.kind] ?? ""))</div></div>"
                + "<div class=\"stacks\">\(stacks)</div></div>"
        }
        return "<p class=\"note\">One entry per distinct error site (\(Units.count(a.totals.errors)) error\(a.totals.errors == 1 ? "" : "s") in all). Double and "
            + "invalid frees are seen in the heap events. Overflows and writes after free are seen only when the program was "
            + "recorded with <code>memscope record --guard</code> and <code>--quarantine SIZE</code>, and only as damage found "
            + "later. Reads after free and reads past a block cannot be seen this way at all.</p>"
            + blocks.joined()
    }

    static func reuse(_ a: Analysis) -> String {
        let r = a.addressReuse
        let c = a.reallocChains
        let rows = [
            "<tr><td>distinct addresses</td>\(num(r.distinctAddresses))</tr>",
            "<tr><td>addresses that held more than one block</td>\(num(r.reusedAddresses))</tr>",
            "<tr><td>allocations at a reused address</td>\(num(r.allocationsAtReusedAddresses))</tr>",
            "<tr><td>most blocks at one address (generations)</td>\(num(r.maxGeneration))</tr>",
            "<tr><td>realloc chains (buffers grown by realloc)</td>\(num(c.chains))</tr>",
            "<tr><td>reallocs / of which moved the block</td><td class=\"num\">\(Units.count(c.reallocs)) / \(Units.count(c.moves))</td></tr>",
            "<tr><td>longest chain (reallocs)</td>\(num(c.longest))</tr>",
        ]
        var html = "<h3>Address reuse and realloc chains</h3><p class=\"note\">Reuse matters when reading errors: a stale pointer "
            + "to a reused address frees someone else's block.</p>" + table([("", false), ("", true)], rows: rows, sortable: false)
        if c.longestRootStack != 0 {
            html += "<p class=\"note\">The longest chain started at:</p><ol class=\"stack\">"
                + a.describeStack(c.longestRootStack).map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ol>"
        }
        return html
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
