/// The page's style policy without `'unsafe-inline'` (issue 19's defence in depth): the digest
/// of its one style element and, with `'unsafe-hashes'`, of each distinct style attribute its
/// own markup writes (heat-map cells, legend swatches, the ownership picture's hit areas).
/// Strings from a dump reach the page escaped (`"` as `&quot;`), so no `style="` comes from
/// them: only memscope's own attributes are listed, and a style an escaping bug let in would
/// not apply. The page's script sets styles through the DOM, which the policy does not govern.
enum StylePolicy {
    /// The `style-src` sources for a page whose style element holds `styleElement` (its text
    /// between the tags, exactly) and whose markup is `markup`, sorted (deterministic).
    static func sources(styleElement: String, markup: [String]) -> String {
        var attributes = Set<String>()
        for text in markup { attributes.formUnion(styleAttributes(in: text)) }
        let hashes = attributes.map { SHA256.cspSource(for: $0) }.sorted()
        return ([SHA256.cspSource(for: styleElement)] + (hashes.isEmpty ? [] : ["'unsafe-hashes'"] + hashes))
            .joined(separator: " ")
    }

    /// The values of the `style="…"` attributes in `html`.
    static func styleAttributes(in html: String) -> Set<String> {
        var found = Set<String>()
        let bytes = html.utf8
        for attribute in bytes.ranges(of: " style=\"".utf8) {
            let end = bytes[attribute.upperBound...].firstIndex(of: UInt8(ascii: "\"")) ?? bytes.endIndex
            found.insert(String(decoding: bytes[attribute.upperBound..<end], as: UTF8.self))
        }
        return found
    }

    /// Where a page's template puts its `style-src` sources, replaced by ``seal(_:)``. Its
    /// `<` would reach the page escaped from any string of a dump.
    static let placeholder = "<memscope-style-sources>"

    /// `page` with ``placeholder`` replaced by the sources of its first style element and of
    /// every style attribute in it (pages whose style element is assembled by a template).
    static func seal(_ page: String) -> String {
        let bytes = page.utf8
        guard let open = bytes.firstRange(of: "<style>".utf8),
              let close = bytes[open.upperBound...].firstRange(of: "</style>".utf8),
              let at = bytes.firstRange(of: placeholder.utf8) else { return page }
        let element = String(decoding: bytes[open.upperBound..<close.lowerBound], as: UTF8.self)
        let sources = self.sources(styleElement: element, markup: [page])
        return String(decoding: bytes[..<at.lowerBound], as: UTF8.self) + sources
            + String(decoding: bytes[at.upperBound...], as: UTF8.self)
    }
}
