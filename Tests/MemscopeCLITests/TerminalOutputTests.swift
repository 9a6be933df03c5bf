import Foundation
import MemscopeTestSupport
import Testing

/// Strings from a dump reach a terminal only with their control characters escaped: a
/// hostile dump's function name or command line must not move the cursor, retitle the
/// window or clear the screen of the person reading `memscope summary`. A command line is
/// written as one line a shell would run again (a `python3 -c` script's newlines included).
@Suite struct TerminalOutputTests {
    static let hostileDump = """
        {"type":"header","format":"msd","version":1}
        {"type":"meta","producer":"x","pid":1,"clock_unit_ns":1,"pointer_size":8,"argv":["/bin/ev\\u001b[31mil","-c","a\\nb","it's"]}
        {"type":"string","id":1,"value":"fn\\u001b]0;pwned\\u0007x\\u009b2J"}
        {"type":"frame","id":1,"ip":"0x1","function":1,"file":0,"line":0,"module":0}
        {"type":"stack","id":1,"parent":0,"frame":1}
        {"type":"alloc","ts":1,"thread":1,"addr":"0x10","size":5,"stack":1}

        """

    static func dump() throws -> String {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("hostile.jsonl").path
        try hostileDump.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
    }

    @Test(arguments: [["summary"], ["inspect", "--stage", "parse"], ["inspect", "--stage", "analyze"],
                      ["check", "--max-leaked", "1"]])
    func dumpStringsReachTheTerminalEscaped(command: [String]) throws {
        let result = try run("memscope", command + [try Self.dump()])
        #expect(!Self.hasControlCharacters(result.stdout), "\(command): \(result.stdout.debugDescription)")
        #expect(!Self.hasControlCharacters(result.stderr), "\(command): \(result.stderr.debugDescription)")
        #expect(result.stdout.contains("fn\\x1b]0;pwned\\x07x\\x9b2J") || command[0] == "check", "\(command)")
    }

    @Test func theCommandLineIsOneLineAShellWouldRun() throws {
        let result = try run("memscope", ["summary", try Self.dump()])
        #expect(result.stdout.contains(#"command        $'/bin/ev\x1b[31mil' -c $'a\nb' $'it\'s'  (pid 1)"#), "\(result.stdout)")
        #expect(result.stdout.contains("leaked         5 B  in 1 block\n"))
    }
}
