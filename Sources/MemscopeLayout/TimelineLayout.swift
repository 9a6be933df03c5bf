import MemscopeAnalysis
import MemscopeModel
import MemscopeScene

/// Options of ``TimelineLayout``.
public struct TimelineLayoutOptions: Sendable, Equatable {
    /// Picture width in px. Default: 1200.
    public var width: Double
    /// Height of the live-heap panel. Default: 260.
    public var heapHeight: Double
    /// Height of the allocation-rate panel. Default: 90.
    public var rateHeight: Double
    /// Axis label size in px. Default: 11.
    public var fontSize: Double

    public init(width: Double = 1200, heapHeight: Double = 260, rateHeight: Double = 90, fontSize: Double = 11) {
        self.width = width
        self.heapHeight = heapHeight
        self.rateHeight = rateHeight
        self.fontSize = fontSize
    }

    public static let `default` = TimelineLayoutOptions()
}

/// Where ``TimelineLayout`` puts things: the plot's rectangles and its axes' scales, for
/// anything drawn over the picture (the report's hover and range overlay) to use the
/// picture's own positions.
public struct TimelineGeometry: Sendable, Equatable {
    /// The picture's size in px.
    public var width: Double
    public var height: Double
    /// The plot spans x from `plotLeft` to `plotLeft + plotWidth`: time 0 to ``durationNanoseconds``.
    public var plotLeft: Double
    public var plotWidth: Double
    public var durationNanoseconds: UInt64
    /// The live-heap panel: 0 bytes at `heapTop + heapHeight`, ``bytesMax`` at `heapTop`.
    public var heapTop: Double
    public var heapHeight: Double
    public var bytesMax: Double
    /// The allocation-rate panel (nil when not drawn): 0 at `rateTop + rateHeight`,
    /// ``rateMax`` bytes per second at `rateTop`.
    public var rateTop: Double?
    public var rateHeight: Double
    public var rateMax: Double

    /// The x of a time (ns since the start).
    public func x(_ nanoseconds: Double) -> Double { plotLeft + nanoseconds / Double(durationNanoseconds) * plotWidth }
    /// The y of live bytes in the heap panel.
    public func y(_ bytes: UInt64) -> Double { heapTop + heapHeight - Double(bytes) / bytesMax * heapHeight }
}

/// Memory over time: the live heap (the envelope of each interval's maximum, so no peak
/// is lost) with the peak marked, the process's RSS beside it when the dump has samples
/// (a line on the same byte scale), and below it the allocation rate.
public enum TimelineLayout {
    static let left = 78.0
    static let right = 16.0
    static let top = 22.0
    static let gap = 34.0
    static let bottom = 26.0

    /// The picture's rectangles and scales (``scene(_:measurer:options:)`` draws with them).
    public static func geometry(_ analysis: Analysis, options: TimelineLayoutOptions = .default) -> TimelineGeometry {
        let timeline = analysis.timeline
        let totals = analysis.totals
        // No rate panel for inputs without allocation figures (massif's snapshots): it would be empty.
        let showsRate = !analysis.notes.unavailable.contains("bytes_allocated")
        let height = top + options.heapHeight + (showsRate ? gap + options.rateHeight : 0) + bottom
        let duration = max(totals.durationNanoseconds,
                           UInt64(timeline.points.count).multipliedSaturating(by: timeline.intervalNanoseconds), 1)
        let highest = max(totals.peakBytes, analysis.rss.peakBytes, 1)
        let yMax = max(Axis.byteTicks(maximum: highest).last?.value ?? 1, Double(highest), 1)
        let (_, rateMax) = rateScale(timeline)
        return TimelineGeometry(width: options.width, height: height, plotLeft: left, plotWidth: options.width - left - right,
                                durationNanoseconds: duration, heapTop: top, heapHeight: options.heapHeight, bytesMax: yMax,
                                rateTop: showsRate ? top + options.heapHeight + gap : nil, rateHeight: options.rateHeight,
                                rateMax: rateMax)
    }

