import MemscopeAnalysis
import MemscopeLayout
import MemscopeModel

/// What the page draws over the memory-over-time picture: the picture's own plot rectangle
/// and scales (from ``TimelineLayout``), and where each site's costs sit in the report's
/// flamegraphs, so the page can add up the analysis' per-slice figures for a selected range.
public struct TimelineOverlay: Sendable {
    public var geometry: TimelineGeometry
    /// Per site (index in ``Analysis/sites``): its box in the top-down flamegraph, or -1
    /// when the frame filter leaves it out.
    public var topDownBoxes: [Int32]
    /// The same in the bottom-up flamegraph.
    public var bottomUpBoxes: [Int32]

    public init(geometry: TimelineGeometry, topDownBoxes: [Int32], bottomUpBoxes: [Int32]) {
        self.geometry = geometry
        self.topDownBoxes = topDownBoxes
        self.bottomUpBoxes = bottomUpBoxes
    }

    /// The overlay of a report whose flamegraphs were built from `analysis` (its trees
    /// already filtered by `filter`), with each tree node's box in the graphs.
    /// - Parameter siteNodes: the sites' nodes when known (``SharedViewTrees/RunTrees/siteNodes(of:)``);
    ///   found through `filter` otherwise.
    public init(_ analysis: Analysis, filter: FrameFilter, topDownBoxOfNode: [Int32], bottomUpBoxOfNode: [Int32],
                options: TimelineLayoutOptions = .default, siteNodes: SiteNodes? = nil) {
        let nodes = siteNodes ?? filter.siteNodes(in: analysis)
        func box(_ node: Int32, _ map: [Int32]) -> Int32 { node >= 0 && Int(node) < map.count ? map[Int(node)] : -1 }
        self.init(geometry: TimelineLayout.geometry(analysis, options: options),
                  topDownBoxes: nodes.topDown.map { box($0, topDownBoxOfNode) },
                  bottomUpBoxes: nodes.bottomUp.map { box($0, bottomUpBoxOfNode) })
    }
}

/// The `timeline-data` JSON: thinned memory-over-time points (the peak kept), RSS samples,
/// the picture's geometry, and the per-slice figures of every site for range selection.
enum TimelineData {
    /// Most points the page gets for hover (neighbours merge, maxima kept, sums added).
    static let maxPoints = 1024
    /// Most bytes of per-slice data; beyond it slices merge in pairs (still exact), and
    /// below ``minSlices`` slices the range selection is left out.
    static let sliceBudget = 1_500_000
    static let minSlices = 8
    /// Longest site title in the range table, in characters.
    static let maxTitle = 96
    /// Most sites whose titles are told apart by their callers.
    static let maxToldApart = 1_000
    /// The whole page stays below this: the slices get what the rest leaves, up to ``sliceBudget``.
    static let pageLimit = 4_900_000
    /// Below this the per-slice figures are not tried (the rest of the page took the room).
    static let minimumBudget = 50_000
    /// Larger numbers lose precision in the page's arithmetic.
    static let exactInJavaScript: UInt64 = 1 << 53

    /// The data, or nil when the report has no memory-over-time picture.
    /// - Parameter budget: most bytes for the per-slice figures.
    static func json(_ input: ReportInput, budget: Int = sliceBudget) -> String? {
        prepared(input)?.json(budget: budget)
    }

