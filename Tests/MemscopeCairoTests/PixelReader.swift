import CPangoCairo

/// Reads a PNG with Cairo and answers pixel colours (tests only).
struct PixelReader {
    let width: Int
    let height: Int
    private let data: [UInt32]

    init(path: String) throws {
        let surface = cairo_image_surface_create_from_png(path)
        defer { cairo_surface_destroy(surface) }
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let base = cairo_image_surface_get_data(surface)!
        var pixels: [UInt32] = []
        for y in 0..<height {
            let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { pixels.append(row[x] & 0xFF_FFFF) }
        }
        data = pixels
    }

    func rgb(x: Int, y: Int) -> UInt32 { data[y * width + x] }
}
