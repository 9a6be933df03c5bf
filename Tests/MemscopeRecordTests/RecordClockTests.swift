import Foundation
import MemscopeModel
import MemscopeTestSupport
import Testing

/// The recorder's clock: CLOCK_MONOTONIC, read through the TSC between clock_gettime
/// anchors while the process has one thread (Sources/MemscopePreload/spool.c), and with
/// clock_gettime alone once it has more, or with MEMSCOPE_CLOCK=monotonic. Every recorded
/// time must lie between the program's own readings around the call (up to 1 µs), and
/// each thread's times must never go back.
@Suite struct RecordClockTests {
    @Test(arguments: ["", "monotonic"])
    func recordedTimesLieBetweenTheProgramsReadings(clock: String) throws {
        let program = try TestProgram.compile("clock")
        let dump = program.directory.appendingPathComponent("clock-\(clock).msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", program.path],
                             environment: ProcessInfo.processInfo.environment.merging(["MEMSCOPE_CLOCK": clock]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        var brackets: [UInt64: (before: UInt64, after: UInt64)] = [:]
        for line in result.stderr.split(separator: "\n") where line.hasPrefix("T ") {
            let fields = line.split(separator: " ").compactMap { UInt64($0) }
            if fields.count == 3 { brackets[fields[0]] = (fields[1], fields[2]) }
        }
        #expect(brackets.count == 180)
        let recorded = try RecordedDump(path: dump)
        var times: [UInt64: UInt64] = [:]
        var last: [UInt32: UInt64] = [:]
        var backwards = 0
        for record in recorded.records {
            switch record {
            case .alloc(let a):
                if (1000..<1180).contains(a.size) { times[a.size] = a.timestamp }
                if a.timestamp < last[a.thread, default: 0] { backwards += 1 }
                last[a.thread] = a.timestamp
            case .free(let f):
                if f.timestamp < last[f.thread, default: 0] { backwards += 1 }
                last[f.thread] = f.timestamp
            default: break
            }
        }
        #expect(backwards == 0)
        let first = try #require(times[1000]), firstBracket = try #require(brackets[1000])
        var outside: [String] = []
        for (size, bracket) in brackets.sorted(by: { $0.key < $1.key }) {
            guard let time = times[size] else { outside.append("\(size): not recorded"); continue }
            // time - first lies between (before - first's after) and (after - first's before).
            let elapsed = Int64(time) - Int64(first)
            let low = Int64(bracket.before) - Int64(firstBracket.after) - 1000
            let high = Int64(bracket.after) - Int64(firstBracket.before) + 1000
            if elapsed < low || elapsed > high { outside.append("\(size): \(elapsed) not in \(low)…\(high)") }
        }
        #expect(outside.isEmpty, "\(outside.prefix(10))")
    }
}
