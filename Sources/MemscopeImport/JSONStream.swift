import Foundation
import MemscopeFormat
import MemscopeModel

/// Reads one JSON document from a ``DecodedFile`` a value at a time, so that an importer
/// keeps only what it converts (DHAT's program points, memscope-rs's allocation entries),
/// never the file: memory is bounded by the state the format needs, whatever the file's
/// size, whitespace or decompression ratio.
///
/// Containers are walked with ``beginObject()``/``nextKey()`` and ``beginArray()``/
/// ``nextElement()``; a member is read whole with ``value()`` (as Foundation values, the
/// same types `JSONSerialization` gives, for ``JSONDocument``'s typed accessors) or passed
/// over with ``skipValue()``. Nesting and string length are limited (``Limits``); errors
/// name the byte offset in the decompressed input.
final class JSONStream {
    struct Limits {
        /// Deepest nesting of arrays and objects (``InputLimits/jsonDepth``).
        var maxDepth = 256
        /// Longest string, in bytes after unescaping (``InputLimits/stringBytes``).
        var maxStringBytes = 1 << 20

        init() {}

        init(_ limits: InputLimits) {
            maxDepth = limits.jsonDepth
            maxStringBytes = limits.stringBytes
        }
    }

    private let file: DecodedFile
    private let path: String
    private let format: InputFormat
    private let limits: Limits
    private var chunk = UnsafeRawBufferPointer(start: nil, count: 0)
    private var position = 0
    /// Bytes consumed before `chunk`.
    private var chunkOffset: UInt64 = 0
    /// Per open container: whether no member has been read yet.
    private var firstMember: [Bool] = []
    private var scratch: [UInt8] = []

    init(file: DecodedFile, path: String, format: InputFormat, limits: Limits = Limits()) {
        self.file = file
        self.path = path
        self.format = format
        self.limits = limits
    }

    /// The byte offset (decompressed) of the next byte.
    var offset: UInt64 { chunkOffset + UInt64(position) }

    // MARK: Bytes

    @inline(__always)
    private func peek() throws -> UInt8? {
        if position < chunk.count { return chunk[position] }
        chunkOffset += UInt64(chunk.count)
        position = 0
        guard let next = try file.nextChunk() else {
            chunk = UnsafeRawBufferPointer(start: nil, count: 0)
            return nil
        }
        chunk = next
        return chunk[0]
    }

    @inline(__always)
    private func take() throws -> UInt8? {
        guard let byte = try peek() else { return nil }
        position += 1
        return byte
    }

    /// The next byte that is not whitespace, not consumed.
    private func peekToken() throws -> UInt8? {
        while true {
            let bytes = chunk
            var p = position
            while p < bytes.count {
                let byte = bytes[p]
                if byte != 0x20 && byte != 0x0A && byte != 0x0D && byte != 0x09 {
                    position = p
                    return byte
                }
                p += 1
            }
            position = p
            guard try peek() != nil else { return nil }
        }
    }

    func fail(_ what: String) -> ImportError {
        ImportError(path: path, problem: .invalidJSON(format: format, reason: "\(what) at byte \(offset)"))
    }

