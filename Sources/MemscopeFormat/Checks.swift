/// Range checks shared by the record decoders of both forms; each throws a located ``DumpError``.
struct Checks {
    let path: String
    let location: DumpError.Location
    let kind: String

    func sequence(table: String, id: UInt64, expected: UInt64) throws {
        guard id == expected, id <= UInt64(UInt32.max) else {
            throw DumpError(path: path, location: location,
                            problem: .idOutOfSequence(table: table, expected: expected, found: id))
        }
    }

    func reference(_ table: String, _ id: UInt64, defined: UInt32) throws -> UInt32 {
        guard id <= UInt64(defined) else {
            throw DumpError(path: path, location: location,
                            problem: .undefinedReference(kind: kind, field: table, id: id, defined: Int(defined)))
        }
        return UInt32(id)
    }

    func fits32(_ field: String, _ value: UInt64) throws -> UInt32 {
        guard value <= UInt64(UInt32.max) else {
            throw DumpError(path: path, location: location,
                            problem: .absurdValue(kind: kind, field: field, value: value, limit: UInt64(UInt32.max)))
        }
        return UInt32(value)
    }

    func size(_ value: UInt64) throws -> UInt64 {
        guard value <= MSDFormat.maxBlockSize else {
            throw DumpError(path: path, location: location,
                            problem: .absurdValue(kind: kind, field: "size", value: value, limit: MSDFormat.maxBlockSize))
        }
        return value
    }

    func bad(_ field: String, _ value: String, expected: String) -> DumpError {
        DumpError(path: path, location: location, problem: .badValue(kind: kind, field: field, value: value, expected: expected))
    }
}
