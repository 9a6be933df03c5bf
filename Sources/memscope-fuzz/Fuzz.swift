// memscope-fuzz: fuzz targets for every reader of memscope, its analysis and its report.
//
// The target is named by MEMSCOPE_FUZZ_TARGET (`Target`: msd, jsonl, heaptrack, massif,
// dhat, memscope-rs-json, memscope-rs-binary, folded, analysis, report, pipeline).
// Built with libFuzzer (`scripts/fuzz.sh`, which passes `-sanitize=fuzzer,address
// -D FUZZING`), it is that fuzz target. Built normally, it replays inputs:
// `memscope-fuzz FILE...` runs each file (a corpus entry or a finding) through its target
// and exits 0 when none trapped; a file named `NAME--…` goes to target NAME, any other to
// MEMSCOPE_FUZZ_TARGET's (default: pipeline, whose input's first byte picks the reader).
import Foundation

func target(named name: String?) -> Target {
    guard let name, !name.isEmpty else { return .pipeline }
    guard let target = Target(rawValue: name) else {
        FileHandle.standardError.write(Data("memscope-fuzz: no target \(name); the targets: \(Target.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return target
}

let chosen = target(named: ProcessInfo.processInfo.environment["MEMSCOPE_FUZZ_TARGET"])

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    chosen.run(UnsafeRawBufferPointer(start: data, count: size))
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
    _ = chosen
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
#else
@main
struct Replay {
    static func main() {
        var failures = 0
        var counts: [Target: Int] = [:]
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("memscope-fuzz: cannot read \(path)\n".utf8))
                failures += 1
                continue
            }
            let name = (path as NSString).lastPathComponent
            let prefix = name.range(of: "--").map { String(name[..<$0.lowerBound]) }
            let target = prefix.flatMap(Target.init(rawValue:)) ?? chosen
            data.withUnsafeBytes { target.run($0) }
            counts[target, default: 0] += 1
        }
        unlink(scratch)
        let per = Target.allCases.compactMap { t in counts[t].map { "\(t.rawValue) \($0)" } }.joined(separator: ", ")
        print("memscope-fuzz: \(CommandLine.arguments.count - 1 - failures) inputs replayed (\(per)), none trapped")
        exit(failures == 0 ? 0 : 1)
    }
}
#endif
