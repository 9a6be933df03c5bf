/// One event as the preload library wrote it into the spool (Sources/MemscopePreload/recorder.h).
/// Stacks are raw: ids of `stack` definitions that list return addresses.
enum SpoolEvent {
    case alloc(timestamp: UInt64, address: UInt64, size: UInt64, kind: UInt8, stack: UInt32)
    case free(timestamp: UInt64, address: UInt64, stack: UInt32)
    case realloc(timestamp: UInt64, old: UInt64, new: UInt64, size: UInt64, stack: UInt32)
    case stack(id: UInt32, generation: UInt32, addresses: [UInt64])
    case threadStart(timestamp: UInt64, parent: UInt32)
    case threadName(timestamp: UInt64, thread: UInt32, name: String)
    case threadExit(timestamp: UInt64)
    case module(SpoolModule)
    case fork(timestamp: UInt64, child: UInt32)
    /// A program image starts (the first, or a new one after exec), with its command line.
    case image(timestamp: UInt64, generation: UInt32, executable: String, commandLine: [String]?)
    case annotate(timestamp: UInt64, address: UInt64, name: String, type: String)
    case scopeEnter(timestamp: UInt64, name: String)
    case scopeExit(timestamp: UInt64)
    case taskEnter(timestamp: UInt64, task: UInt64)
    case taskExit(timestamp: UInt64)
    case reference(from: UInt64, to: UInt64, interior: Bool)
    case root(to: UInt64, interior: Bool, region: UInt8)
    case end(timestamp: UInt64, how: UInt8, code: UInt32)
    case scan(timestamp: UInt64, liveBlocks: UInt64)
    case memoryError(SpoolMemoryError)
    /// Words of a dying block that may be heap addresses (word indices and values).
    case words(timestamp: UInt64, address: UInt64, indices: [UInt64], values: [UInt64])

    /// Events without a timestamp keep their place in their thread's order.
    var timestamp: UInt64? {
        switch self {
        case .alloc(let ts, _, _, _, _), .free(let ts, _, _), .realloc(let ts, _, _, _, _),
             .threadStart(let ts, _), .threadName(let ts, _, _), .threadExit(let ts), .fork(let ts, _),
             .image(let ts, _, _, _), .annotate(let ts, _, _, _), .scopeEnter(let ts, _), .scopeExit(let ts),
             .taskEnter(let ts, _), .taskExit(let ts), .end(let ts, _, _), .scan(let ts, _), .words(let ts, _, _, _):
            ts
        case .module(let m): m.timestamp
        case .memoryError(let e): e.timestamp
        case .stack, .reference, .root: nil
        }
    }
}

/// A loaded ELF object: where it was mapped, in which program image.
struct SpoolModule: Equatable {
    var timestamp: UInt64
    var generation: UInt32
    var start: UInt64
    var end: UInt64
    var bias: UInt64
    var path: String
    var buildID: [UInt8] { didSet { buildIDHex = Self.hex(buildID) } }
    /// The build id in lower-case hex, empty when there is none: made once, since every
    /// symbolized frame of the module names it (as a getter it was 4% of recording gcc).
    private(set) var buildIDHex: String

    init(timestamp: UInt64, generation: UInt32, start: UInt64, end: UInt64, bias: UInt64, path: String, buildID: [UInt8]) {
        self.timestamp = timestamp
        self.generation = generation
        self.start = start
        self.end = end
        self.bias = bias
        self.path = path
        self.buildID = buildID
        buildIDHex = Self.hex(buildID)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 2 * bytes.count) { out in
            for (i, byte) in bytes.enumerated() {
                out[2 * i] = digits[Int(byte >> 4)]
                out[2 * i + 1] = digits[Int(byte & 15)]
            }
            return 2 * bytes.count
        }
    }

    /// The same file mapped at the same place (a report of the map made again).
    func sameMapping(as other: SpoolModule) -> Bool {
        start == other.start && end == other.end && bias == other.bias && path == other.path
    }

    /// Whether the two address ranges share an address.
    func overlaps(_ other: SpoolModule) -> Bool { start < other.end && other.start < end }
}

/// A damaged red zone or freed-block pattern (`--guard`, `--quarantine`); stacks are raw ids.
struct SpoolMemoryError: Equatable {
    var timestamp: UInt64
    var kind: UInt8
    var address: UInt64
    var size: UInt64
    var side: UInt8
    var offset: UInt64
    var bytes: UInt64
    var allocationStack: UInt32
    var freeStack: UInt32
    var foundStack: UInt32
}
