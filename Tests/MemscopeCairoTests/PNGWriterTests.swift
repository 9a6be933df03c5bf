import MemscopeCairo
import MemscopeScene
import Testing

/// ``CairoPainter/png(_:)`` chooses each row's filter itself and has libpng write the rows:
/// its bytes must be cairo's own writer's (``CairoPainter/cairoPNG(_:)``) for every kind of
/// picture, or the reports change.
@Suite struct PNGWriterTests {
    /// A deterministic pseudo-random generator (SplitMix64) for the noisy scenes.
    struct Noise {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Double) -> Double { Double(next() % 1_000_000) / 1_000_000 * n }
    }

    /// Boxes of many colours and sizes with labels, lines, gradients of grey: rows equal to
    /// the one before, rows of zeros (black), and rows where each of the five filters wins.
    static func scenes() -> [(String, Scene)] {
        var noise = Noise(state: 20)
        var boxes: [Shape] = []
        for row in 0..<30 {
            var x = 0.0
            while x < 1200 {
                let width = 3 + noise.below(180)
                let colour = Colour(hex: UInt32(truncatingIfNeeded: noise.next()) & 0xFFFFFF)
                boxes.append(.rect(Rect(x: x, y: Double(row) * 17, width: width - 1, height: 16), fill: colour))
                if width > 40 {
                    boxes.append(.text(TextShape("frame_\(row)_\(Int(x))<T>::call", at: Point(x + 3, Double(row) * 17 + 12), size: 11)))
                }
                x += width
            }
        }
        let flame = Scene(width: 1200, height: 600, shapes: boxes)
        var dots: [Shape] = []
        for _ in 0..<4000 {
            let grey = UInt32(noise.next() % 256)
            let x = noise.below(300), y = noise.below(200), width = 1 + noise.below(3), height = 1 + noise.below(3)
            let colour = Colour(hex: grey << 16 | grey << 8 | grey)
            dots.append(.rect(Rect(x: x, y: y, width: width, height: height), fill: colour))
        }
        let noisy = Scene(width: 300, height: 200, shapes: dots)
        var steps: [Shape] = []
        for i in 0..<256 {
            let top = Double(i % 64)
            let red = UInt32(i) << 16, green = UInt32(255 - i) << 8, blue = UInt32(i / 2)
            steps.append(.rect(Rect(x: Double(i), y: top, width: 1, height: 64 - top), fill: Colour(hex: red | green | blue)))
        }
        let ramps = Scene(width: 257, height: 64, shapes: steps)
        let black = Scene(width: 50, height: 40, background: Colour(hex: 0), shapes: [
            .rect(Rect(x: 10, y: 20, width: 5, height: 5), fill: Colour(hex: 0x808080)),
        ])
        let blank = Scene(width: 640, height: 480)
        let thin = Scene(width: 2, height: 2, shapes: [.rect(Rect(x: 1, y: 0, width: 1, height: 1), fill: Colour(hex: 0x123456))])
        let oneRow = Scene(width: 100, height: 1, shapes: [.rect(Rect(x: 10, y: 0, width: 30, height: 1), fill: Colour(hex: 0xFF0000))])
        let oneColumn = Scene(width: 1, height: 100, shapes: [.rect(Rect(x: 0, y: 10, width: 1, height: 30), fill: Colour(hex: 0x00FF00))])
        return [("flame", flame), ("noisy", noisy), ("ramps", ramps), ("black", black), ("blank", blank), ("2×2", thin),
                ("one row", oneRow), ("one column", oneColumn)]
    }

    @Test func bytesAreCairosOwn() throws {
        for (name, scene) in Self.scenes() {
            let chosen = try CairoPainter.png(scene)
            let cairo = try CairoPainter.cairoPNG(scene)
            #expect(chosen == cairo, "\(name): \(chosen.count) bytes, cairo's \(cairo.count)")
        }
    }
}
