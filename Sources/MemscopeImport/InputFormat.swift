/// Every input memscope reads: its own dumps and other tools' files.
public enum InputFormat: String, Sendable, CaseIterable {
    /// memscope's binary dump.
    case msd
    /// memscope's JSON Lines dump.
    case jsonl
    /// A heaptrack data file (format 1–3; plain, gzip or zstd).
    case heaptrack
    /// Valgrind massif output (`massif.out.<pid>`).
    case massif
    /// Valgrind DHAT JSON (`dhat.out.<pid>`, `dhatFileVersion` 2).
    case dhat
    /// memscope-rs exports: a 0.2.x JSON directory, 0.1.x JSON files or a binary `.memscope`.
    case memscopeRs = "memscope-rs"
    /// Folded stacks (`frame;frame;frame count`), as heaptrack_print -F or inferno write them.
    case folded

    public var displayName: String {
        switch self {
        case .msd: "memscope dump (.msd)"
        case .jsonl: "memscope dump, text form (.msd JSON Lines)"
        case .heaptrack: "heaptrack data file"
        case .massif: "Valgrind massif output"
        case .dhat: "Valgrind DHAT JSON"
        case .memscopeRs: "memscope-rs export"
        case .folded: "folded stacks"
        }
    }

    /// True for inputs replayed event by event through the analyzer.
    public var hasEvents: Bool { self == .msd || self == .jsonl || self == .heaptrack }

    /// True for inputs whose events name real blocks (address, thread, time) and may carry
    /// the recorder's observations: memscope's own dumps. Ownership inference needs them.
    public var carriesBlockEvents: Bool { self == .msd || self == .jsonl }
}

/// What a folded-stack count means (`--folded-cost`).
public enum FoldedCost: String, Sendable, CaseIterable {
    /// Each count is a number of allocation calls.
    case allocations
    /// Each count is a number of bytes allocated.
    case bytes
}
