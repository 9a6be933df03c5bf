import Foundation
import MemscopeTestSupport
import Testing

/// `memscope record --help`, and options after `--` belonging to the program.
@Suite struct RecordHelpTests {
    @Test func helpIsPrinted() throws {
        for flag in ["--help", "-h"] {
            let help = try run("memscope", ["record", flag])
            #expect(help.status == 0, "\(help.stderr)")
            #expect(help.stdout.contains("USAGE: memscope record"), "\(help.stdout.prefix(300))")
            #expect(!help.stderr.contains("cannot run"))
        }
    }

    /// An unknown option before `--` is a usage error (64) naming it, not "cannot run --force".
    @Test func anUnknownOptionBeforeTheSeparatorIsAUsageError() throws {
        for option in ["--force", "-q"] {
            let result = try run("memscope", ["record", "-o", "/tmp/never-written.msd", option, "--", "/bin/true"])
            #expect(result.status == 64, "\(option): \(result.stderr)")
            #expect(result.stderr.contains("unknown option '\(option)' for record"), "\(result.stderr)")
            #expect(!result.stderr.contains("cannot run"))
        }
    }

    @Test func optionsAfterTheSeparatorGoToTheProgram() throws {
        let dump = try TestPaths.temporaryDirectory().appendingPathComponent("sh.msd").path
        let result = try run("memscope", ["record", "-o", dump, "--", "/bin/sh", "-c", "printf '%s\\n' \"$@\"", "sh",
                                          "--help", "-o", "x"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "--help\n-o\nx\n")
        #expect(FileManager.default.fileExists(atPath: dump))
    }
}
