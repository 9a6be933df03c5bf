import MemscopeModel

/// Constants of the `.msd` binary format, version 1 (see docs/FORMAT.md).
public enum MSDFormat {
    /// `\x89MSD\r\n\x1a\n`: a non-ASCII first byte, then line-ending traps, as in PNG.
    public static let magic: [UInt8] = [0x89, 0x4D, 0x53, 0x44, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let version: UInt16 = 1
    /// Magic (8) + version (u16) + flags (u16).
    public static let headerSize = 12
    /// The largest payload a record may declare: 16 MiB.
    public static let maxPayloadLength: UInt64 = 16 << 20
    /// The largest block size taken as real: 2^48 bytes (256 TiB).
    public static let maxBlockSize: UInt64 = 1 << 48
    /// The first four bytes of every zstd frame.
    public static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]
}

/// Record kinds of the `.msd` format. Raw values are the one-byte kind tags.
public enum RecordKind: UInt8, Sendable, CaseIterable {
    case meta = 0x01
    case string = 0x02
    case frame = 0x03
    case stack = 0x04
    case alloc = 0x10
    case free = 0x11
    case realloc = 0x12
    case threadStart = 0x20
    case threadName = 0x21
    case threadExit = 0x22
    case processEnd = 0x2F
    case annotation = 0x30
    case scopeEnter = 0x31
    case scopeExit = 0x32
    case task = 0x33
    case pointerReference = 0x36
    case memoryError = 0x37
    case moduleMap = 0x38
    case rssSample = 0x39
    case blockReferences = 0x3A
    case exec = 0x3B

    /// The `type` of the record in the text form.
    public var name: String {
        switch self {
        case .meta: "meta"
        case .string: "string"
        case .frame: "frame"
        case .stack: "stack"
        case .alloc: "alloc"
        case .free: "free"
        case .realloc: "realloc"
        case .threadStart: "thread_start"
        case .threadName: "thread_name"
        case .threadExit: "thread_exit"
        case .processEnd: "process_end"
        case .annotation: "annotation"
        case .scopeEnter: "scope_enter"
        case .scopeExit: "scope_exit"
        case .task: "task"
        case .pointerReference: "pointer_reference"
        case .memoryError: "memory_error"
        case .moduleMap: "module_map"
        case .rssSample: "rss"
        case .blockReferences: "block_references"
        case .exec: "exec"
        }
    }

    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    /// Kinds reserved for later versions; readers of version 1 skip them.
    public static let reserved: [UInt8: String] = [
        0x34: "marker",
        0x35: "rss_sample",
    ]

    /// A name for any kind byte, known or not.
    public static func describe(_ kind: UInt8) -> String {
        if let known = RecordKind(rawValue: kind) { return known.name }
        let hex = "0x" + (kind < 16 ? "0" : "") + String(kind, radix: 16)
        if let reserved = reserved[kind] { return "\(reserved) (\(hex), reserved)" }
        return "unknown \(hex)"
    }
}

extension Record {
    /// The one-byte kind tag of this record.
    public var kindByte: UInt8 {
        switch self {
        case .meta: RecordKind.meta.rawValue
        case .string: RecordKind.string.rawValue
        case .frame: RecordKind.frame.rawValue
        case .stack: RecordKind.stack.rawValue
        case .alloc: RecordKind.alloc.rawValue
        case .free: RecordKind.free.rawValue
        case .realloc: RecordKind.realloc.rawValue
        case .threadStart: RecordKind.threadStart.rawValue
        case .threadName: RecordKind.threadName.rawValue
        case .threadExit: RecordKind.threadExit.rawValue
        case .processEnd: RecordKind.processEnd.rawValue
        case .annotation: RecordKind.annotation.rawValue
        case .scopeEnter: RecordKind.scopeEnter.rawValue
        case .scopeExit: RecordKind.scopeExit.rawValue
        case .task: RecordKind.task.rawValue
        case .pointerReference: RecordKind.pointerReference.rawValue
        case .moduleMap: RecordKind.moduleMap.rawValue
        case .memoryError: RecordKind.memoryError.rawValue
        case .rssSample: RecordKind.rssSample.rawValue
        case .blockReferences: RecordKind.blockReferences.rawValue
        case .exec: RecordKind.exec.rawValue
        case .unknown(let kind, _): kind
        }
    }
}
