import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

/// Analyses records directly (no file).
public func analyze(_ records: [Record], options: AnalysisOptions = .default) -> Analysis {
    let analyzer = Analyzer(options: options)
    analyzer.consume(records)
    return analyzer.finish()
}

/// Encodes records in the binary form, in memory.
public func encodeBinary(_ records: [Record]) -> [UInt8] {
    var bytes = MSDFormat.magic + [UInt8(MSDFormat.version & 0xFF), UInt8(MSDFormat.version >> 8), 0, 0]
    for record in records { bytes += encodeRecord(record) }
    return bytes
}

/// One record framed: kind byte, LEB128 length, payload.
public func encodeRecord(_ record: Record) -> [UInt8] {
    let payload = MSDBinaryWriter.payload(of: record)
    var bytes = [record.kindByte]
    var length = UInt64(payload.count)
    while length >= 0x80 {
        bytes.append(UInt8(truncatingIfNeeded: length) | 0x80)
        length >>= 7
    }
    bytes.append(UInt8(length))
    return bytes + payload
}

/// Every record of an in-memory dump, with the reader's diagnostics.
public func readAll(_ bytes: [UInt8], path: String = "test.msd", format: DumpFormat? = nil) throws
    -> (records: [Record], diagnostics: Diagnostics, truncated: Bool) {
    let reader = try DumpOpener.open(bytes: bytes, path: path, format: format)
    var records: [Record] = []
    try reader.forEach { records.append($0) }
    return (records, reader.diagnostics, reader.wasTruncated)
}
