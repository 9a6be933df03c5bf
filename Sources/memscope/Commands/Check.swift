import ArgumentParser
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeModel
import MemscopeRender

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a dump against limits, for CI: exit 0 when every limit holds, 3 when one is exceeded.",
        discussion: """
            Sizes take units: 512, 64KiB, 1.5MiB, 200MB, 2G (K, M, G alone are binary). With \
            --baseline, growth limits compare against an earlier dump of the same workload.

            Exit codes: 0 every limit holds; 3 a limit is exceeded; 1 a dump cannot be read; \
            64 wrong usage.

            Examples:
              memscope check nightly.msd --max-leaked 1MiB --max-peak 200MiB --max-errors 0
              memscope check nightly.msd --baseline last-week.msd --max-growth 10%
              memscope check nightly.msd --max-allocations 5000000 --json
            """)

    static let limitExceeded: Int32 = 3

    @OptionGroup var input: InputOptions

    @Option(help: "Most bytes leaked (live at the end).")
    var maxLeaked: ByteSize?

    @Option(help: "Most bytes live at the peak.")
    var maxPeak: ByteSize?

    @Option(help: "Most bytes allocated in all.")
    var maxBytesAllocated: ByteSize?

    @Option(help: "Most allocation calls.")
    var maxAllocations: UInt64?

    @Option(help: "Most temporary allocations.")
    var maxTemporary: UInt64?

    @Option(help: "Most memory errors: double and invalid frees, overflows and writes after free (the last two from record --guard / --quarantine).")
    var maxErrors: UInt64?

    @Option(help: "An earlier dump to compare with (any supported format).", completion: .file())
    var baseline: String?

    @Option(help: "Largest growth over the baseline of peak, leaked bytes, bytes allocated and allocation calls, e.g. 10%.")
    var maxGrowth: Percentage?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        if maxGrowth != nil && baseline == nil { throw ValidationError("--max-growth needs --baseline.") }
        let limits: [Any?] = [maxLeaked, maxPeak, maxBytesAllocated, maxAllocations, maxTemporary, maxErrors, maxGrowth]
        if limits.allSatisfy({ $0 == nil }) {
            throw ValidationError("Give at least one limit, e.g. --max-leaked 1MiB or --baseline old.msd --max-growth 10%.")
        }
    }

    func run() throws {
        var results: [LimitResult] = []
        try Console.run {
            let (analysis, _) = try analyze(input, callTrees: false)
            if !json { Console.printWarnings(analysis.diagnostics) }
            let t = analysis.totals
            func limit(_ metric: String, _ value: UInt64, _ maximum: UInt64?, bytes: Bool) {
                guard let maximum else { return }
                if t.overflowed.contains(metric) {
                    // Never a pass on a figure that could not be computed exactly.
                    results.append(LimitResult(metric: metric, value: value, limit: "≤ \(bytes ? Units.bytes(maximum) : Units.count(maximum))",
                                               passed: false, detail: "the dump's figure does not fit in 64 bits: more than \(Units.bytes(value))",
                                               isBytes: bytes))
                    return
                }
                let shown = bytes ? Units.bytes(maximum) : Units.count(maximum)
                let over = value > maximum ? "exceeded by \(bytes ? Units.bytes(value - maximum) : Units.count(value - maximum))" : ""
                results.append(LimitResult(metric: metric, value: value, limit: "≤ \(shown)", passed: value <= maximum,
                                           detail: over, isBytes: bytes))
            }
            limit("leaked_bytes", t.leakedBytes, maxLeaked?.bytes, bytes: true)
            limit("peak_bytes", t.peakBytes, maxPeak?.bytes, bytes: true)
            limit("bytes_allocated", t.bytesAllocated, maxBytesAllocated?.bytes, bytes: true)
            limit("allocations", t.allocations, maxAllocations, bytes: false)
            limit("temporary_allocations", t.temporaryAllocations, maxTemporary, bytes: false)
            limit("errors", t.errors, maxErrors, bytes: false)
            if let baseline, let growth = maxGrowth {
                let old = try DumpAnalyzer().analyze(InputSpec(path: baseline), scope: input.scope.plan, callTrees: false).analysis.totals
                for (metric, new, base, bytes) in [("peak_bytes", t.peakBytes, old.peakBytes, true),
                                                   ("leaked_bytes", t.leakedBytes, old.leakedBytes, true),
                                                   ("bytes_allocated", t.bytesAllocated, old.bytesAllocated, true),
                                                   ("allocations", t.allocations, old.allocations, false)] {
                    var result = Self.growth(metric, new: new, base: base, maximum: growth.value, bytes: bytes)
                    if t.overflowed.contains(metric) || old.overflowed.contains(metric) {
                        result.passed = false
                        result.detail = "a figure does not fit in 64 bits: the growth cannot be computed"
                    }
                    results.append(result)
                }
            }
        }
        let passed = results.allSatisfy(\.passed)
        if json {
            print("{\"checks\":[\(results.map(\.json).joined(separator: ","))],\"dump\":\(jsonString(PipedInput.displayName(input.dump))),\"passed\":\(passed)}")
        } else {
            for result in results { printText(result.line) }
            print(passed ? "All \(results.count) limits hold." : "\(results.filter { !$0.passed }.count) of \(results.count) limits exceeded.")
        }
        if !passed { throw ExitCode(Self.limitExceeded) }
    }

    static func growth(_ metric: String, new: UInt64, base: UInt64, maximum: Double, bytes: Bool) -> LimitResult {
        let percent: Double = base == 0 ? (new == 0 ? 0 : .infinity) : (Double(new) - Double(base)) / Double(base) * 100
        let shownBase = bytes ? Units.bytes(base) : Units.count(base)
        let change = percent.isInfinite ? "from 0" : "\(percent >= 0 ? "+" : "")\(Units.fixed(percent, decimals: 1))% over the baseline's \(shownBase)"
        return LimitResult(metric: "\(metric) growth", value: new, limit: "growth ≤ \(Units.fixed(maximum, decimals: 1))%",
                           passed: percent <= maximum, detail: change, isBytes: bytes)
    }
}
