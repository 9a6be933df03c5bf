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
        let bytes = Array(html.utf8)
        let marker = Array(" style=\"".utf8)
        var i = 0
        while i + marker.count <= bytes.count {
            guard bytes[i] == marker[0], Array(bytes[i..<(i + marker.count)]) == marker else { i += 1; continue }
            let start = i + marker.count
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\"") { end += 1 }
            found.insert(String(decoding: bytes[start..<end], as: UTF8.self))
            i = end
        }
        return found
    }
}
