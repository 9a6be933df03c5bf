/// LEB128 reads without bounds checks, for ``EventRecordFastPath``.
///
/// Why: the checked ``PayloadCursor/varint(_:)`` compares against the payload's end and may
/// throw at every byte, which is most of the cost of reading a dump. Here the caller
/// guarantees instead that 10 bytes from `p` are readable (the longest valid encoding), and
/// checks once per record, afterwards, that no field ran past the payload.
enum UncheckedVarint {
    /// Reads one LEB128 integer at `p` and moves `p` past it. An encoding that the checked
    /// reader rejects (longer than 10 bytes, or 2^64 or more) sets `malformed` and moves `p`
    /// 10 bytes on; the value is then meaningless.
    ///
    /// For fields that are mostly one or two bytes (thread ids, sizes, allocators, stack
    /// ids, payload lengths): each of those takes one branch, longer ones go on to ``readWide``.
    @inline(__always)
    static func read(_ p: inout UnsafePointer<UInt8>, malformed: inout Bool) -> UInt64 {
        let first = UInt64(p[0])
        if first < 0x80 {
            p += 1
            return first
        }
        let second = UInt64(p[1])
        if second < 0x80 {
            p += 2
            return (first & 0x7F) | second &<< 7
        }
        return readWide(&p, malformed: &malformed)
    }

    /// The same as ``read(_:malformed:)``, for fields that are mostly 3 to 8 bytes long
    /// (timestamps, addresses): encodings of up to 8 bytes, everything below 2^56, are
    /// decoded from one 8-byte load, without a loop or a branch on their length.
    @inline(__always)
    static func readWide(_ p: inout UnsafePointer<UInt8>, malformed: inout Bool) -> UInt64 {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        // Bit 7 of each byte that ends an encoding (its continuation bit is clear).
        let stops = ~word & 0x8080_8080_8080_8080
        guard stops != 0 else {
            // 9 bytes or more: rare, so out of line, and `p` stays in a register.
            let length = readLong(p)
            malformed = malformed || length.bytes == 0
            p += length.bytes == 0 ? 10 : length.bytes
            return length.value
        }
        p += stops.trailingZeroBitCount &>> 3 &+ 1
        // The encoding's bytes (up to the first stop), without their continuation bits…
        var value = word & (stops ^ (stops &- 1)) & 0x7F7F_7F7F_7F7F_7F7F
        // …packed together: 7-bit groups into 14-bit, then 28-bit, then 56-bit ones.
        value = (value & 0x007F_007F_007F_007F) | ((value & 0x7F00_7F00_7F00_7F00) &>> 1)
        value = (value & 0x0000_3FFF_0000_3FFF) | ((value & 0x3FFF_0000_3FFF_0000) &>> 2)
        value = (value & 0x0000_0000_0FFF_FFFF) | ((value & 0x0FFF_FFFF_0000_0000) &>> 4)
        return value
    }

    /// An encoding of 9 or more bytes at `p`, with the checked reader's rules: the 10th byte
    /// may only be 0 or 1, and there is no 11th. `bytes` is 0 for an encoding it rejects.
    @inline(never)
    static func readLong(_ p: UnsafePointer<UInt8>) -> (value: UInt64, bytes: Int) {
        var value: UInt64 = 0
        for index in 0..<10 {
            let byte = p[index]
            if index == 9 && byte > 1 { break }
            value |= UInt64(byte & 0x7F) &<< UInt64(7 * index)
            if byte < 0x80 { return (value, index + 1) }
        }
        return (0, 0)
    }
}
