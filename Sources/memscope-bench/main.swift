import Foundation
import MemscopeModel

#if canImport(Glibc)
import Glibc
#endif

// memscope-bench: generates synthetic dumps of 1M and 10M events (.msd and an equivalent
// heaptrack file), then times `memscope summary --json` (read + analyze), the C baseline
// loop and heaptrack_print on them in the same go, and prints a table with ratios.
//
// Usage: memscope-bench [--events 1000000,10000000] [--out bench-out] [--memscope PATH]
//                       [--baseline PATH] [--heaptrack-print PATH] [--runs N]
//        memscope-bench --generate N --out DIR     (only write DIR/bench-N.msd and .heaptrack)
//        memscope-bench --generate-live N --out DIR  (only write DIR/bench-live-N.msd: half the events
//                                                  allocate blocks live to the end)
//        memscope-bench --generate-stacks N --out DIR  (only write DIR/bench-stacks-N.msd: a third as
//                                                  many distinct stacks as events)

var sizes = [1_000_000, 10_000_000]
var outDirectory = "bench-out"
var memscopePath = ".build/release/memscope"
var baselinePath = "bench-out/baseline"
var heaptrackPrint = "heaptrack_print"
var runs = 3
var generateOnly: Int?
var generateLive: Int?
var generateStacks: Int?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    guard let value = arguments.next() else {
        warn("memscope-bench: \(argument) needs a value\n")
        exit(64)
    }
    switch argument {
    case "--events": sizes = value.split(separator: ",").compactMap { Int($0) }
    case "--out": outDirectory = value
    case "--memscope": memscopePath = value
    case "--baseline": baselinePath = value
    case "--heaptrack-print": heaptrackPrint = value
    case "--runs": runs = max(1, Int(value) ?? 3)
    case "--generate": generateOnly = Int(value)
    case "--generate-live": generateLive = Int(value)
    case "--generate-stacks": generateStacks = Int(value)
    default:
        warn("memscope-bench: unknown option \(argument)\n")
        exit(64)
    }
}
mkdir(outDirectory, 0o755)
if let events = generateLive {
    try LiveWorkload(events: events, seed: 42).write(msdPath: "\(outDirectory)/bench-live-\(events).msd")
    exit(0)
}
if let events = generateStacks {
    try StacksWorkload(events: events, seed: 42).write(msdPath: "\(outDirectory)/bench-stacks-\(events).msd")
    exit(0)
}
if let events = generateOnly {
    try Workload(events: events, seed: 42).write(msdPath: "\(outDirectory)/bench-\(events).msd",
                                                heaptrackPath: "\(outDirectory)/bench-\(events).heaptrack")
    exit(0)
}

struct Row {
    var tool: String
    var events: Int
    var inputBytes: UInt64
    var measurement: Measurement
}

/// The best (fastest) of `runs` runs; peak RSS from the same run.
func best(_ arguments: [String], runs: Int, outDirectory: String) -> Measurement? {
    var result: Measurement?
    for _ in 0..<runs {
        guard let m = measure(arguments, stdoutPath: "\(outDirectory)/last-output.txt") else { return nil }
        if m.exitStatus != 0 { return m }
        if result == nil || m.seconds < result!.seconds { result = m }
    }
    return result
}

func warn(_ text: String, _: Int32 = 0) {
    var text = text
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

var rows: [Row] = []
var stages: [(events: Int, reportBytes: UInt64, laps: [(String, Double)])] = []
var paints: [(events: Int, seconds: Double)] = []

func realPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}

