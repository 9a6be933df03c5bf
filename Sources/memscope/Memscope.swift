import ArgumentParser
import MemscopeRender

@main
struct Memscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memscope",
        abstract: "Turn memory-profiling dumps into figures and offline reports.",
        discussion: """
            memscope reads .msd dumps (binary or JSON Lines, optionally zstd-compressed) and \
            computes exact figures from their events: allocations, peak, leaks, temporary \
            allocations, lifetimes, memory errors.

            `memscope record -- CMD` runs a native program and records every heap \
            allocation into a dump.

            Example workflow:
              memscope record -o app.msd -- ./app --port 8080
              memscope render app.msd -o report.html
              memscope summary samples/server-leak.msd
              memscope summary --json samples/server-leak.msd | jq .peak_bytes
              memscope inspect --stage analyze samples/tiny.jsonl
              memscope convert samples/server-leak.msd -o server.jsonl

            Exit codes: 0 success, 1 bad input or I/O error, 64 wrong usage.
            """,
        version: MemscopeVersion.string,
        subcommands: [Render.self, RecordCommand.self, Summary.self, Check.self, Diff.self, Export.self, Inspect.self,
                      Convert.self]
    )

    static func main() {
        MallocPolicy.apply()
        main(nil)
    }
}