    private func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "the end of the input" }
        return (0x21...0x7E).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private func expect(_ expected: UInt8, _ what: String) throws {
        let byte = try peekToken()
        guard byte == expected else { throw fail("expected \(what), found \(describe(byte))") }
        position += 1
    }

    // MARK: Containers

    /// Enters the object that comes next.
    func beginObject() throws {
        try checkDepth()
        try expect(UInt8(ascii: "{"), "an object ('{')")
        firstMember.append(true)
    }

    /// The next key of the innermost object, after which its value comes; nil (and the
    /// object closed) at its end.
    func nextKey() throws -> String? {
        guard try member(closing: UInt8(ascii: "}")) else { return nil }
        guard try peekToken() == UInt8(ascii: "\"") else { throw fail("expected a key (a string), found \(describe(try peekToken()))") }
        position += 1
        let key = try stringBody()
        try expect(UInt8(ascii: ":"), "':' after a key")
        return key
    }

    /// Enters the array that comes next.
    func beginArray() throws {
        try checkDepth()
        try expect(UInt8(ascii: "["), "an array ('[')")
        firstMember.append(true)
    }

    /// Whether the innermost array has another element (which comes next); false, and
    /// the array closed, at its end.
    func nextElement() throws -> Bool {
        try member(closing: UInt8(ascii: "]"))
    }

    /// Whether the next value is an array (rather than anything else).
    func nextIsArray() throws -> Bool { try peekToken() == UInt8(ascii: "[") }

    /// The end of the document: nothing but whitespace may follow.
    func end() throws {
        if let byte = try peekToken() { throw fail("expected the end of the document, found \(describe(byte))") }
    }

    private func checkDepth() throws {
        guard firstMember.count < limits.maxDepth else {
            _ = try peekToken() // the error names the opening bracket's offset
            throw LimitExceeded(path: path, name: "json-depth", limit: UInt64(limits.maxDepth),
                                found: "arrays and objects nested more than \(limits.maxDepth) deep", location: "byte \(offset)")
        }
    }

    private func member(closing: UInt8) throws -> Bool {
        let byte = try peekToken()
        if byte == closing {
            position += 1
            firstMember.removeLast()
            return false
        }
        if firstMember[firstMember.count - 1] {
            firstMember[firstMember.count - 1] = false
        } else {
            guard byte == UInt8(ascii: ",") else {
                throw fail("expected ',' or '\(Character(UnicodeScalar(closing)))', found \(describe(byte))")
            }
            position += 1
        }
        return true
    }

    // MARK: Values

    /// The next value, whole: `[String: Any]`, `[Any]`, `String`, `NSNumber` (integers
    /// exact to 64 bits), `Bool` or `NSNull`.
    func value() throws -> Any {
        switch try peekToken() {
        case UInt8(ascii: "{"):
            try beginObject()
            var object: [String: Any] = [:]
            while let key = try nextKey() { object[key] = try value() }
            return object
        case UInt8(ascii: "["):
            try beginArray()
            var array: [Any] = []
            while try nextElement() { array.append(try value()) }
            return array
        case UInt8(ascii: "\""):
            position += 1
            return try stringBody()
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        case UInt8(ascii: "n"): try literal("null"); return NSNull()
        case let byte? where byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte):
            return try number()
        case let byte:
            throw fail("expected a value, found \(describe(byte))")
        }
    }

    /// Passes over the next value without keeping it.
    func skipValue() throws {
        switch try peekToken() {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""):
            position += 1
            try skipStringBody()
        default:
            _ = try value()
        }
    }

    private func literal(_ word: String) throws {
        for expected in word.utf8 {
            let byte = try take()
            guard byte == expected else { throw fail("expected '\(word)', found \(describe(byte))") }
        }
    }

    private func number() throws -> NSNumber {
        scratch.removeAll(keepingCapacity: true)
        var integral = true
        while let byte = try peek() {
            switch byte {
            case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "+"): break
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): integral = false
            default:
                return try finishNumber(integral: integral)
            }
            guard scratch.count < 400 else { throw fail("a number longer than 400 characters") }
            scratch.append(byte)
            position += 1
        }
        return try finishNumber(integral: integral)
    }

    private func finishNumber(integral: Bool) throws -> NSNumber {
        let text = String(decoding: scratch, as: UTF8.self)
        if integral, let value = UInt64(text) { return NSNumber(value: value) }
        if integral, let value = Int64(text) { return NSNumber(value: value) }
        // JSON's grammar: an optional '-', digits without a leading zero, fraction, exponent.
        let valid = text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil
        guard valid, let value = Double(text), value.isFinite else { throw fail("'\(text)' is not a JSON number") }
        return NSNumber(value: value)
    }

    private func stringBody() throws -> String {
        scratch.removeAll(keepingCapacity: true)
        try readString { scratch.append($0) }
        return String(decoding: scratch, as: UTF8.self)
    }

    private func skipStringBody() throws {
        try readString { _ in }
    }

    /// The bytes of a string whose opening quote was consumed, unescaped, through `emit`.
    private func readString(_ emit: (UInt8) -> Void) throws {
        var length = 0
        func put(_ byte: UInt8) throws {
            length += 1
            guard length <= limits.maxStringBytes else {
                throw LimitExceeded(path: path, name: "strings", limit: UInt64(limits.maxStringBytes),
                                    found: "a string longer than \(Units.count(UInt64(limits.maxStringBytes))) bytes", location: "byte \(offset)")
            }
            emit(byte)
        }
        while true {
            // The common case: plain bytes up to the next quote or backslash in this chunk.
            while position < chunk.count {
                let byte = chunk[position]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                try put(byte)
                position += 1
            }
            guard let byte = try take() else { throw fail("the input ends inside a string") }
            switch byte {
            case UInt8(ascii: "\""):
                return
            case UInt8(ascii: "\\"):
                guard let escaped = try take() else { throw fail("the input ends inside a string") }
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): try put(escaped)
                case UInt8(ascii: "b"): try put(0x08)
                case UInt8(ascii: "f"): try put(0x0C)
                case UInt8(ascii: "n"): try put(0x0A)
                case UInt8(ascii: "r"): try put(0x0D)
                case UInt8(ascii: "t"): try put(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate: its low half must follow, else U+FFFD.
                        if try peek() == UInt8(ascii: "\\") {
                            position += 1
                            guard try take() == UInt8(ascii: "u") else { throw fail("expected a \\u escape after a high surrogate") }
                            let low = try hex4()
                            scalar = (0xDC00..<0xE000).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                        } else {
                            scalar = 0xFFFD
                        }
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        scalar = 0xFFFD
                    }
                    for unit in String(Character(UnicodeScalar(scalar) ?? "\u{FFFD}")).utf8 { try put(unit) }
                default:
                    throw fail("'\\\(Character(UnicodeScalar(escaped)))' is not a JSON escape")
                }
            default:
                position -= 1
                throw fail("a control character (byte 0x\(String(byte, radix: 16))) inside a string; JSON needs it escaped")
            }
        }
    }

    private func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try take(), let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else {
                throw fail("expected four hex digits after \\u")
            }
            value = value << 4 | digit
        }
        return value
    }
}
