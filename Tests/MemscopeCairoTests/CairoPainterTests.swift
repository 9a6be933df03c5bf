import Foundation
import MemscopeCairo
import MemscopeLayout
import MemscopeScene
import MemscopeTestSupport
import Testing

@Suite struct CairoPainterTests {
    let scene = Scene(width: 200, height: 100, shapes: [
        .rect(Rect(x: 10, y: 10, width: 50, height: 30), fill: Colour(hex: 0xFF0000)),
        .rect(Rect(x: 100, y: 50, width: 40, height: 40), fill: Colour(hex: 0x0000FF)),
        .text(TextShape("Swift.Array<Int> Ünïcødé", at: Point(10, 60), size: 12)),
        .line(from: Point(0, 99), to: Point(200, 99), stroke: .axis, width: 1, dashed: true),
        .polygon([Point(150, 10), Point(190, 10), Point(170, 40)], fill: .heap),
    ])

    /// Decodes a PNG just enough for probes: its size, and the colour of one pixel.
    struct PNGProbe {
        let width: Int
        let height: Int
        init(_ bytes: [UInt8]) throws {
            #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            func be32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
            width = be32(16)
            height = be32(20)
        }
    }

    @Test func pngHasTheSceneSizeAndIsDeterministic() throws {
        let png = try CairoPainter.png(scene)
        let probe = try PNGProbe(png)
        #expect(probe.width == 200 && probe.height == 100)
        #expect(try CairoPainter.png(scene) == png)
    }

    @Test func probePixelsHaveTheirColours() throws {
        // Render to PNG, decode with a second Cairo call through a file, and probe.
        let directory = try TestPaths.temporaryDirectory()
        let path = directory.appendingPathComponent("probe.png").path
        try Data(CairoPainter.png(scene)).write(to: URL(fileURLWithPath: path))
        let pixels = try PixelReader(path: path)
        #expect(pixels.rgb(x: 30, y: 20) == 0xFF0000)
        #expect(pixels.rgb(x: 135, y: 85) == 0x0000FF)
        #expect(pixels.rgb(x: 190, y: 5) == 0xFFFFFF)
    }

    @Test func svgIsCompleteAndInlineSVGsDoNotShareIds() throws {
        let svg = try CairoPainter.svg(scene)
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("width=\"200px\"") || svg.contains("width=\"200\""))
        #expect(svg.hasSuffix("</svg>\n") || svg.hasSuffix("</svg>"))
        let a = try CairoPainter.inlineSVG(scene, idPrefix: "a")
        let b = try CairoPainter.inlineSVG(scene, idPrefix: "b")
        #expect(a.hasPrefix("<svg"))
        func ids(_ s: String) -> Set<String> { Set(s.matches(of: /id="([^"]+)"/).map { String($0.1) }) }
        #expect(!ids(a).isEmpty)
        #expect(ids(a).isDisjoint(with: ids(b)))
        #expect(ids(a).allSatisfy { $0.hasPrefix("a-") })
        #expect(!a.contains("href=\"#glyph"))
        // Deterministic within one process too (Cairo's surface counter is normalised).
        #expect(try CairoPainter.inlineSVG(scene, idPrefix: "a") == a)
    }

    @Test func textIsDejaVuSansWithEveryGlyph() {
        let check = CairoTextMeasurer().fontCheck(sample: "Swift.Array<Int> Ünïcødé → µs ≥ …")
        #expect(check.family == "DejaVu Sans")
        #expect(check.unknownGlyphs == 0)
    }

    @Test func measurerAgreesWithItselfAndGrowsWithText() {
        let m = CairoTextMeasurer()
        let short = m.width(of: "malloc", size: 11, bold: false)
        let long = m.width(of: "malloc_consolidate", size: 11, bold: false)
        #expect(short > 20 && short < 60)
        #expect(long > short)
        #expect(m.width(of: "malloc", size: 11, bold: true) > short)
    }

    @Test func oversizedPicturesAreClampedNotCrashed() throws {
        let tall = Scene(width: 100, height: 50_000, shapes: [.rect(Rect(x: 0, y: 0, width: 10, height: 10), fill: .heap)])
        let probe = try PNGProbe(CairoPainter.png(tall))
        #expect(probe.height == 32_767)
    }
}
