#if canImport(Glibc)
import Glibc
#endif

/// Wall time and peak resident memory of one child process.
struct Measurement {
    var seconds: Double
    var peakRSSBytes: UInt64
    var exitStatus: Int32
}

/// Runs `arguments` with stdout sent to `stdoutPath`, and measures it with wait4(2).
func measure(_ arguments: [String], stdoutPath: String, stderrPath: String = "/dev/null",
             environment: [String: String] = [:]) -> Measurement? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    var pid: pid_t = 0
    var environmentStrings: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") }
    var index = 0
    while let entry = environ[index] {
        environmentStrings.append(strdup(entry))
        index += 1
    }
    environmentStrings.append(nil)
    defer { environmentStrings.forEach { free($0) } }
    guard posix_spawnp(&pid, arguments[0], &actions, nil, &argv, &environmentStrings) == 0 else { return nil }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &end)
    let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    let exited = (status & 0x7F) == 0
    return Measurement(seconds: seconds, peakRSSBytes: UInt64(usage.ru_maxrss) * 1024,
                       exitStatus: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F))
}

/// The full path of `name` on PATH, or nil.
func which(_ name: String) -> String? {
    if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
    guard let path = getenv("PATH") else { return nil }
    for directory in String(cString: path).split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

func fileSize(_ path: String) -> UInt64 {
    var info = stat()
    return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
}
