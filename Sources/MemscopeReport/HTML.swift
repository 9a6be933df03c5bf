/// HTML escaping, in exactly one place. Every string that comes from a dump (function
/// and file names, the command line, thread names) passes through here before it is
/// written into the page; JSON for scripts goes through `jsonString`, which escapes
/// `<`, `>` and `&` so no `</script>` can close a script early.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters (other than tab and newline) are not valid HTML text.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" || scalar.value == 0x7F {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Fills `{{name}}` (escaped) and `{{{name}}}` (raw, already-built HTML) placeholders.
enum TemplateFiller {
    static func fill(_ template: String, _ values: [String: String]) throws -> String {
        var out = ""
        out.reserveCapacity(template.utf8.count + values.values.reduce(0) { $0 + $1.utf8.count })
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            out += rest[..<open.lowerBound]
            let raw = rest[open.upperBound...].hasPrefix("{")
            let nameStart = raw ? rest.index(after: open.upperBound) : open.upperBound
            let closing = raw ? "}}}" : "}}"
            guard let close = rest[nameStart...].firstRange(of: closing) else {
                throw ReportError.template("an unclosed placeholder")
            }
            let name = String(rest[nameStart..<close.lowerBound])
            guard let value = values[name] else { throw ReportError.template("no value for {{\(name)}}") }
            out += raw ? value : HTML.escape(value)
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }
}

public enum ReportError: Error, CustomStringConvertible {
    case template(String)
    public var description: String {
        switch self {
        case .template(let problem): "the report template is broken: \(problem)"
        }
    }
}
