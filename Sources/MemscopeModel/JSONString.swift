/// A JSON string literal for `value`.
///
/// Besides quotes, backslashes and control characters, `<`, `>` and `&` are escaped as
/// `\u003c`, `\u003e`, `\u0026`, so the literal can also sit inside an HTML `<script>`.
public func jsonString(_ value: String) -> String {
    // Most strings need no escape: one pass over their bytes says so (a byte below 0x20,
    // DEL, `"`, `\`, `<`, `>`, `&`, or 0xE2, the lead byte of U+2028 and U+2029, sends
    // them the long way).
    let plain = value.utf8.allSatisfy { byte in
        byte >= 0x20 && byte != 0x7F && byte != 0x22 && byte != 0x5C && byte != 0x3C && byte != 0x3E && byte != 0x26 && byte != 0xE2
    }
    if plain { return "\"" + value + "\"" }
    // Byte by byte (a C++ name's `<` and `>` send most of a report's titles here): the same
    // escapes as per scalar, since a String's bytes are valid UTF-8 (U+2028 and U+2029 are
    // E2 80 A8 and E2 80 A9, and no other scalar's bytes are below 0x80 or hold that run).
    var text = value
    let out = text.withUTF8 { bytes -> [UInt8] in
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        out.append(0x22)
        func escape(_ text: StaticString) {
            text.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        let hexDigits: StaticString = "0123456789abcdef"
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            switch byte {
            case 0x22: escape("\\\"")
            case 0x5C: escape("\\\\")
            case 0x0A: escape("\\n")
            case 0x0D: escape("\\r")
            case 0x09: escape("\\t")
            case 0x3C: escape("\\u003c")
            case 0x3E: escape("\\u003e")
            case 0x26: escape("\\u0026")
            case 0xE2 where i + 1 < bytes.count && bytes[i] == 0x80 && (bytes[i + 1] == 0xA8 || bytes[i + 1] == 0xA9):
                escape(bytes[i + 1] == 0xA8 ? "\\u2028" : "\\u2029")
                i += 2
            case 0..<0x20, 0x7F:
                escape("\\u00")
                hexDigits.withUTF8Buffer { digits in
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 15)])
                }
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return out
    }
    return String(decoding: out, as: UTF8.self)
}
