import CPangoCairo
import MemscopeLayout

/// Measures text with the same font machinery the painter uses, so labels a layout fits
/// are the labels that get drawn. Not thread-safe: one per thread (Pango objects are).
public final class CairoTextMeasurer: TextMeasuring {
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let painter: TextPainter
    private var cache: [String: Double] = [:]

    public init() {
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)
        cr = cairo_create(surface)
        painter = TextPainter(cr)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    public func width(of text: String, size: Double, bold: Bool) -> Double {
        let key = "\(size)|\(bold)|\(text)"
        if let known = cache[key] { return known }
        let measured = painter.width(text, size: size, bold: bold)
        if cache.count < 50_000 { cache[key] = measured }
        return measured
    }

    /// Distance in px from the top of a line of text to its baseline.
    public func baseline(size: Double, bold: Bool) -> Double {
        let key = "baseline|\(size)|\(bold)"
        if let known = cache[key] { return known }
        let measured = painter.baseline(size: size, bold: bold)
        cache[key] = measured
        return measured
    }

    /// Which font family draws the pictures, and how many glyphs of `sample` it lacks.
    /// A test asserts "DejaVu Sans" and 0: Pango draws empty boxes silently otherwise.
    public func fontCheck(sample: String) -> (family: String, unknownGlyphs: Int) {
        (painter.resolvedFamily(size: 12), painter.unknownGlyphs(sample, size: 12))
    }
}
