/// Range checks shared by the record decoders of both forms; each throws a located
/// ``DumpError`` whose path the reader fills in (kept out of here: this is built per record).
struct Checks {
    let location: DumpError.Location
    private let kindByte: UInt8
    private let kindName: String?

    /// For the binary form: the record's kind byte (its name is only computed for errors).
    init(location: DumpError.Location, kindByte: UInt8) {
        self.location = location
        self.kindByte = kindByte
        self.kindName = nil
    }

    /// For the text form: the record's type.
    init(location: DumpError.Location, kind: String) {
        self.location = location
        self.kindByte = 0
        self.kindName = kind
    }

    var kind: String { kindName ?? RecordKind.describe(kindByte) }

    func sequence(table: String, id: UInt64, expected: UInt64) throws {
        guard id == expected, id <= UInt64(UInt32.max) else {
            throw DumpError(path: "", location: location,
                            problem: .idOutOfSequence(table: table, expected: expected, found: id))
        }
    }

    func reference(_ table: String, _ id: UInt64, defined: UInt32) throws -> UInt32 {
        guard id <= UInt64(defined) else {
            throw DumpError(path: "", location: location,
                            problem: .undefinedReference(kind: kind, field: table, id: id, defined: Int(defined)))
        }
        return UInt32(id)
    }

    func fits32(_ field: String, _ value: UInt64) throws -> UInt32 {
        guard value <= UInt64(UInt32.max) else {
            throw DumpError(path: "", location: location,
                            problem: .absurdValue(kind: kind, field: field, value: value, limit: UInt64(UInt32.max)))
        }
        return UInt32(value)
    }

    func size(_ value: UInt64) throws -> UInt64 {
        guard value <= MSDFormat.maxBlockSize else {
            throw DumpError(path: "", location: location,
                            problem: .absurdValue(kind: kind, field: "size", value: value, limit: MSDFormat.maxBlockSize))
        }
        return value
    }

    func bad(_ field: String, _ value: String, expected: String) -> DumpError {
        DumpError(path: "", location: location, problem: .badValue(kind: kind, field: field, value: value, expected: expected))
    }
}
