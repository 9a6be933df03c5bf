/// Why a field could not be decoded from a record payload.
enum FieldError: Error {
    case truncated(field: StaticString)
    case badVarint(field: StaticString)
}

/// Decodes the fields of one record payload: LEB128 integers and length-prefixed strings.
struct PayloadCursor {
    private var position: UnsafePointer<UInt8>
    private let end: UnsafePointer<UInt8>

    init(_ start: UnsafeRawPointer, count: Int) {
        position = start.assumingMemoryBound(to: UInt8.self)
        end = position + count
    }

    var remaining: Int { end - position }

    /// An unsigned LEB128 integer of at most 64 bits.
    @inline(__always)
    mutating func varint(_ field: StaticString) throws(FieldError) -> UInt64 {
        guard position < end else { throw .truncated(field: field) }
        let first = position.pointee
        position += 1
        if first < 0x80 { return UInt64(first) }
        var value = UInt64(first & 0x7F)
        var shift: UInt64 = 7
        while true {
            guard position < end else { throw .truncated(field: field) }
            let byte = position.pointee
            position += 1
            if shift == 63 && byte > 1 { throw .badVarint(field: field) }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
            if shift > 63 { throw .badVarint(field: field) }
        }
    }

    /// A LEB128 integer that must fit 32 bits; larger values are reported by the caller.
    @inline(__always)
    mutating func varint32(_ field: StaticString) throws(FieldError) -> UInt64 {
        try varint(field)
    }

    /// A length-prefixed UTF-8 string (invalid sequences are repaired with U+FFFD).
    mutating func string(_ field: StaticString) throws(FieldError) -> String {
        let length = try varint(field)
        guard length <= UInt64(remaining) else { throw .truncated(field: field) }
        let bytes = UnsafeBufferPointer(start: position, count: Int(length))
        position += Int(length)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Appends LEB128 and string fields to a byte array.
struct PayloadBuilder {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(64) }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varint<T: BinaryInteger>(_ value: T) { varint(UInt64(value)) }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        varint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }
}
