import MemscopeCairo
import MemscopeScene
import Testing

/// Charts on the page keep their labels as text: findable, selectable, and escaped.
@Suite struct TextSVGPainterTests {
    @Test func labelsAreTextAtTheMeasuredWidth() {
        let measurer = CairoTextMeasurer()
        var scene = Scene(width: 200, height: 40)
        scene.add(.rect(Rect(x: 0, y: 0, width: 10.125, height: 5), fill: Colour(hex: 0x336699)))
        scene.add(.text(TextShape("peak 1.2 MiB", at: Point(100, 10), size: 11, anchor: .middle)))
        scene.add(.text(TextShape("<script>alert(1)</script> & \u{1}\"x\"", at: Point(0, 20), size: 11)))
        scene.add(.line(from: Point(0, 30), to: Point(200, 30), stroke: Colour(hex: 0, alpha: 0.5), width: 1, dashed: true))
        let svg = TextSVGPainter.svg(scene, idPrefix: "t", measurer: measurer)
        let width = measurer.width(of: "peak 1.2 MiB", size: 11, bold: false)
        #expect(svg.contains(">peak 1.2 MiB</text>"))
        #expect(svg.contains("textLength=\"\(TextSVGPainterTests.n(width))\""))
        #expect(svg.contains("x=\"\(TextSVGPainterTests.n(100 - width / 2))\""), "centred on its anchor")
        #expect(svg.contains(">&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</text>"), "escaped, control characters dropped")
        #expect(!svg.contains("<script"))
        #expect(svg.contains("width=\"10.13\""), "two decimals")
        #expect(svg.contains("stroke=\"rgba(0,0,0,0.5)\"") && svg.contains("stroke-dasharray=\"4 3\""))
        #expect(svg == TextSVGPainter.svg(scene, idPrefix: "t", measurer: measurer), "deterministic")
    }

    /// Two decimals, no trailing zeros (as the painter writes coordinates).
    static func n(_ value: Double) -> String {
        let text = String(format: "%.2f", value)
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
