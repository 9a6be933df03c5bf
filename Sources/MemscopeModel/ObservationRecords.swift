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

/// A memory error a debugging recorder detected in the traced program's memory
/// (`memscope record --guard` / `--quarantine`): a damaged red zone or a changed
/// freed-block pattern. Errors visible in the heap events themselves (double and
/// invalid frees) are not written as records: the analysis derives them.
public struct MemoryError: Sendable, Equatable {
    public enum Kind: UInt8, Sendable, Equatable, CaseIterable {
        /// A write outside the block: a red zone next to it was changed.
        case overflow = 0
        /// A write to a freed block: its fill pattern was changed while in quarantine.
        case writeAfterFree = 1

        public var name: String {
            switch self {
            case .overflow: "overflow"
            case .writeAfterFree: "write_after_free"
            }
        }

        public init?(name: String) {
            guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = kind
        }
    }

    /// Where the damaged bytes are, relative to the block.
    public enum Side: UInt8, Sendable, Equatable, CaseIterable {
        /// Inside the (freed) block; `offset` counts from its first byte.
        case inside = 0
        /// Past its end; `offset` counts from the first byte after the block (0 = that byte).
        case after = 1
        /// Before its start; `offset` is how far before (1 = the byte just before).
        case before = 2

        public var name: String {
            switch self {
            case .inside: "inside"
            case .after: "after"
            case .before: "before"
            }
        }

        public init?(name: String) {
            guard let side = Self.allCases.first(where: { $0.name == name }) else { return nil }
            self = side
        }
    }

    /// When it was found (not when the bad write happened, which cannot be seen).
    public var timestamp: UInt64
    /// The thread that found it.
    public var thread: UInt32
    public var kind: Kind
    /// The block's address (as the program saw it) and requested size.
    public var address: UInt64
    public var size: UInt64
    public var side: Side
    /// The damaged byte nearest the block (for `inside`: the first changed byte); see ``Side``.
    public var offset: UInt64
    /// How many bytes of the red zone or of the freed block differ from the pattern.
    public var bytes: UInt64
    /// Stack of the block's allocation, 0 = unknown.
    public var allocationStack: UInt32
    /// Stack of the block's free, 0 = not freed (a live block checked at exit).
    public var freeStack: UInt32
    /// Stack of the operation that found it (the free, or the call that evicted the block
    /// from quarantine); 0 = found at exit.
    public var foundStack: UInt32

    public init(timestamp: UInt64, thread: UInt32, kind: Kind, address: UInt64, size: UInt64, side: Side,
                offset: UInt64, bytes: UInt64, allocationStack: UInt32, freeStack: UInt32, foundStack: UInt32) {
        self.timestamp = timestamp
        self.thread = thread
        self.kind = kind
        self.address = address
        self.size = size
        self.side = side
        self.offset = offset
        self.bytes = bytes
        self.allocationStack = allocationStack
        self.freeStack = freeStack
        self.foundStack = foundStack
    }
}

/// The words of a block read by the recorder as the block died (freed, `realloc(p, 0)`, or
/// moved by `realloc`), kept when they may be the address of a heap block: 16-aligned and in
/// the part of the address space the heap used. Which of them are pointers to blocks is for
/// the reader to resolve against the blocks live at that moment (and, for ownership, the
/// blocks freed before whose address was not reused: a dangling pointer the dying block
/// still held). An observation, not a fact: an integer can equal an address.
public struct BlockReferences: Sendable, Equatable {
    public var timestamp: UInt64
    public var thread: UInt32
    /// The dying block's address (for a moving realloc, the old address).
    public var address: UInt64
    /// Byte offsets of the words in the block, increasing; one per target.
    public var offsets: [UInt64]
    /// The words' values.
    public var targets: [UInt64]

    public init(timestamp: UInt64, thread: UInt32, address: UInt64, offsets: [UInt64], targets: [UInt64]) {
        self.timestamp = timestamp
        self.thread = thread
        self.address = address
        self.offsets = offsets
        self.targets = targets
    }
}
