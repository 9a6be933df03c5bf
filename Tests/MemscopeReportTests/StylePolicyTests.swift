@testable import MemscopeReport
import Testing

/// The page's style-src sources list exactly the style attributes its markup writes.
@Suite struct StylePolicyTests {
    /// The search by `memchr` finds what a plain search for ` style="` finds.
    func plainSearch(_ html: String) -> Set<String> {
        var found = Set<String>()
        var rest = Substring(html)
        while let hit = rest.range(of: " style=\"") {
            let value = rest[hit.upperBound...]
            found.insert(String(value.prefix { $0 != "\"" }))
            rest = value
        }
        return found
    }

    @Test(arguments: [
        #"<td style="background:#f00">x</td><span style="width:3px"></span>"#,
        #"style="not an attribute: no space before it" <b style="">empty</b>"#,
        #"<i style="a style=">b</i> <i style="unterminated"#,
        #"<p data-style="x" style="=" style = "spaced">==""=</p>"#,
        "é <a style=\"color:é\"> ü",
        "",
        " style=\"",
    ])
    func attributesAreFoundAsAPlainSearchFindsThem(html: String) {
        #expect(StylePolicy.styleAttributes(in: html) == plainSearch(html))
    }

    @Test func attributesAreTheirValues() {
        let html = #"<td style="background:#f00"></td><td style="background:#f00"></td><b style="x:1"></b>"#
        #expect(StylePolicy.styleAttributes(in: html) == ["background:#f00", "x:1"])
    }
}