    /// Bytes allocated per second in each interval, and the rate axis' top.
    static func rateScale(_ timeline: Timeline) -> (rates: [Double], maximum: Double) {
        let seconds = max(Double(timeline.intervalNanoseconds), 1) / 1e9
        let rates = timeline.points.map { Double($0.bytesAllocated) / seconds }
        let maxRate = rates.max() ?? 0
        let rateTicks = Axis.byteTicks(maximum: UInt64(min(maxRate, 1e18)), count: 2)
        return (rates, max(rateTicks.last?.value ?? 1, maxRate, 1))
    }

    public static func scene(_ analysis: Analysis, measurer: some TextMeasuring,
                             options: TimelineLayoutOptions = .default) -> Scene {
        let timeline = analysis.timeline
        let totals = analysis.totals
        let g = geometry(analysis, options: options)
        let showsRate = g.rateTop != nil
        let unit = analysis.notes.timeUnit
        let height = g.height
        var scene = Scene(width: options.width, height: height)
        let plotWidth = g.plotWidth
        let duration = g.durationNanoseconds
        func x(_ ns: Double) -> Double { g.x(ns) }

        // Live heap panel.
        let rss = analysis.rss
        let highest = max(totals.peakBytes, rss.peakBytes, 1)
        let yTicks = Axis.byteTicks(maximum: highest)
        let yMax = g.bytesMax
        func y(_ bytes: UInt64) -> Double { g.y(bytes) }
        for tick in yTicks {
            let ty = top + options.heapHeight - tick.value / yMax * options.heapHeight
            scene.add(.line(from: Point(left, ty), to: Point(left + plotWidth, ty), stroke: .grid, width: 1, dashed: false))
            scene.add(.text(TextShape(tick.label, at: Point(left - 6, ty - options.fontSize * 0.6), size: options.fontSize,
                                      colour: .mutedText, anchor: .end)))
        }
        var outline: [Point] = []
        let interval = Double(timeline.intervalNanoseconds)
        for (i, point) in timeline.points.enumerated() {
            let start = Double(i) * interval
            outline.append(Point(x(start), y(point.maxLiveBytes)))
            outline.append(Point(x(min(start + interval, Double(duration))), y(point.maxLiveBytes)))
        }
        if !outline.isEmpty {
            let baseline = top + options.heapHeight
            scene.add(.polygon([Point(outline[0].x, baseline)] + outline + [Point(outline[outline.count - 1].x, baseline)],
                               fill: Colour.heap.withAlpha(0.28)))
            scene.add(.polyline(outline, stroke: .heap, width: 1.5))
        }
        // RSS: each sample holds until the next (a step line), to the end of the run.
        if !rss.isEmpty {
            var steps: [Point] = []
            for (i, sample) in rss.points.enumerated() {
                let sx = x(Double(min(sample.timeNanoseconds, duration)))
                if i > 0, let previous = steps.last { steps.append(Point(sx, previous.y)) }
                steps.append(Point(sx, y(sample.residentBytes)))
            }
            if let last = steps.last { steps.append(Point(x(Double(duration)), last.y)) }
            scene.add(.polyline(steps, stroke: .rss, width: 1.5))
        }
        scene.add(.line(from: Point(left, top + options.heapHeight), to: Point(left + plotWidth, top + options.heapHeight),
                        stroke: .axis, width: 1, dashed: false))
        scene.add(.text(TextShape("Live heap", at: Point(left, 3), size: options.fontSize, colour: .text, bold: true)))
        if !rss.isEmpty {
            let heapLabel = measurer.width(of: "Live heap", size: options.fontSize, bold: true)
            scene.add(.text(TextShape("RSS (peak \(Units.bytes(rss.peakBytes)))", at: Point(left + heapLabel + 14, 3),
                                      size: options.fontSize, colour: .rss, bold: true)))
        }

        // The peak.
        if totals.peakBytes > 0 {
            let px = x(Double(totals.peakTimeNanoseconds))
            let py = y(totals.peakBytes)
            scene.add(.line(from: Point(px, top), to: Point(px, top + options.heapHeight), stroke: .peak, width: 1, dashed: true))
            let label = "peak \(Units.bytes(totals.peakBytes)) at \(Units.time(totals.peakTimeNanoseconds, unit: unit))"
            let labelWidth = measurer.width(of: label, size: options.fontSize, bold: true)
            let rightSide = px + 6 + labelWidth < left + plotWidth
            let labelX = rightSide ? px + 6 : px - 6 - labelWidth
            let labelY = max(top, py - options.fontSize * 1.5)
            // A white backing keeps the label readable over the curve.
            scene.add(.rect(Rect(x: labelX - 3, y: labelY - 1, width: labelWidth + 6, height: options.fontSize * 1.3 + 2),
                            fill: Colour.white.withAlpha(0.85)))
            scene.add(.text(TextShape(label, at: Point(labelX, labelY), size: options.fontSize, colour: .peak, bold: true)))
        }

        // Allocation rate panel.
        guard showsRate else {
            timeAxis(&scene, y: top + options.heapHeight, duration: duration, unit: unit, x: x, options: options)
            return scene
        }
        let rateTop = g.rateTop ?? 0
        let (rates, rateMax) = rateScale(timeline)
        let rateTicks = Axis.byteTicks(maximum: UInt64(min(rates.max() ?? 0, 1e18)), count: 2)
        for tick in rateTicks {
            let ty = rateTop + options.rateHeight - tick.value / rateMax * options.rateHeight
            scene.add(.line(from: Point(left, ty), to: Point(left + plotWidth, ty), stroke: .grid, width: 1, dashed: false))
            scene.add(.text(TextShape(tick.value == 0 ? "0" : "\(tick.label)/s", at: Point(left - 6, ty - options.fontSize * 0.6),
                                      size: options.fontSize, colour: .mutedText, anchor: .end)))
        }
        for (i, rate) in rates.enumerated() where rate > 0 {
            let x0 = x(Double(i) * interval)
            let x1 = x(min(Double(i + 1) * interval, Double(duration)))
            let h = rate / rateMax * options.rateHeight
            scene.add(.rect(Rect(x: x0, y: rateTop + options.rateHeight - h, width: max(x1 - x0, 0.5), height: h),
                            fill: Colour.rate.withAlpha(0.75)))
        }
        scene.add(.text(TextShape("Allocation rate", at: Point(left, rateTop - options.fontSize * 1.6), size: options.fontSize,
                                  colour: .text, bold: true)))
        let axisY = rateTop + options.rateHeight
        scene.add(.line(from: Point(left, axisY), to: Point(left + plotWidth, axisY), stroke: .axis, width: 1, dashed: false))
        timeAxis(&scene, y: axisY, duration: duration, unit: unit, x: x, options: options)
        return scene
    }

    /// Ticks of time under `y`, or of the input's clock unit (the last tick says the unit).
    static func timeAxis(_ scene: inout Scene, y axisY: Double, duration: UInt64, unit: String, x: (Double) -> Double,
                         options: TimelineLayoutOptions) {
        var ticks = unit.isEmpty ? Axis.timeTicks(maximum: duration)
            : Axis.countTicks(maximum: Double(duration), count: 8).map { ($0.value, $0.value == 0 ? "0" : Units.compactCount($0.value)) }
        if !unit.isEmpty, let last = ticks.indices.last, last > 0 { ticks[last].label += " \(unit)" }
        for tick in ticks {
            let tx = x(tick.value)
            scene.add(.line(from: Point(tx, axisY), to: Point(tx, axisY + 4), stroke: .axis, width: 1, dashed: false))
            scene.add(.text(TextShape(tick.label, at: Point(tx, axisY + 6), size: options.fontSize, colour: .mutedText,
                                      anchor: tick.value == ticks.last?.value && !unit.isEmpty ? .end : .middle)))
        }
    }
}
