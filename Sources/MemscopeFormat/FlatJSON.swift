/// A value in a flat JSON object of the text form.
enum JSONValue: Equatable {
    case string(String)
    case integer(UInt64)
    case negative(Int64)
    case fraction(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object
}

/// A JSON syntax error at a column of the current line.
struct JSONSyntaxError: Error {
    var column: Int
    var expected: String
    var found: String
}

/// Parses one JSON object whose values are scalars or arrays of scalars (the text form
/// needs no more). Nested objects are accepted and skipped as `.object`.
struct FlatJSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The object's members in order of appearance.
    mutating func parseObject() throws(JSONSyntaxError) -> [(String, JSONValue)] {
        skipSpace()
        try expect(UInt8(ascii: "{"), "'{' to open a record object")
        var members: [(String, JSONValue)] = []
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw error("a quoted member name") }
                let key = try parseString()
                skipSpace()
                try expect(UInt8(ascii: ":"), "':' after the member name")
                let value = try parseValue(depth: 0)
                members.append((key, value))
                skipSpace()
                if peek() == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                break
            }
        }
        skipSpace()
        if i < bytes.count { throw error("the end of the line after the object") }
        return members
    }

    private func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

    private func error(_ expected: String) -> JSONSyntaxError {
        JSONSyntaxError(column: i + 1, expected: expected, found: describeFound())
    }

    private func describeFound() -> String {
        guard i < bytes.count else { return "the end of the line" }
        let end = min(bytes.count, i + 12)
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)
        return "'\(text)\(end < bytes.count ? "…" : "")'"
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        guard peek() == byte else { throw error(what) }
        i += 1
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipSpace()
        guard let c = peek() else { throw error("a value") }
        switch c {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "["):
            guard depth < 32 else { throw error("less nesting") }
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if peek() == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                if peek() == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                return .array(items)
            }
        case UInt8(ascii: "{"):
            guard depth < 32 else { throw error("less nesting") }
            i += 1
            skipSpace()
            if peek() == UInt8(ascii: "}") { i += 1; return .object }
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw error("a quoted member name") }
                _ = try parseString()
                skipSpace()
                try expect(UInt8(ascii: ":"), "':'")
                _ = try parseValue(depth: depth + 1)
                skipSpace()
                if peek() == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                return .object
            }
        default: throw error("a JSON value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let matches = i + count <= bytes.count && (0..<count).allSatisfy { bytes[i + $0] == word.utf8Start[$0] }
        guard matches else { throw error("'\(word)'") }
        i += count
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = i
        if peek() == UInt8(ascii: "-") { i += 1 }
        while let c = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { i += 1 }
        var isFraction = false
        while let c = peek(), c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
            || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) {
            isFraction = true
            i += 1
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        if isFraction {
            guard let value = Double(text) else { i = start; throw error("a number") }
            return .fraction(value)
        }
        if text.hasPrefix("-") {
            guard let value = Int64(text) else { i = start; throw error("an integer within 64 bits") }
            return .negative(value)
        }
        guard let value = UInt64(text) else { i = start; throw error("an integer within 64 bits") }
        return .integer(value)
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw error("a closing '\"'") }
            i += 1
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { i -= 1; throw error("no control character inside a string (escape it)") }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard let e = peek() else { throw error("an escape character") }
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), peek() == UInt8(ascii: "\\"),
                   i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        out.append(contentsOf: Array("\u{FFFD}".utf8))
                        scalar = low
                    }
                }
                let char = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(char)).utf8))
            default:
                i -= 1
                throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), let digit = hexDigit(c) else { throw error("four hex digits after \\u") }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }
}

func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}
