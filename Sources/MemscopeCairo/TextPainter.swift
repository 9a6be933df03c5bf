import CPangoCairo
import MemscopeScene

/// Draws and measures text with one reused Pango layout, in DejaVu Sans, with hinting
/// off so image and SVG surfaces get the same metrics.
final class TextPainter {
    static let family = "DejaVu Sans"
    private let cr: OpaquePointer
    private let layout: OpaquePointer
    private var currentSize = -1.0
    private var currentBold = false

    init(_ cr: OpaquePointer) {
        self.cr = cr
        layout = pango_cairo_create_layout(cr)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(pango_layout_get_context(layout), options)
        cairo_font_options_destroy(options)
        pango_layout_context_changed(layout)
        pango_layout_set_single_paragraph_mode(layout, 1)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    private func setFont(size: Double, bold: Bool) {
        guard size != currentSize || bold != currentBold else { return }
        let description = pango_font_description_new()
        pango_font_description_set_family(description, Self.family)
        pango_font_description_set_weight(description, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        currentSize = size
        currentBold = bold
    }

    /// Width in px of `text`.
    func width(_ text: String, size: Double, bold: Bool) -> Double {
        setFont(size: size, bold: bold)
        pango_layout_set_text(layout, text, -1)
        var ink = PangoRectangle()
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        return Double(logical.width) / Double(PANGO_SCALE)
    }

    /// Distance in px from the top of the line box to the baseline.
    func baseline(size: Double, bold: Bool) -> Double {
        setFont(size: size, bold: bold)
        pango_layout_set_text(layout, "Ag", -1)
        return Double(pango_layout_get_baseline(layout)) / Double(PANGO_SCALE)
    }

    /// Glyphs Pango could not find in any font for `text` (0 when every glyph exists).
    func unknownGlyphs(_ text: String, size: Double) -> Int {
        setFont(size: size, bold: false)
        pango_layout_set_text(layout, text, -1)
        return Int(pango_layout_get_unknown_glyphs_count(layout))
    }

    /// The family Pango actually resolved for our font.
    func resolvedFamily(size: Double) -> String {
        setFont(size: size, bold: false)
        guard let description = pango_layout_get_font_description(layout),
              let font = pango_context_load_font(pango_layout_get_context(layout), description)
        else { return "" }
        defer { g_object_unref(UnsafeMutableRawPointer(font)) }
        let described = pango_font_describe(font)
        defer { pango_font_description_free(described) }
        guard let family = pango_font_description_get_family(described) else { return "" }
        return String(cString: family)
    }

    func draw(_ t: TextShape) {
        let w = width(t.text, size: t.size, bold: t.bold)
        let x = switch t.anchor {
        case .start: t.position.x
        case .middle: t.position.x - w / 2
        case .end: t.position.x - w
        }
        cairo_set_source_rgba(cr, t.colour.red, t.colour.green, t.colour.blue, t.colour.alpha)
        cairo_move_to(cr, x, t.position.y)
        pango_cairo_show_layout(cr, layout)
    }
}