    /// The data but for its per-slice figures' budget, or nil when the report has no
    /// memory-over-time picture: a page learns the budget only once its other parts are
    /// written, and prepares the rest meanwhile.
    static func prepared(_ input: ReportInput) -> Prepared? {
        let a = input.analysis
        guard let overlay = input.timeline, !a.notes.unavailable.contains("timeline") else { return nil }
        let g = overlay.geometry
        var parts: [String] = []
        parts.append("\"geometry\":{\"width\":\(number(g.width)),\"height\":\(number(g.height)),"
            + "\"plotLeft\":\(number(g.plotLeft)),\"plotWidth\":\(number(g.plotWidth)),\"durationNs\":\(g.durationNanoseconds),"
            + "\"heapTop\":\(number(g.heapTop)),\"heapHeight\":\(number(g.heapHeight)),\"bytesMax\":\(number(g.bytesMax)),"
            + "\"rateTop\":\(g.rateTop.map(number) ?? "null"),\"rateHeight\":\(number(g.rateHeight)),\"rateMax\":\(number(g.rateMax))}")
        parts.append("\"unit\":\(jsonString(a.notes.timeUnit))")
        parts.append("\"rates\":\(!a.notes.unavailable.contains("bytes_allocated"))")
        parts.append("\"peak\":{\"t\":\(a.totals.peakTimeNanoseconds),\"bytes\":\(a.totals.peakBytes)}")
        let (interval, points) = thinned(a.timeline)
        parts.append("\"intervalNs\":\(interval)")
        parts.append("\"maxLive\":" + array(points.map(\.maxLiveBytes)))
        parts.append("\"endLive\":" + array(points.map(\.endLiveBytes)))
        parts.append("\"allocations\":" + array(points.map(\.allocations)))
        parts.append("\"bytesAllocated\":" + array(points.map(\.bytesAllocated)))
        if a.rss.isEmpty {
            parts.append("\"rss\":null")
        } else {
            parts.append("\"rss\":{\"t\":\(array(a.rss.points.map(\.timeNanoseconds))),\"bytes\":\(array(a.rss.points.map(\.residentBytes))),"
                + "\"samples\":\(a.rss.samples)}")
        }
        return Prepared(parts: parts, slices: preparedSlices(input, overlay: overlay))
    }

    /// The timeline data with everything but its per-slice figures written.
    struct Prepared: Sendable {
        fileprivate var parts: [String]
        fileprivate var slices: Result<PreparedSlices, NoRanges>

        /// The data, its per-slice figures in at most `budget` bytes.
        func json(budget: Int) -> String {
            var parts = self.parts
            let (slices, why): (String?, String)
            switch self.slices {
            case .success(let prepared): (slices, why) = prepared.json(budget: budget)
            case .failure(let noRanges): (slices, why) = (nil, noRanges.why)
            }
            parts.append("\"slices\":\(slices ?? "null")")
            parts.append("\"noRanges\":\(jsonString(why))")
            return "{" + parts.joined(separator: ",") + "}"
        }
    }

    /// Why a report's range selection is left out.
    fileprivate struct NoRanges: Error {
        var why: String
    }

    /// The timeline with neighbouring points merged in pairs until at most ``maxPoints``:
    /// each keeps the highest live bytes (so the peak stays), the last end, and the sums.
    static func thinned(_ timeline: Timeline) -> (intervalNanoseconds: UInt64, points: [Timeline.Point]) {
        var points = timeline.points
        var interval = timeline.intervalNanoseconds
        while points.count > maxPoints {
            points = stride(from: 0, to: points.count, by: 2).map { i in
                guard i + 1 < points.count else { return points[i] }
                var p = points[i]
                let q = points[i + 1]
                p.maxLiveBytes = max(p.maxLiveBytes, q.maxLiveBytes)
                p.minLiveBytes = min(p.minLiveBytes, q.minLiveBytes)
                p.endLiveBytes = q.endLiveBytes
                p.allocations &+= q.allocations
                p.bytesAllocated = p.bytesAllocated.addingReportingOverflow(q.bytesAllocated).overflow
                    ? UInt64.max : p.bytesAllocated + q.bytesAllocated
                p.frees &+= q.frees
                return p
            }
            interval = interval.multipliedSaturating(by: 2)
        }
        return (interval, points)
    }

