/// A command line written as one line a shell would run again: arguments made only of
/// characters a shell leaves alone as they are, others in single quotes, and those holding
/// a quote or a control character (a newline in `python3 -c '…'`, an escape sequence in a
/// hostile dump) in `$'…'` with the character escaped, as bash's `printf %q` does.
public enum CommandLineText {
    public static func quoted(_ argv: [String]) -> String {
        argv.map(quoted).joined(separator: " ")
    }

    public static func quoted(_ argument: String) -> String {
        if argument.isEmpty { return "''" }
        if argument.unicodeScalars.allSatisfy(isPlain) { return argument }
        if !argument.unicodeScalars.contains(where: { $0 == "'" || isControl($0) }) { return "'\(argument)'" }
        var out = "$'"
        for scalar in argument.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case _ where isControl(scalar): out += "\\x" + hex(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    /// C0 and C1 control characters and DEL: what a terminal may act on.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", "/", ",", ":", "=", "+", "@", "%": true
        default: scalar.value > 0x9F && scalar.properties.isAlphabetic
        }
    }

    /// At least two lower-case hex digits: `1b`, `9b`.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: false)
        return digits.count < 2 ? "0" + digits : digits
    }
}

/// Text for a terminal: control characters other than newline and tab (escape sequences from
/// a hostile dump's names, which would move the cursor, retitle the window or worse) written
/// as `\x1b`. Text without any is returned as it is, after one pass over its bytes.
public enum TerminalText {
    public static func escapingControls(_ text: String) -> String {
        var utf8 = text.utf8.makeIterator()
        var found = false
        var previous: UInt8 = 0
        while let byte = utf8.next() {
            // C0 (but newline and tab), DEL, and C1 (U+0080–U+009F: 0xC2 0x80…0x9F in UTF-8).
            if (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F
                || (previous == 0xC2 && (0x80...0x9F).contains(byte)) {
                found = true
                break
            }
            previous = byte
        }
        guard found else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if CommandLineText.isControl(scalar) && scalar != "\n" && scalar != "\t" {
                out.append(contentsOf: ("\\x" + CommandLineText.hex(scalar.value)).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
