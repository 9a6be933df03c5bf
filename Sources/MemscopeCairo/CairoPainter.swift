import CPNGWriter
import CPangoCairo
import MemscopeScene

/// A drawing that Cairo reported as failed (sticky status), with Cairo's own words.
public struct PaintError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Paints a ``Scene`` with Cairo and Pango: one drawing function for both the PNG and the
/// SVG surface. It makes no decisions; the layouts did.
public enum CairoPainter {
    /// The largest side of an image surface (Cairo's limit).
    public static let maximumPixels = 32_767.0

    /// The scene as PNG bytes: cairo's, each row's filter chosen once (``ms_png_write_rgb24``).
    public static func png(_ scene: Scene) throws -> [UInt8] {
        try png(scene, choosingFilters: true)
    }

    /// The scene as PNG bytes written by cairo's own writer: what ``png(_:)`` writes, byte
    /// for byte (the tests compare them).
    public static func cairoPNG(_ scene: Scene) throws -> [UInt8] {
        try png(scene, choosingFilters: false)
    }

    private static func png(_ scene: Scene, choosingFilters: Bool) throws -> [UInt8] {
        let width = Int32(max(1, min(scene.width.rounded(.up), maximumPixels)))
        let height = Int32(max(1, min(scene.height.rounded(.up), maximumPixels)))
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height) else {
            throw PaintError(description: "cannot create a \(width)×\(height) image surface")
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface))
        try draw(scene, on: surface)
        let sink = BytesSink()
        cairo_surface_flush(surface)
        // cairo's own writer for what ms_png_write_rgb24 leaves to it (a side of 1 pixel) or a failure.
        if choosingFilters, let pixels = cairo_image_surface_get_data(surface) {
            let written = withExtendedLifetime(sink) {
                ms_png_write_rgb24(pixels, width, height, cairo_image_surface_get_stride(surface), appendPNGBytes,
                                   Unmanaged.passUnretained(sink).toOpaque())
            }
            if written == 0 { return sink.bytes }
            sink.bytes = []
        }
        let status = withExtendedLifetime(sink) {
            cairo_surface_write_to_png_stream(surface, appendBytes, Unmanaged.passUnretained(sink).toOpaque())
        }
        try check(status)
        return sink.bytes
    }

    /// The scene as an SVG document (units in px).
    public static func svg(_ scene: Scene) throws -> String {
        let sink = BytesSink()
        try withExtendedLifetime(sink) {
            guard let surface = cairo_svg_surface_create_for_stream(
                appendBytes, Unmanaged.passUnretained(sink).toOpaque(), scene.width, scene.height)
            else { throw PaintError(description: "cannot create an SVG surface") }
            defer { cairo_surface_destroy(surface) }
            cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX)
            try draw(scene, on: surface)
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface))
        }
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    /// An SVG ready to sit inline in a page next to others: no XML declaration, every id
    /// and reference prefixed (Cairo numbers glyph ids from 0 in every document), and the
    /// process-wide surface counter normalised so output is deterministic.
    public static func inlineSVG(_ scene: Scene, idPrefix: String) throws -> String {
        var svg = try svg(scene)
        if let start = svg.firstRange(of: "<svg") { svg = String(svg[start.lowerBound...]) }
        svg = svg.replacing(/id="surface\d+"/, with: "id=\"surface\"")
        svg = svg.replacing("id=\"", with: "id=\"\(idPrefix)-")
        svg = svg.replacing("href=\"#", with: "href=\"#\(idPrefix)-")
        svg = svg.replacing("url(#", with: "url(#\(idPrefix)-")
        return svg
    }

    private static func draw(_ scene: Scene, on surface: OpaquePointer) throws {
        guard let cr = cairo_create(surface) else { throw PaintError(description: "cannot create a Cairo context") }
        defer { cairo_destroy(cr) }
        let text = TextPainter(cr)
        set(cr, scene.background)
        cairo_paint(cr)
        for shape in scene.shapes { paint(shape, cr, text) }
        try check(cairo_status(cr))
    }

    private static func paint(_ shape: Shape, _ cr: OpaquePointer, _ text: TextPainter) {
        switch shape {
        case .rect(let r, let fill):
            set(cr, fill)
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
            cairo_fill(cr)
        case .outline(let r, let stroke, let width):
            set(cr, stroke)
            cairo_set_line_width(cr, width)
            cairo_rectangle(cr, r.x + width / 2, r.y + width / 2, r.width - width, r.height - width)
            cairo_stroke(cr)
        case .text(let t):
            text.draw(t)
        case .line(let from, let to, let stroke, let width, let dashed):
            set(cr, stroke)
            cairo_set_line_width(cr, width)
            if dashed {
                let pattern: [Double] = [4, 3]
                cairo_set_dash(cr, pattern, 2, 0)
            }
            // Half-pixel offsets keep 1 px lines crisp.
            let offset = width.truncatingRemainder(dividingBy: 2) == 1 ? 0.5 : 0
            cairo_move_to(cr, from.x.rounded() + offset, from.y.rounded() + offset)
            cairo_line_to(cr, to.x.rounded() + offset, to.y.rounded() + offset)
            cairo_stroke(cr)
            cairo_set_dash(cr, nil, 0, 0)
        case .polyline(let points, let stroke, let width):
            guard let first = points.first else { return }
            set(cr, stroke)
            cairo_set_line_width(cr, width)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            cairo_move_to(cr, first.x, first.y)
            for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
            cairo_stroke(cr)
        case .polygon(let points, let fill):
            guard let first = points.first else { return }
            set(cr, fill)
            cairo_move_to(cr, first.x, first.y)
            for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
            cairo_close_path(cr)
            cairo_fill(cr)
        case .bezier(let points, let stroke, let width, let dashed):
            guard let first = points.first else { return }
            set(cr, stroke)
            cairo_set_line_width(cr, width)
            if dashed {
                let pattern: [Double] = [5, 3]
                cairo_set_dash(cr, pattern, 2, 0)
            }
            cairo_move_to(cr, first.x, first.y)
            var i = 1
            while i + 2 < points.count {
                cairo_curve_to(cr, points[i].x, points[i].y, points[i + 1].x, points[i + 1].y, points[i + 2].x, points[i + 2].y)
                i += 3
            }
            cairo_stroke(cr)
            cairo_set_dash(cr, nil, 0, 0)
        }
    }

    private static func set(_ cr: OpaquePointer, _ colour: Colour) {
        cairo_set_source_rgba(cr, colour.red, colour.green, colour.blue, colour.alpha)
    }

    private static func check(_ status: cairo_status_t) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PaintError(description: String(cString: cairo_status_to_string(status)))
        }
    }
}

/// Collects the bytes a Cairo stream writes.
private final class BytesSink {
    var bytes: [UInt8] = []
}

private func appendPNGBytes(_ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?, _ length: Int) {
    guard let closure, let data else { return }
    Unmanaged<BytesSink>.fromOpaque(closure).takeUnretainedValue()
        .bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
}

private func appendBytes(_ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?, _ length: UInt32) -> cairo_status_t {
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    Unmanaged<BytesSink>.fromOpaque(closure).takeUnretainedValue()
        .bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}
