/// Which allocation function created a block. The raw values are the `.msd` encoding.
public enum AllocatorKind: UInt8, Sendable, Equatable, CaseIterable, Comparable {
    case malloc = 0
    case calloc = 1
    case realloc = 2
    case posixMemalign = 3
    case alignedAlloc = 4
    case memalign = 5
    case valloc = 6
    case pvalloc = 7
    case operatorNew = 8
    case operatorNewArray = 9
    case mmap = 10
    case other = 11

    /// The name used in the text form and in reports.
    public var name: String {
        switch self {
        case .malloc: "malloc"
        case .calloc: "calloc"
        case .realloc: "realloc"
        case .posixMemalign: "posix_memalign"
        case .alignedAlloc: "aligned_alloc"
        case .memalign: "memalign"
        case .valloc: "valloc"
        case .pvalloc: "pvalloc"
        case .operatorNew: "new"
        case .operatorNewArray: "new[]"
        case .mmap: "mmap"
        case .other: "other"
        }
    }

    public init?(name: String) {
        guard let kind = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