for events in sizes {
    // The workload's version is in the name, so a changed generator never reuses stale files.
    let msd = "\(outDirectory)/bench-\(events)-w\(Workload.version).msd"
    let heaptrack = "\(outDirectory)/bench-\(events)-w\(Workload.version).heaptrack"
    if fileSize(msd) == 0 || fileSize(heaptrack) == 0 {
        warn("generating \(events) events…\n")
        try Workload(events: events, seed: 42).write(msdPath: msd, heaptrackPath: heaptrack)
    }
    if let m = best([memscopePath, "summary", "--json", "--quiet", msd], runs: runs, outDirectory: outDirectory) {
        rows.append(Row(tool: "memscope summary", events: events, inputBytes: fileSize(msd), measurement: m))
    }
    if let m = measure([memscopePath, "render", "-q", "--force", msd, "-o", "\(outDirectory)/report-\(events).html"],
                       stdoutPath: "/dev/null", stderrPath: "\(outDirectory)/render-timings.txt",
                       environment: ["MEMSCOPE_TIMINGS": "1"]) {
        rows.append(Row(tool: "memscope render", events: events, inputBytes: fileSize(msd), measurement: m))
        let timings = (try? String(contentsOfFile: "\(outDirectory)/render-timings.txt", encoding: .utf8)) ?? ""
        stages.append((events, fileSize("\(outDirectory)/report-\(events).html"), timings.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count >= 3, parts[0] == "timing", let seconds = Double(parts[parts.count - 1]) else { return nil }
            return (parts[1..<parts.count - 1].joined(separator: " "), seconds)
        }))
        if let browser = which("chromium-headless-shell"),
           let shot = measure([browser, "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,2400",
                               "--screenshot=\(outDirectory)/report-\(events).png", "file://\(realPath("\(outDirectory)/report-\(events).html"))"],
                              stdoutPath: "/dev/null") {
            paints.append((events, shot.seconds))
        }
    }
    if which(baselinePath) != nil, let m = best([baselinePath, msd], runs: runs, outDirectory: outDirectory) {
        rows.append(Row(tool: "C baseline loop", events: events, inputBytes: fileSize(msd), measurement: m))
    }
    // The same events as a heaptrack file, to a whole report: against heaptrack_print's text summary.
    if let m = best([memscopePath, "render", "-q", "--force", heaptrack, "-o", "\(outDirectory)/report-heaptrack-\(events).html"],
                    runs: runs, outDirectory: outDirectory) {
        rows.append(Row(tool: "memscope render (heaptrack file)", events: events, inputBytes: fileSize(heaptrack), measurement: m))
    }
    if let tool = which(heaptrackPrint), let m = best([tool, heaptrack], runs: 1, outDirectory: outDirectory) {
        rows.append(Row(tool: "heaptrack_print", events: events, inputBytes: fileSize(heaptrack), measurement: m))
    }
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
}

print("| tool | events | input | seconds | events/s | peak RSS | time vs memscope | RSS vs memscope |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for row in rows {
    let m = row.measurement
    let reference = rows.first { $0.tool == "memscope summary" && $0.events == row.events }?.measurement
    let rate = m.seconds > 0 ? Double(row.events) / m.seconds : 0
    let timeRatio = reference.map { Units.fixed(m.seconds / $0.seconds, decimals: 2) + "×" } ?? "–"
    let rssRatio = reference.map { Units.fixed(Double(m.peakRSSBytes) / Double($0.peakRSSBytes), decimals: 2) + "×" } ?? "–"
    let status = m.exitStatus == 0 ? "" : " (exit \(m.exitStatus))"
    print("| \(row.tool)\(status) | \(Units.count(UInt64(row.events))) | \(Units.bytes(row.inputBytes)) | \(Units.fixed(m.seconds, decimals: 3)) | \(Units.fixed(rate / 1e6, decimals: 1))M | \(Units.bytes(m.peakRSSBytes)) | \(timeRatio) | \(rssRatio) |")
}

print("")
print("| render stage | events | seconds |")
print("|---|---:|---:|")
for stage in stages {
    for (name, seconds) in stage.laps {
        print("| \(name) | \(Units.count(UInt64(stage.events))) | \(Units.fixed(seconds, decimals: 3)) |")
    }
    let added = stage.laps.filter { $0.0 != "read+analyze" }.reduce(0) { $0 + $1.1 }
    print("| **render added to the analysis** | \(Units.count(UInt64(stage.events))) | **\(Units.fixed(added, decimals: 3))** |")
    print("| report size | \(Units.count(UInt64(stage.events))) | \(Units.bytes(stage.reportBytes)) |")
}
for paint in paints {
    print("| report load + paint in headless Chromium (screenshot) | \(Units.count(UInt64(paint.events))) | \(Units.fixed(paint.seconds, decimals: 3)) |")
}
