import MemscopeFormat

/// Reads space-separated fields of one text line, with 1-based columns for errors.
struct LineFields {
    let bytes: [UInt8]
    private(set) var position: Int
    let path: String
    let line: Int
    let format: InputFormat

    /// - Parameter skip: bytes already consumed (the record letter and its space).
    init(_ text: String, skip: Int, path: String, line: Int, format: InputFormat) {
        bytes = Array(text.utf8)
        position = min(skip, bytes.count)
        self.path = path
        self.line = line
        self.format = format
    }

    var atEnd: Bool {
        var p = position
        while p < bytes.count && bytes[p] == 0x20 { p += 1 }
        return p >= bytes.count
    }

    /// The next field, or nil at the end of the line.
    mutating func next() -> ArraySlice<UInt8>? {
        while position < bytes.count && bytes[position] == 0x20 { position += 1 }
        guard position < bytes.count else { return nil }
        let start = position
        while position < bytes.count && bytes[position] != 0x20 { position += 1 }
        return bytes[start..<position]
    }

    /// The next field as a hex number (heaptrack writes lower case; upper case is accepted).
    mutating func hex(_ what: String) throws -> UInt64 {
        let column = position + 1
        guard let field = next() else { throw error("\(what) (a hex number)", found: "the end of the line", column: column) }
        guard let value = UInt64(String(decoding: field, as: UTF8.self), radix: 16) else {
            throw error("\(what) (a hex number)", found: "'\(String(decoding: field.prefix(40), as: UTF8.self))'",
                        column: position - field.count + 1)
        }
        return value
    }

    /// The next field as a decimal number.
    mutating func decimal(_ what: String) throws -> UInt64 {
        let column = position + 1
        guard let field = next() else { throw error("\(what) (a number)", found: "the end of the line", column: column) }
        guard let value = UInt64(String(decoding: field, as: UTF8.self)) else {
            throw error("\(what) (a number)", found: "'\(String(decoding: field.prefix(40), as: UTF8.self))'",
                        column: position - field.count + 1)
        }
        return value
    }

    /// Everything after the current position, past one separating space.
    mutating func rest() -> String {
        if position < bytes.count && bytes[position] == 0x20 { position += 1 }
        defer { position = bytes.count }
        return String(decoding: bytes[min(position, bytes.count)...], as: UTF8.self)
    }

    func error(_ expected: String, found: String, column: Int? = nil) -> ImportError {
        ImportError(path: path, location: .line(line, column: column ?? position + 1),
                    problem: .expected(format: format, what: expected, found: found))
    }
}