    /// The per-slice figures but for their budget: the slices checked against the
    /// flamegraphs, each site's title, and the trees' boxes; or why there are none.
    fileprivate static func preparedSlices(_ input: ReportInput, overlay: TimelineOverlay) -> Result<PreparedSlices, NoRanges> {
        let a = input.analysis
        guard a.scope.isEmpty else {
            return .failure(NoRanges(why: "This report covers a part of the run already (--from, --to or --thread), so no range is selected within it."))
        }
        guard let recorded = a.slices else {
            return .failure(NoRanges(why: a.notes.unavailable.contains("allocations")
                ? "This input records no allocation events (only totals), so a range of time cannot be recomputed."
                : "This report has no per-slice figures, so a range cannot be selected."))
        }
        guard recorded.isExact else { return .failure(NoRanges(why: "A byte sum of this input does not fit in 64 bits, so a range cannot be selected.")) }
        guard recorded.slices.count >= 2 else {
            return .failure(NoRanges(why: "Every allocation of this input falls in one slice of time, so there is no range to select within the run."))
        }
        var siteIndex: [UInt32: Int] = [:]
        for i in a.sites.indices { siteIndex[a.sites[i].stack] = i }
        guard let used = check(recorded, siteIndex: siteIndex, analysis: a, overlay: overlay, graphs: (input.topDown, input.bottomUp)) else {
            return .failure(NoRanges(why: "The per-slice figures do not add up to the flamegraphs' (an internal check failed), so a range cannot be selected."))
        }
        let titles = Self.titles(a, used.map { a.sites[$0].stack })
        var titleOf = [String](repeating: "", count: a.sites.count)
        // Long titles are cut in the middle (their start and their file:line and module stay):
        // a dump of thousands of sites would otherwise spend the budget on names.
        for (site, title) in zip(used, titles) { titleOf[site] = ReadableName.middleCut(title, limit: maxTitle) }
        let tail = ",\"td\":\(array(overlay.topDownBoxes)),\"bu\":\(array(overlay.bottomUpBoxes)),"
            + "\"titles\":[\(titleOf.map(jsonString).joined(separator: ","))]}"
        return .success(PreparedSlices(recorded: recorded, siteIndex: siteIndex, tail: tail))
    }

