/// One record of a memscope dump, exactly as the `.msd` format defines it.
///
/// The parse stage yields records in file order; the analysis stage consumes them.
/// Table records (`string`, `frame`, `stack`) define interned values that later
/// records refer to by id. Ids start at 1 and grow by one; id 0 means "none".
/// Timestamps are in the dump's clock unit (see ``Metadata/clockUnitNanoseconds``).
public enum Record: Sendable, Equatable {
    /// Indirect: keeps every other record small (metadata is large and appears once).
    indirect case meta(Metadata)
    case string(id: UInt32, value: String)
    case frame(Frame)
    case stack(id: UInt32, parent: UInt32, frame: UInt32)
    case alloc(Alloc)
    case free(Free)
    case realloc(Realloc)
    case threadStart(timestamp: UInt64, thread: UInt32, parent: UInt32)
    case threadName(timestamp: UInt64, thread: UInt32, name: UInt32)
    case threadExit(timestamp: UInt64, thread: UInt32)
    case processEnd(ProcessEnd)
    /// A name and type a program gave to the block at an address (memscope_annotate).
    case annotation(Annotation)
    /// A user scope begins on a thread; scopes nest per thread.
    case scopeEnter(timestamp: UInt64, thread: UInt32, name: UInt32)
    /// The innermost open scope of the thread ends.
    case scopeExit(timestamp: UInt64, thread: UInt32)
    /// From now on the thread's events belong to this task (0: to no task).
    case task(timestamp: UInt64, thread: UInt32, task: UInt64)
    /// An observed pointer to a block, found by the recorder's reference scan.
    case pointerReference(PointerReference)
    /// The words of a block that dies (freed, or moved by realloc) that may be addresses of
    /// heap blocks, read by the recorder just before (kind 0x3A `block_references`). Boxed:
    /// it holds arrays.
    indirect case blockReferences(BlockReferences)
    /// A module (executable or shared library) mapped in the traced process.
    case moduleMap(ModuleMapping)
    /// A memory error the recorder found in the program's memory (a damaged red zone,
    /// a write to a freed block). Boxed: rare, and at 68 bytes inline it made every
    /// record 72 bytes instead of 48 (batches of events are a stream of records).
    indirect case memoryError(MemoryError)
    /// The traced process's resident set size (bytes in RAM, heap or not) at a moment
    /// (kind 0x39 `rss`).
    case rssSample(timestamp: UInt64, residentBytes: UInt64)
    /// The process replaced its program (execve): from here on it runs this command line
    /// (kind 0x3B `exec`). Boxed: it holds an array.
    indirect case exec(timestamp: UInt64, commandLine: [String])
    /// A record kind this version does not interpret (reserved or newer), kept
    /// byte for byte so that `convert` loses nothing.
    case unknown(kind: UInt8, payload: [UInt8])
}

/// A block allocated by malloc, calloc, an aligned allocator, operator new, mmap…
public struct Alloc: Sendable, Equatable {
    public var timestamp: UInt64
    public var thread: UInt32
    public var address: UInt64
    public var size: UInt64
    public var kind: AllocatorKind
    public var stack: UInt32

    public init(timestamp: UInt64, thread: UInt32, address: UInt64, size: UInt64,
                kind: AllocatorKind = .malloc, stack: UInt32) {
        self.timestamp = timestamp
        self.thread = thread
        self.address = address
        self.size = size
        self.kind = kind
        self.stack = stack
    }
}

/// A block released by free, operator delete, munmap…
public struct Free: Sendable, Equatable {
    public var timestamp: UInt64
    public var thread: UInt32
    public var address: UInt64
    public var stack: UInt32

    public init(timestamp: UInt64, thread: UInt32, address: UInt64, stack: UInt32) {
        self.timestamp = timestamp
        self.thread = thread
        self.address = address
        self.stack = stack
    }
}

/// A realloc call. `oldAddress == 0` allocates; `newAddress == 0 && newSize == 0`
/// frees; `newAddress == 0 && newSize > 0` is a failed realloc (the old block stays).
public struct Realloc: Sendable, Equatable {
    public var timestamp: UInt64
    public var thread: UInt32
    public var oldAddress: UInt64
    public var newAddress: UInt64
    public var newSize: UInt64
    public var stack: UInt32

    public init(timestamp: UInt64, thread: UInt32, oldAddress: UInt64, newAddress: UInt64,
                newSize: UInt64, stack: UInt32) {
        self.timestamp = timestamp
        self.thread = thread
        self.oldAddress = oldAddress
        self.newAddress = newAddress
        self.newSize = newSize
        self.stack = stack
    }
}

/// How the traced process ended.
public struct ProcessEnd: Sendable, Equatable {
    public enum How: UInt8, Sendable, Equatable, CaseIterable {
        case exited = 0
        case signalled = 1
        case unknown = 2
    }
    public var timestamp: UInt64
    public var how: How
    /// The exit status when `how == .exited`, the signal number when `.signalled`.
    public var code: UInt32

    public init(timestamp: UInt64, how: How, code: UInt32) {
        self.timestamp = timestamp
        self.how = how
        self.code = code
    }
}

/// One interned frame: where an instruction pointer is, as far as it was symbolized.
///
/// One return address may expand into several frames: the functions inlined at that
/// address, innermost first, each ``isInlined``, then the physical function that holds
/// the code. All of them share the instruction pointer; each has its own function and
/// its own position (for an inlined frame's caller: where the call was inlined).
public struct Frame: Sendable, Equatable {
    public var id: UInt32
    public var instructionPointer: UInt64
    /// String id of the (demangled) function name; 0 when unknown.
    public var function: UInt32
    /// String id of the source file; 0 when unknown.
    public var file: UInt32
    /// Source line; 0 when unknown.
    public var line: UInt32
    /// String id of the module (executable or shared library path); 0 when unknown.
    public var module: UInt32
    /// Source column; 0 when unknown.
    public var column: UInt32
    /// The frame's code was inlined into the next (outer) frame of the same address.
    public var isInlined: Bool
    /// The instruction pointer in the module's own address space (what `addr2line -e
    /// MODULE` takes): the same in every run, whatever the load address. Nil when unknown.
    public var moduleOffset: UInt64?
    /// String id of the module's GNU build id in hex; 0 when unknown.
    public var buildID: UInt32

    public init(id: UInt32, instructionPointer: UInt64, function: UInt32, file: UInt32,
                line: UInt32, module: UInt32, column: UInt32 = 0, isInlined: Bool = false,
                moduleOffset: UInt64? = nil, buildID: UInt32 = 0) {
        self.id = id
        self.instructionPointer = instructionPointer
        self.function = function
        self.file = file
        self.line = line
        self.module = module
        self.column = column
        self.isInlined = isInlined
        self.moduleOffset = moduleOffset
        self.buildID = buildID
    }

    /// Bits of the binary form's `flags` field.
    public enum Flag {
        public static let inlined: UInt64 = 1
        public static let hasModuleOffset: UInt64 = 2
    }

    /// The `flags` field of the binary form.
    public var flags: UInt64 {
        (isInlined ? Flag.inlined : 0) | (moduleOffset != nil ? Flag.hasModuleOffset : 0)
    }

    /// Whether any field past `module` differs from its default (older producers wrote
    /// only the first six).
    public var hasExtendedFields: Bool {
        column != 0 || isInlined || moduleOffset != nil || buildID != 0
    }
}
