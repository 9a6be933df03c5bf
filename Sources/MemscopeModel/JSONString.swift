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
    var out = "\""
    out.reserveCapacity(value.utf8.count + 2)
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "<": out += "\\u003c"
        case ">": out += "\\u003e"
        case "&": out += "\\u0026"
        case "\u{2028}": out += "\\u2028"
        case "\u{2029}": out += "\\u2029"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    out += "\""
    return out
}
