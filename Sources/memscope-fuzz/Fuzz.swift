// memscope-fuzz: every reader of memscope on hostile bytes, through the analysis, the
// summary and the chart layouts.
//
// Built normally, it replays inputs: `memscope-fuzz FILE...` runs each file (a corpus
// entry or a crash found earlier) through its reader, the analysis and the summary, and
// exits 0 when none trapped. Built with libFuzzer (`scripts/fuzz.sh`, which passes
// `-sanitize=fuzzer,address -D FUZZING`), it is a fuzz target: the first byte of an
// input picks the reader (`Reader`), the rest is the file.
import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeImport
import MemscopeLayout
import MemscopeModel

/// The readers, by the first byte of an input (modulo their count).
let readers: [InputFormat?] = [nil, .msd, .jsonl, .heaptrack, .massif, .dhat, .memscopeRs, .folded]

/// Runs one input through its reader, the analysis and the summary; errors are the
/// expected outcome of most inputs, traps are findings.
func exercise(_ bytes: UnsafeRawBufferPointer, scratch: String) {
    guard let first = bytes.first else { return }
    let format = readers[Int(first) % readers.count]
    let body = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
    guard let file = fopen(scratch, "wb") else { return }
    if body.count > 0 { fwrite(body.baseAddress, 1, body.count, file) }
    fclose(file)
    do {
        var options = AnalysisOptions()
        options.timelinePoints = 64
        let (analysis, detected) = try InputLoader.analyze(path: scratch, format: format, options: options)
        _ = Summary(analysis: analysis, format: detected.rawValue, path: scratch).text()
        _ = Summary(analysis: analysis, format: detected.rawValue, path: scratch).json
        let filtered = FrameFilter().apply(to: analysis)
        // The pure layouts (no Cairo): their arithmetic meets the input's times and sizes.
        let measurer = FixedAdvanceMeasurer()
        _ = TimelineLayout.scene(filtered, measurer: measurer)
        _ = LifetimeLayout.lanes(filtered, sites: LifetimeLayout.topSites(filtered), measurer: measurer)
        _ = LifetimeLayout.threadLanes(filtered, measurer: measurer)
        let graph = FlameGraphBuilder.build(filtered, direction: .topDown)
        _ = FlameLayout.scene(graph, cost: .bytesAllocated, measurer: measurer)
    } catch {
        _ = "\(error)"
    }
}

let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("memscope-fuzz-\(getpid())")

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    exercise(UnsafeRawBufferPointer(start: data, count: size), scratch: scratch)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

/// The executable's entry (SwiftPM names it after the target): libFuzzer's driver.
@_cdecl("memscope_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
#else
@main
struct Replay {
    static func main() {
        var failures = 0
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("memscope-fuzz: cannot read \(path)\n".utf8))
                failures += 1
                continue
            }
            data.withUnsafeBytes { exercise($0, scratch: scratch) }
        }
        unlink(scratch)
        print("memscope-fuzz: \(CommandLine.arguments.count - 1 - failures) inputs replayed, none trapped")
        exit(failures == 0 ? 0 : 1)
    }
}
#endif
