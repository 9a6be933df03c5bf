/// The element and attribute names of an HTML page, found the way a browser's tokenizer
/// finds tags (HTML's tokenization rules, simplified where the report cannot differ):
/// comments and doctypes are skipped, `script`, `style`, `title` and `textarea` hold
/// text up to their end tag, an attribute's value may be quoted or not. Names are
/// lowercased. A `<` not followed by a letter, `/` or `!` is text.
struct HTMLTags: Equatable {
    var elements: Set<String> = []
    var attributes: Set<String> = []

    init(_ html: String) {
        let b = Array(html.utf8)
        var i = 0
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D }
        func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        func lower(_ bytes: ArraySlice<UInt8>) -> String {
            String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        /// The index of `needle` (ASCII, lowercase) at or after `from`, ignoring case; `b.count` if none.
        func find(_ needle: String, from: Int) -> Int {
            let n = Array(needle.utf8)
            var j = from
            while j + n.count <= b.count {
                if (0..<n.count).allSatisfy({ (b[j + $0] >= 0x41 && b[j + $0] <= 0x5A ? b[j + $0] | 0x20 : b[j + $0]) == n[$0] }) {
                    return j
                }
                j += 1
            }
            return b.count
        }
        while i < b.count {
            guard b[i] == UInt8(ascii: "<"), i + 1 < b.count else { i += 1; continue }
            let next = b[i + 1]
            if next == UInt8(ascii: "!") {
                if i + 3 < b.count && b[i + 2] == UInt8(ascii: "-") && b[i + 3] == UInt8(ascii: "-") {
                    i = min(b.count, find("-->", from: i + 4) + 3)
                } else {
                    i = min(b.count, find(">", from: i + 2) + 1)
                }
                continue
            }
            if next == UInt8(ascii: "/") && i + 2 < b.count && isLetter(b[i + 2]) {
                var j = i + 2
                while j < b.count && !isSpace(b[j]) && b[j] != UInt8(ascii: "/") && b[j] != UInt8(ascii: ">") { j += 1 }
                elements.insert(lower(b[(i + 2)..<j]))
                i = min(b.count, find(">", from: j) + 1)
                continue
            }
            guard isLetter(next) else { i += 1; continue }
            // A start tag: its name, then attributes up to `>`.
            var j = i + 1
            while j < b.count && !isSpace(b[j]) && b[j] != UInt8(ascii: "/") && b[j] != UInt8(ascii: ">") { j += 1 }
            let name = lower(b[(i + 1)..<j])
            elements.insert(name)
            while j < b.count {
                while j < b.count && (isSpace(b[j]) || b[j] == UInt8(ascii: "/")) { j += 1 }
                if j >= b.count || b[j] == UInt8(ascii: ">") { break }
                let start = j
                j += 1  // a first `=` belongs to the name
                while j < b.count && !isSpace(b[j]) && b[j] != UInt8(ascii: "/") && b[j] != UInt8(ascii: ">") && b[j] != UInt8(ascii: "=") {
                    j += 1
                }
                attributes.insert(lower(b[start..<j]))
                while j < b.count && isSpace(b[j]) { j += 1 }
                guard j < b.count, b[j] == UInt8(ascii: "=") else { continue }
                j += 1
                while j < b.count && isSpace(b[j]) { j += 1 }
                if j < b.count && (b[j] == UInt8(ascii: "\"") || b[j] == UInt8(ascii: "'")) {
                    let quote = b[j]
                    j += 1
                    while j < b.count && b[j] != quote { j += 1 }
                    j += 1
                } else {
                    while j < b.count && !isSpace(b[j]) && b[j] != UInt8(ascii: ">") { j += 1 }
                }
            }
            i = j + 1
            if ["script", "style", "title", "textarea"].contains(name) {
                i = find("</" + name, from: i)
            }
        }
    }

    /// Names in `self` that `allowed` lacks, as `element <x>` and `attribute y`.
    func extra(beyond allowed: HTMLTags) -> [String] {
        elements.subtracting(allowed.elements).sorted().map { "element <\($0)>" }
            + attributes.subtracting(allowed.attributes).sorted().map { "attribute \($0)" }
    }

    mutating func formUnion(_ other: HTMLTags) {
        elements.formUnion(other.elements)
        attributes.formUnion(other.attributes)
    }
}
