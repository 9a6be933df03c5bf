import MemscopeAnalysis
import MemscopeModel
import MemscopeScene

/// Lifetime pictures: a histogram of block lifetimes (decade buckets), and one lane per
/// top allocation site showing its live bytes over time as a heat strip.
public enum LifetimeLayout {
    /// The sites shown in lanes: the largest by bytes live at peak, then bytes allocated.
    public static func topSites(_ analysis: Analysis, count: Int = 12) -> [SiteStats] {
        topSiteIndices(analysis, count: count).map { analysis.sites[$0] }
    }

    /// The indices in ``Analysis/sites`` of ``topSites(_:count:)``, in its order.
    public static func topSiteIndices(_ analysis: Analysis, count: Int = 12) -> [Int] {
        // Sorted as indices: a site is a dozen fields with arrays, which the sort's moves
        // copied (a compiler's dump has a hundred thousand sites).
        let sites = analysis.sites
        return Array(sites.indices
            .filter { sites[$0].costs.bytesAllocated > 0 }
            .sorted { a, b in
                (sites[a].costs.peakBytes, sites[a].costs.bytesAllocated, sites[b].stack)
                    > (sites[b].costs.peakBytes, sites[b].costs.bytesAllocated, sites[a].stack)
            }
            .prefix(count))
    }

    /// A short name for a site: its innermost frame with its location.
    public static func siteName(_ analysis: Analysis, _ site: SiteStats) -> String {
        analysis.siteTitle(site.stack)
    }

    /// Horizontal bars: how many blocks lived for <1µs, <10µs, … (freed blocks only).
    public static func histogram(_ buckets: [UInt64], measurer: some TextMeasuring, width: Double = 560,
                                 fontSize: Double = 11) -> Scene {
        bars(labels: LifetimeBuckets.labels, counts: buckets, notes: nil, measurer: measurer, width: width, fontSize: fontSize)
    }

    /// Horizontal bars with a label, a count and its share, and an optional note per bar.
    public static func bars(labels: [String], counts: [UInt64], notes: [String]?, measurer: some TextMeasuring,
                            width: Double = 560, fontSize: Double = 11, colour: Colour = Colour.heap.withAlpha(0.7)) -> Scene {
        let rowHeight = 22.0
        let labelWidth = 70.0
        let top = 8.0
        var scene = Scene(width: width, height: top * 2 + rowHeight * Double(counts.count))
        let total = max(counts.reduce(0, +), 1)
        let largest = max(counts.max() ?? 1, 1)
        let barSpace = width - labelWidth - 190
        for (i, count) in counts.enumerated() {
            let y = top + Double(i) * rowHeight
            let label = i < labels.count ? labels[i] : "?"
            scene.add(.text(TextShape(label, at: Point(labelWidth - 8, y + 4), size: fontSize, colour: .mutedText, anchor: .end)))
            let barWidth = Double(count) / Double(largest) * barSpace
            scene.add(.rect(Rect(x: labelWidth, y: y + 3, width: max(barWidth, count > 0 ? 1 : 0), height: rowHeight - 6), fill: colour))
            let percent = Units.fixed(Double(count) * 100 / Double(total), decimals: 1)
            var text = "\(Units.count(count)) (\(percent)%)"
            if let notes, i < notes.count, !notes[i].isEmpty { text += " · \(notes[i])" }
            scene.add(.text(TextShape(text, at: Point(labelWidth + barWidth + 6, y + 4), size: fontSize, colour: .text)))
        }
        return scene
    }

    /// One lane per site: name, heat strip of its live bytes over time, and its maximum.
    public static func lanes(_ analysis: Analysis, sites: [SiteStats], measurer: some TextMeasuring,
                             width: Double = 1200, fontSize: Double = 11) -> Scene {
        laneChart(rows: zip(analysis.siteTitles(sites.map(\.stack)), sites).map { ($0, Array($1.lane)) }, interval: analysis.laneIntervalNanoseconds,
                  duration: analysis.totals.durationNanoseconds, measurer: measurer, width: width, fontSize: fontSize)
    }

