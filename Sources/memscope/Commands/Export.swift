import ArgumentParser
import Foundation
import MemscopeAnalysis
import MemscopeFormat
import MemscopeModel

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every table of a dump's analysis as CSV files (and the summary as JSON).",
        discussion: """
            Files: summary.json, sites.csv, leaks.csv, threads.csv, cross_thread.csv, errors.csv, \
            modules.csv, module_hand_offs.csv, timeline.csv, lifetimes.csv. Bytes in bytes, times in ns; stacks innermost first, \
            frames separated by " <- ". The same dump always gives byte-identical files.

            Example:
              memscope export --csv out/ samples/server-leak.msd
            """)

    @Option(help: "The directory to write the CSV files into (created if missing).", completion: .directory)
    var csv: String

    @OptionGroup var input: InputOptions

    func run() throws {
        try Console.run {
            let (analysis, format) = try analyze(input)
            Console.printWarnings(analysis.diagnostics)
            let files = CSVExport.files(analysis, format: format.rawValue, path: PipedInput.displayName(input.dump))
            try CSVExport.write(files, into: csv)
            print("Wrote \(files.count) files to \(csv)")
        }
    }
}

/// The analysis as CSV tables (RFC 4180 quoting).
enum CSVExport {
    /// Writes every file or none: each is written under a temporary name first, and only
    /// when all are written (no full disk, no I/O error) are they renamed into place. A
    /// directory created for them is removed again when writing fails.
    static func write(_ files: [(String, String)], into directory: String) throws {
        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
        if existed && !isDirectory.boolValue {
            throw DumpError(path: directory, problem: .writeFailed(
                reason: "it is not a directory (hint: --csv names a directory to write the CSV files into)"))
        }
        if !existed {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw DumpError(path: directory, problem: .writeFailed(
                    reason: "cannot create the directory: \((error as NSError).localizedFailureReason ?? "\(error.localizedDescription)")"))
            }
        }
        do {
            try AtomicOutputFile.writeAll(files.map { name, text in ("\(directory)/\(name)", { try $0.write(text) }) })
        } catch {
            if !existed { rmdir(directory) } // empty again: every staged file removed itself
            throw error
        }
    }

    static func files(_ a: Analysis, format: String, path: String) -> [(String, String)] {
        [
            ("summary.json", MemscopeAnalysis.Summary(analysis: a, format: format, path: path).json + "\n"),
            ("sites.csv", sites(a)),
            ("leaks.csv", leaks(a)),
            ("threads.csv", table(["thread", "name", "allocations", "bytes_allocated", "peak_bytes", "live_bytes", "frees",
                                   "first_seen_ns", "last_seen_ns"],
                                  a.threads.map { ["\($0.thread)", $0.name, "\($0.allocations)", "\($0.bytesAllocated)", "\($0.peakBytes)",
                                                   "\($0.liveBytes)", "\($0.frees)", "\($0.firstSeenNanoseconds)", "\($0.lastSeenNanoseconds)"] })),
            ("cross_thread.csv", table(["allocating_thread", "freeing_thread", "blocks", "bytes"],
                                       a.crossThread.map { ["\($0.allocatingThread)", "\($0.freeingThread)", "\($0.blocks)", "\($0.bytes)"] })),
            ("errors.csv", table(["kind", "count", "first_address", "first_time_ns", "first_thread", "stack", "allocation_stack", "first_free_stack",
                                  "side", "offset", "bytes_damaged", "block_size"],
                                 a.errors.map { ["\($0.kind.rawValue)", "\($0.count)", Units.hex($0.firstAddress), "\($0.firstTimeNanoseconds)",
                                                 "\($0.firstThread)", stack(a, $0.stack), stack(a, $0.allocationStack), stack(a, $0.firstFreeStack),
                                                 $0.side?.name ?? "", $0.side == nil ? "" : "\($0.offset)",
                                                 $0.side == nil ? "" : "\($0.bytesDamaged)", "\($0.blockSize)"] })),
            ("modules.csv", table(["module", "allocations", "bytes_allocated", "frees", "leaked_bytes", "leaked_blocks"],
                                  a.modules.map { [$0.path, "\($0.allocations)", "\($0.bytesAllocated)", "\($0.frees)", "\($0.leakedBytes)", "\($0.leakedBlocks)"] })),
            ("module_hand_offs.csv", table(["allocating_module", "freeing_module", "blocks", "bytes"],
                                           a.moduleHandOffs.map { [$0.allocatingModule, $0.freeingModule, "\($0.blocks)", "\($0.bytes)"] })),
            ("timeline.csv", table(["time_ns", "max_live_bytes", "min_live_bytes", "end_live_bytes", "allocations", "bytes_allocated", "frees"],
                                   a.timeline.points.map { ["\($0.timeNanoseconds)", "\($0.maxLiveBytes)", "\($0.minLiveBytes)", "\($0.endLiveBytes)",
                                                            "\($0.allocations)", "\($0.bytesAllocated)", "\($0.frees)"] })),
            ("lifetimes.csv", table(["stack_id", "site"] + LifetimeBuckets.labels + ["count", "min_ns", "mean_ns", "max_ns"],
                                    a.sites.map { s in ["\(s.stack)", a.siteTitle(s.stack)] + s.lifetimes.buckets.map { "\($0)" }
                                        + ["\(s.lifetimes.count)", "\(s.lifetimes.minNanoseconds)", "\(s.lifetimes.meanNanoseconds)", "\(s.lifetimes.maxNanoseconds)"] })),
        ]
    }

    static func sites(_ a: Analysis) -> String {
        table(["stack_id", "site", "allocations", "bytes_allocated", "peak_bytes", "leaked_bytes", "leaked_blocks",
               "temporary_allocations", "frees", "reallocs", "mean_lifetime_ns", "stack"],
              a.sites.map { s in
                  let c = s.costs
                  return ["\(s.stack)", a.siteTitle(s.stack), "\(c.allocations)", "\(c.bytesAllocated)", "\(c.peakBytes)",
                          "\(c.leakedBytes)", "\(c.leakedBlocks)", "\(c.temporaryAllocations)", "\(s.frees)", "\(s.reallocs)",
                          "\(s.lifetimes.meanNanoseconds)", stack(a, s.stack)]
              })
    }

    static func leaks(_ a: Analysis) -> String {
        table(["stack_id", "site", "leaked_bytes", "leaked_blocks", "allocations", "stack"],
              a.sites.filter { $0.costs.leakedBlocks > 0 }
                  .sorted { ($0.costs.leakedBytes, $1.stack) > ($1.costs.leakedBytes, $0.stack) }
                  .map { s in ["\(s.stack)", a.siteTitle(s.stack), "\(s.costs.leakedBytes)", "\(s.costs.leakedBlocks)",
                               "\(s.costs.allocations)", stack(a, s.stack)] })
    }

    static func stack(_ a: Analysis, _ id: UInt32) -> String {
        id == 0 ? "" : a.describeStack(id, shortPaths: false).joined(separator: " <- ")
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A CSV field, quoted when it holds a comma, quote or line break. A leading =, +, -
    /// or @ gets a quote prefix so spreadsheets do not run dump strings as formulas.
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
