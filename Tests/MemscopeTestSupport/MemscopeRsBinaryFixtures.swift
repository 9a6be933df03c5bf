/// The binary `.memscope` fixtures of Tests/Fixtures/memscope-rs/v0.1/, made by
/// ``MemscopeRsBinaryWriter`` (see its note: written from memscope-rs's writer source,
/// not by memscope-rs). `MemscopeRsBinaryFixtureTests` checks that the committed files
/// are these bytes, and rewrites them with MEMSCOPE_RECORD_SNAPSHOTS=1.
public enum MemscopeRsBinaryFixtures {
    /// 129 fillers put "Vec<u8>" at index 129, so its references take a 2-byte index.
    public static let stringTable: [String] = ["ThreadId(1)", "main"] + (0..<127).map { "filler \($0)" } + ["Vec<u8>"]

    /// Inline strings, references with 1- and 2-byte indices, None strings, frees present
    /// and absent, smart-pointer info, a memory layout, JSON fields, a stack trace and a
    /// variable name that is HTML.
    public static var allocations: [MemscopeRsBinaryWriter.Allocation] {
        typealias A = MemscopeRsBinaryWriter.Allocation
        var buffer = A(ptr: 0x5600_0000_1000, size: 1024, allocatedAt: 1_000, deallocatedAt: 4_000,
                       varName: "buffer", typeName: "Vec<u8>", scopeName: "main", threadId: "ThreadId(1)")
        buffer.lifetimeMs = 3
        buffer.borrowCount = 3
        buffer.borrowInfo = (2, 1, 1, 3_500)
        var shared = A(ptr: 0x5000_0001, size: 24, allocatedAt: 2_000, threadId: "ThreadId(2)")  // memscope-rs's synthetic Rc pointer
        shared.typeName = "Rc<String>"
        shared.cloneInfo = (2, false, nil)
        shared.smartPointer = .init(dataPointer: 0x5600_0000_2010, clones: [0x5600_0000_2100, 0x5600_0000_2200],
                                    history: [(2_000, 1, 0), (2_500, 3, 0)], weakCount: 0, pointerType: 0)
        shared.isLeaked = true
        var table = A(ptr: 0x5600_0000_3000, size: 4096, allocatedAt: 3_000, deallocatedAt: 6_000,
                      varName: "table", typeName: "HashMap<String, u64>", scopeName: "main", threadId: "ThreadId(1)",
                      stackTrace: ["main", "build_table"])
        table.lifetimeMs = 3
        table.layout = .init(totalSize: 48, alignment: 8,
                             fields: [("base", "RawTable", 0, 32, 8, false), ("hasher", "RandomState", 32, 16, 8, false)],
                             paddings: [(44, 4, 3, "tail")], suggestions: ["reorder fields"], potential: 2,
                             potentialSuggestions: ["use a smaller hasher"], containerJSON: "{\"container_type\":\"HashMap\"}")
        table.json[0] = "{\"type_parameters\":[\"String\",\"u64\"]}"
        table.json[10] = "{\"phases\":[]}"
        var name = A(ptr: 0x5600_0000_4000, size: 512, allocatedAt: 5_000, varName: "<b>name</b>&amp;",
                     typeName: "Vec<u8>", scopeName: "parse::<T>", threadId: "ThreadId(2)")
        name.isLeaked = true
        return [buffer, shared, table, name]
    }

    public static var writer: MemscopeRsBinaryWriter {
        var writer = MemscopeRsBinaryWriter(stringTable: stringTable)
        writer.legacyHeader = true  // as export_to_binary writes it, the only path with ADVD
        writer.advancedTrailer = true
        return writer
    }

    /// `demo.memscope`.
    public static var demo: [UInt8] { writer.bytes(allocations) }

    /// The offset where record `index` of ``demo`` begins.
    public static func recordStart(_ index: Int) -> Int {
        var writer = writer
        writer.advancedTrailer = false
        return writer.bytes(Array(allocations.prefix(index))).count
    }

    /// `demo-truncated.memscope`: ``demo`` cut 40 bytes into its third record.
    public static var truncated: [UInt8] { Array(demo.prefix(recordStart(2) + 40)) }
}