    /// One lane per thread (the blocks it allocated), the threads with the highest peak first.
    public static func threadLanes(_ analysis: Analysis, measurer: some TextMeasuring, count: Int = 10,
                                   width: Double = 1200, fontSize: Double = 11) -> Scene {
        let threads = analysis.threads.filter { $0.peakBytes > 0 }
            .sorted { ($0.peakBytes, $1.thread) > ($1.peakBytes, $0.thread) }.prefix(count)
        return laneChart(rows: threads.map { (analysis.threadLabel($0.thread), $0.lane) },
                         interval: analysis.threadLaneIntervalNanoseconds, duration: analysis.totals.durationNanoseconds,
                         measurer: measurer, width: width, fontSize: fontSize)
    }

    /// Rows of heat strips: a name, one cell per interval shaded by the row's own maximum,
    /// the maximum on the right, and a time axis.
    public static func laneChart(rows: [(name: String, lane: [UInt64])], interval: UInt64, duration: UInt64,
                                 measurer: some TextMeasuring, width: Double = 1200, fontSize: Double = 11) -> Scene {
        let laneHeight = 20.0
        let nameWidth = 330.0
        let valueWidth = 90.0
        let top = 6.0
        let axisHeight = 24.0
        let stripWidth = width - nameWidth - valueWidth - 16
        let points = rows.first?.lane.count ?? 0
        var scene = Scene(width: width, height: top + Double(rows.count) * laneHeight + axisHeight)
        let shownIntervals = max(1, Int(min(UInt64(points), max(duration, 1).dividedRoundingUp(by: max(interval, 1)))))
        // The strip spans the run, so the axis ends at its duration (the last cell is cut there).
        let cells = UInt64(shownIntervals).multipliedSaturating(by: interval)
        let span = duration > 0 ? min(duration, cells) : cells
        let pixelsPerTick = stripWidth / Double(max(span, 1))
        for (row, entry) in rows.enumerated() {
            let y = top + Double(row) * laneHeight
            // Cut in the middle: a site title's end tells it apart from its neighbours (#2, "from …").
            let fitted = measurer.fitMiddle(entry.name, size: fontSize, maxWidth: nameWidth - 12) ?? ""
            scene.add(.text(TextShape(fitted, at: Point(nameWidth - 8, y + 3), size: fontSize, colour: .text, anchor: .end)))
            let maximum = max(entry.lane.max() ?? 0, 1)
            for (i, value) in entry.lane.prefix(shownIntervals).enumerated() {
                let start = Double(UInt64(i).multipliedSaturating(by: interval)) * pixelsPerTick
                let end = min(Double(UInt64(i + 1).multipliedSaturating(by: interval)) * pixelsPerTick, stripWidth)
                scene.add(.rect(Rect(x: nameWidth + start, y: y + 2, width: end - start + 0.2, height: laneHeight - 4),
                                fill: Palette.heat(Double(value) / Double(maximum))))
            }
            scene.add(.text(TextShape(Units.bytes(entry.lane.max() ?? 0), at: Point(nameWidth + stripWidth + 8, y + 3),
                                      size: fontSize, colour: .mutedText)))
        }
        let axisY = top + Double(rows.count) * laneHeight + 2
        for tick in Axis.timeTicks(maximum: span, count: 8) {
            let x = nameWidth + tick.value / Double(max(span, 1)) * stripWidth
            scene.add(.line(from: Point(x, axisY), to: Point(x, axisY + 4), stroke: .axis, width: 1, dashed: false))
            scene.add(.text(TextShape(tick.label, at: Point(x, axisY + 6), size: fontSize, colour: .mutedText, anchor: .middle)))
        }
        return scene
    }
}