    /// The per-slice figures, ready to be merged to a budget and written.
    fileprivate struct PreparedSlices: Sendable {
        var recorded: TimelineSlices
        /// Per stack, its site's index in ``Analysis/sites``.
        var siteIndex: [UInt32: Int]
        /// Everything after the cells: the boxes and the titles.
        var tail: String

        /// `{"ns", "count", "cells": per slice [site, calls, bytes, frees, live change, live
        /// blocks change, …], "td", "bu", "titles"}`, in at most `budget` bytes; or nil and why not.
        func json(budget: Int) -> (String?, String) {
            // Fewer, wider slices until the figures fit (merging keeps every sum exact).
            var slices = recorded
            while 64 + cellBytes(slices, siteIndex: siteIndex) + tail.utf8.count > budget {
                guard budget >= minimumBudget else {
                    return (nil, "The rest of this report already weighs what the page is kept under (\(Units.fixed(Double(pageLimit) / 1e6, decimals: 1)) MB), so it has no room for per-slice figures and a range cannot be selected.")
                }
                guard slices.slices.count / 2 >= minSlices else {
                    return (nil, "This dump's per-slice figures would weigh more than \(Units.fixed(Double(budget) / 1e6, decimals: 1)) MB, so a range cannot be selected.")
                }
                slices = slices.merged(by: 2)
            }
            var out = Array("{\"ns\":\(slices.sliceNanoseconds),\"count\":\(slices.slices.count),\"cells\":[".utf8)
            out.reserveCapacity(cellBytes(slices, siteIndex: siteIndex) + tail.utf8.count + 64)
            for (k, slice) in slices.slices.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "["))
                for (c, cell) in slice.enumerated() {
                    if c > 0 { out.append(UInt8(ascii: ",")) }
                    appendDecimal(Int64(siteIndex[cell.stack]!), to: &out)
                    for value in [Int64(cell.allocations), Int64(cell.bytesAllocated), Int64(cell.frees), cell.liveBytesChange, cell.liveBlocksChange] {
                        out.append(UInt8(ascii: ","))
                        appendDecimal(value, to: &out)
                    }
                }
                out.append(UInt8(ascii: "]"))
            }
            out.append(UInt8(ascii: "]"))
            out.append(contentsOf: tail.utf8)
            return (String(decoding: out, as: UTF8.self), "")
        }
    }

    /// Site titles told apart (``Analysis/siteTitles(_:)``); above ``maxToldApart`` sites,
    /// whose telling apart compares the callers of every pair of alike titles, alike titles
    /// get their stack's number instead.
    static func titles(_ a: Analysis, _ stacks: [UInt32]) -> [String] {
        guard stacks.count > maxToldApart else { return a.siteTitles(stacks) }
        var titles = a.plainSiteTitles(stacks)
        var seen: [String: Int] = [:]
        for title in titles { seen[title, default: 0] += 1 }
        for i in titles.indices where seen[titles[i]]! > 1 { titles[i] += " [stack \(stacks[i])]" }
        return titles
    }

    /// The bytes the cells take in JSON (digits, signs, commas and brackets), without writing them.
    fileprivate static func cellBytes(_ slices: TimelineSlices, siteIndex: [UInt32: Int]) -> Int {
        var total = 2
        for slice in slices.slices {
            total += 3
            for cell in slice {
                total += 6 + decimalLength(Int64(siteIndex[cell.stack] ?? 0)) + decimalLength(Int64(cell.allocations))
                    + decimalLength(Int64(cell.bytesAllocated)) + decimalLength(Int64(cell.frees))
                    + decimalLength(cell.liveBytesChange) + decimalLength(cell.liveBlocksChange)
            }
        }
        return total
    }

    private static func decimalLength(_ value: Int64) -> Int {
        var v = value.magnitude
        var n = value < 0 ? 2 : 1
        while v >= 10 {
            v /= 10
            n += 1
        }
        return n
    }

    fileprivate static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let v = value.magnitude
        var scale: UInt64 = 1
        while scale <= v / 10 { scale *= 10 }
        while scale > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v / scale % 10))
            scale /= 10
        }
    }

    /// Checks that all slices together give each flamegraph box its bytes allocated, calls
    /// and leaked bytes, and that every figure is exact in the page's arithmetic; returns
    /// the sites with any figure (indices in ``Analysis/sites``), or nil.
    private static func check(_ slices: TimelineSlices, siteIndex: [UInt32: Int], analysis a: Analysis,
                              overlay: TimelineOverlay, graphs: (FlameGraph, FlameGraph)) -> [Int]? {
        var used = [Bool](repeating: false, count: a.sites.count)
        var perSite = [(calls: UInt64, bytes: UInt64, live: Int64)](repeating: (0, 0, 0), count: a.sites.count)
        for cell in slices.slices.joined() {
            guard let site = siteIndex[cell.stack] else { return nil }
            guard [cell.allocations, cell.bytesAllocated, cell.frees].allSatisfy({ $0 < exactInJavaScript }),
                  cell.liveBytesChange.magnitude < exactInJavaScript else { return nil }
            used[site] = true
            perSite[site].calls &+= cell.allocations
            perSite[site].bytes &+= cell.bytesAllocated
            perSite[site].live &+= cell.liveBytesChange
        }
        for (graph, boxes) in [(graphs.0, overlay.topDownBoxes), (graphs.1, overlay.bottomUpBoxes)] {
            guard boxes.count == a.sites.count else { return nil }
            var sums = [(calls: UInt64, bytes: UInt64, live: Int64)](repeating: (0, 0, 0), count: graph.nodes.count)
            for (site, box) in boxes.enumerated() where box >= 0 {
                guard Int(box) < sums.count else { return nil }
                sums[Int(box)].calls &+= perSite[site].calls
                sums[Int(box)].bytes &+= perSite[site].bytes
                sums[Int(box)].live &+= perSite[site].live
            }
            for i in stride(from: sums.count - 1, to: 0, by: -1) {
                let p = graph.nodes[i].parent
                sums[p].calls &+= sums[i].calls
                sums[p].bytes &+= sums[i].bytes
                sums[p].live &+= sums[i].live
            }
            for (i, node) in graph.nodes.enumerated() {
                guard sums[i].calls == node.value(.allocations), sums[i].bytes == node.value(.bytesAllocated),
                      sums[i].live >= 0, UInt64(sums[i].live) == node.value(.leaked) else { return nil }
            }
        }
        return used.indices.filter { used[$0] }
    }

    private static func array<T: BinaryInteger>(_ values: [T]) -> String {
        "[" + values.map { String($0) }.joined(separator: ",") + "]"
    }

    /// A JSON number for a layout coordinate (deterministic: Swift's shortest form).
    private static func number(_ value: Double) -> String {
        value.isFinite ? (value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)") : "0"
    }
}
