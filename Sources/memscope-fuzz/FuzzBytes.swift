/// Reads values out of a fuzz input, front to back; past the end every read gives zeros,
/// so any input is a valid sequence of choices.
struct FuzzBytes {
    private let bytes: UnsafeRawBufferPointer
    private var at = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isEmpty: Bool { at >= bytes.count }

    mutating func byte() -> UInt8 {
        guard at < bytes.count else { return 0 }
        defer { at += 1 }
        return bytes[at]
    }

    /// `count` raw bytes, little-endian.
    mutating func raw(_ count: Int) -> UInt64 {
        (0..<count).reduce(UInt64(0)) { value, i in value | UInt64(byte()) << (8 * UInt64(i)) }
    }

    /// A number drawn towards the edges: zero, small, near 2^32, near 2^63, near 2^64, or raw.
    mutating func number() -> UInt64 {
        let pick = byte()
        let low = UInt64(byte())
        switch pick % 8 {
        case 0: return low
        case 1: return low << 8 | UInt64(byte())
        case 2: return UInt64.max &- low
        case 3: return (1 << 63) &+ low &- 128
        case 4: return (1 << 32) &+ low &- 128
        case 5: return raw(4)
        case 6: return raw(8)
        default: return low * 1000
        }
    }

    /// A number below `bound` (0 when `bound` is 0).
    mutating func below(_ bound: UInt64) -> UInt64 {
        bound == 0 ? 0 : number() % bound
    }

    /// A string of up to 63 bytes taken as they are (any UTF-8, valid or not).
    mutating func string() -> String {
        let count = Int(byte() % 64)
        var text: [UInt8] = []
        for _ in 0..<count { text.append(byte()) }
        return String(decoding: text, as: UTF8.self)
    }
}
