import Foundation

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

    /// The values of the `style="…"` attributes in `html`. Found by `memchr` for each `=` and
    /// a look at the bytes around it (the standard library's generic search for the
    /// attribute took 9% of a 1M-event render on a 4 MB page).
    static func styleAttributes(in html: String) -> Set<String> {
        var html = html
        return html.withUTF8 { page in
            var found = Set<String>()
            let needle = Array(" style=\"".utf8)
            let equals = needle.count - 2  // the position of `=` in the needle
            guard let base = page.baseAddress else { return found }
            var from = equals
            while from < page.count, let hit = memchr(base + from, Int32(UInt8(ascii: "=")), page.count - from) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                from = at + 1
                guard at + 1 < page.count, page[at + 1] == UInt8(ascii: "\""),
                      (0..<equals).allSatisfy({ page[at - equals + $0] == needle[$0] }) else { continue }
                let start = at + 2
                var end = start
                while end < page.count && page[end] != UInt8(ascii: "\"") { end += 1 }
                found.insert(String(decoding: UnsafeBufferPointer(rebasing: page[start..<end]), as: UTF8.self))
                from = start  // after the match, as a search for the next one would go on
            }
            return found
        }
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
