/// A name and a type a program attached to the block at an address.
public struct Annotation: Sendable, Equatable {
    public var timestamp: UInt64
    public var thread: UInt32
    public var address: UInt64
    /// String id of the variable name (0 = none).
    public var name: UInt32
    /// String id of the type name (0 = none).
    public var typeName: UInt32

    public init(timestamp: UInt64, thread: UInt32, address: UInt64, name: UInt32, typeName: UInt32) {
        self.timestamp = timestamp
        self.thread = thread
        self.address = address
        self.name = name
        self.typeName = typeName
    }
}

/// An observed pointer to a live block: a pointer-sized word whose value lies in the
/// block, found in another live block or in a root. An observation, not a fact: an
/// integer can hold the same value as an address.
public struct PointerReference: Sendable, Equatable {
    /// Where the word was found.
    public enum Source: UInt8, Sendable, Equatable, CaseIterable {
        /// Inside the live block at `from`.
        case block = 0
        /// In a module's writable data or bss (a root).
        case moduleData = 1
        /// On a thread's stack, above its stack pointer (a root).
        case stack = 2
        /// In other writable memory that holds no heap block (a root).
        case otherMemory = 3

        public var name: String {
            switch self {
            case .block: "block"
            case .moduleData: "module_data"
            case .stack: "stack"
            case .otherMemory: "other"
            }
        }

        public init?(name: String) {
            guard let source = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = source
        }
    }

    public var timestamp: UInt64
    public var source: Source
    /// The referencing block's address when `source == .block`, else 0.
    public var from: UInt64
    /// The referenced block's address.
    public var to: UInt64
    /// The word pointed inside the block rather than at its start.
    public var interior: Bool

    public init(timestamp: UInt64, source: Source, from: UInt64, to: UInt64, interior: Bool) {
        self.timestamp = timestamp
        self.source = source
        self.from = from
        self.to = to
        self.interior = interior
    }
}

/// An ELF module mapped in the traced process.
public struct ModuleMapping: Sendable, Equatable {
    public var timestamp: UInt64
    /// The lowest and one past the highest address of its loaded segments.
    public var start: UInt64
    public var end: UInt64
    /// The load bias: the address of the module's virtual address 0.
    public var loadBias: UInt64
    /// String id of the module's path.
    public var path: UInt32
    /// String id of its GNU build id in lowercase hex (0 = none).
    public var buildID: UInt32

    public init(timestamp: UInt64, start: UInt64, end: UInt64, loadBias: UInt64, path: UInt32, buildID: UInt32) {
        self.timestamp = timestamp
        self.start = start
        self.end = end
        self.loadBias = loadBias
        self.path = path
        self.buildID = buildID
    }
}
