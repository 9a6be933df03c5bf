/// A fatal problem with an input or output file: where it is, what was expected, a hint.
///
/// The wording lives here and only here. Rendered compiler-style:
/// `dump.msd: byte 1234: error: stack record refers to frame 9, but only 8 frames are defined`
/// `  hint: …`
public struct DumpError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Location: Equatable, Sendable {
        case none
        case byte(UInt64)
        case line(Int, column: Int)
    }

    public enum Problem: Equatable, Sendable {
        case cannotOpen(reason: String)
        case readFailed(reason: String)
        case writeFailed(reason: String)
        /// The output file exists and overwriting was not asked for.
        case outputExists
        case emptyFile
        case notADump(found: String)
        case unsupportedVersion(found: UInt16)
        case metaNotFirst(foundKind: String)
        case duplicateMeta
        case recordTooLarge(kind: String, length: UInt64)
        case badVarint(kind: String, field: String)
        case recordTooShort(kind: String, field: String)
        case idOutOfSequence(table: String, expected: UInt64, found: UInt64)
        case undefinedReference(kind: String, field: String, id: UInt64, defined: Int)
        case absurdValue(kind: String, field: String, value: UInt64, limit: UInt64)
        case badValue(kind: String, field: String, value: String, expected: String)
        case zstd(reason: String)
        case gzip(reason: String)
        case json(expected: String, found: String)
        case missingField(kind: String, field: String)
        case lineTooLong(length: Int)
        case badSuppression(text: String)
    }

    public var path: String
    public var location: Location
    public var problem: Problem

    public init(path: String, location: Location = .none, problem: Problem) {
        self.path = path
        self.location = location
        self.problem = problem
    }

    public var description: String {
        Self.describe(path: path, location: location, message: message, hint: hint)
    }

    /// `path: byte N: error: message` (or `path:line:column: …`), then the hint on its own
    /// line: the wording of every input error, whichever stage found it.
    public static func describe(path: String, location: Location, message: String, hint: String) -> String {
        var text = path
        switch location {
        case .none: break
        case .byte(let offset): text += ": byte \(offset)"
        case .line(let line, let column): text += ":\(line):\(column)"
        }
        text += ": error: \(message)"
        if !hint.isEmpty { text += "\n  hint: \(hint)" }
        return text
    }

    public var message: String {
        switch problem {
        case .cannotOpen(let reason): "cannot open the file: \(reason)"
        case .readFailed(let reason): "cannot read the file: \(reason)"
        case .writeFailed(let reason): "cannot write the file: \(reason)"
        case .outputExists: "cannot write the file: the file exists (pass --force to overwrite it)"
        case .emptyFile: "the file is empty; expected a memscope dump"
        case .notADump(let found):
            "not a memscope dump: expected the .msd magic bytes 89 4d 53 44 0d 0a 1a 0a, a zstd frame or a JSON Lines header, found \(found)"
        case .unsupportedVersion(let found):
            "unsupported .msd version \(found); this build of memscope reads version \(MSDFormat.version)"
        case .metaNotFirst(let kind): "expected a meta record first, found a \(kind) record"
        case .duplicateMeta: "a second meta record; a dump has exactly one"
        case .recordTooLarge(let kind, let length):
            "\(kind) record declares \(length) payload bytes; the limit is \(MSDFormat.maxPayloadLength)"
        case .badVarint(let kind, let field):
            "\(kind) record: field '\(field)' is not a valid LEB128 integer (longer than 10 bytes or above 2^64)"
        case .recordTooShort(let kind, let field):
            "\(kind) record ends before its field '\(field)'"
        case .idOutOfSequence(let table, let expected, let found):
            "\(table) record has id \(found); expected \(expected) (ids start at 1 and grow by one)"
        case .undefinedReference(let kind, let field, let id, let defined):
            "\(kind) record refers to \(field) \(id), but only \(defined) are defined so far"
        case .absurdValue(let kind, let field, let value, let limit):
            "\(kind) record: \(field) \(value) is absurd (the limit is \(limit))"
        case .badValue(let kind, let field, let value, let expected):
            "\(kind) record: \(field) is \(value); expected \(expected)"
        case .zstd(let reason): "zstd decompression failed: \(reason)"
        case .gzip(let reason): "gzip decompression failed: \(reason)"
        case .json(let expected, let found): "expected \(expected), found \(found)"
        case .missingField(let kind, let field): "\(kind) record lacks the field '\(field)'"
        case .lineTooLong(let length): "line longer than \(length) bytes"
        case .badSuppression(let text): "expected a suppression such as leak:PATTERN, found '\(text)'"
        }
    }

    public var hint: String {
        switch problem {
        case .cannotOpen, .readFailed: "check the path and its permissions"
        case .writeFailed: "check that the directory exists, is writable and has free space"
        case .outputExists: "memscope never overwrites a file unless told to: add --force, or choose another output path"
        case .emptyFile: "the traced program may have died before the recorder wrote anything"
        case .notADump:
            "memscope reads .msd dumps (binary or JSON Lines, optionally zstd-compressed; see docs/FORMAT.md) and heaptrack, massif, DHAT, memscope-rs and folded-stack files (see README); --format forces one"
        case .unsupportedVersion: "upgrade memscope, or re-record the dump with a matching recorder"
        case .metaNotFirst, .duplicateMeta: "the producer must write the meta record right after the header"
        case .recordTooLarge, .badVarint, .recordTooShort:
            "the file is corrupt, or was not written as docs/FORMAT.md describes"
        case .idOutOfSequence, .undefinedReference:
            "a producer must define strings, frames and stacks before referring to them, numbering each table 1, 2, 3, …"
        case .absurdValue, .badValue: "the producer wrote a value outside the format's range; see docs/FORMAT.md"
        case .zstd: "the file looks zstd-compressed but cannot be decompressed; check it with `zstd -t`"
        case .gzip: "the file looks gzip-compressed but cannot be decompressed; check it with `gzip -t`"
        case .json, .missingField:
            "each line of the text form is one JSON object with a \"type\" field; see docs/FORMAT.md"
        case .lineTooLong: "the text form keeps each record on one line"
        case .badSuppression: "suppression files use LeakSanitizer's format: one leak:PATTERN per line, # for comments"
        }
    }
}

extension DumpError.Location: CustomStringConvertible {
    /// `byte 1234`, `line 7:3`, or an empty string.
    public var description: String {
        switch self {
        case .none: ""
        case .byte(let offset): "byte \(offset)"
        case .line(let line, let column): "line \(line):\(column)"
        }
    }
}
