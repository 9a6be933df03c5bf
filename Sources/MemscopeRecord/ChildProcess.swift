import CMemscopeNative

#if canImport(Glibc)
import Glibc
#endif

/// The traced program, started with the recorder preloaded. memscope adopts
/// its orphaned descendants (subreaper) so that it can learn how they ended.
struct TracedProcess {
    let pid: pid_t

    /// Starts `command` (searched on PATH) with `environment`.
    static func spawn(command: [String], environment: [String]) throws -> TracedProcess {
        _ = ms_become_subreaper()
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // memscope ignores SIGINT while it waits; the program must not inherit that.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Nor a signal mask memscope was started with (test runners block some signals).
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, command[0], nil, &attributes, argv, envp)
        guard result == 0 else {
            throw RecordError(.cannotStart(program: command[0], reason: String(cString: strerror(result))))
        }
        return TracedProcess(pid: pid)
    }

    /// What waiting observed: each reaped process's wait status, and the program's run time.
    struct Ending {
        var statuses: [pid_t: Int32] = [:]
        var programSeconds = 0.0
    }

    /// Waits for the program, then for every descendant left behind.
    /// Reaps the process and every descendant left to memscope; `rootEnded` is called
    /// as soon as the process itself has ended.
    func waitForAll(startedAt start: Double, rootEnded: () -> Void = {}) -> Ending {
        ForwardedSignals.install(child: pid)
        defer { ForwardedSignals.uninstall() }
        var ending = Ending()
        while true {
            var status: Int32 = 0
            let reaped = waitpid(-1, &status, 0)
            if reaped > 0 {
                ending.statuses[reaped] = status
                if reaped == pid {
                    ending.programSeconds = monotonicSeconds() - start
                    rootEnded()
                }
                continue
            }
            if errno == EINTR { continue }
            break // ECHILD: nobody left
        }
        return ending
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// How a process ended, from its wait status.
func processEnd(waitStatus status: Int32) -> ProcessEnd {
    let signal = status & 0x7f
    if signal == 0 { return ProcessEnd(timestamp: 0, how: .exited, code: UInt32((status >> 8) & 0xff)) }
    return ProcessEnd(timestamp: 0, how: .signalled, code: UInt32(signal))
}

import MemscopeModel

/// While the program runs, memscope ignores SIGINT and SIGQUIT (the terminal
/// sends them to the program too) and passes SIGTERM and SIGHUP on to it, so
/// that it survives to write the dump.
enum ForwardedSignals {
    nonisolated(unsafe) static var child: pid_t = 0

    static func install(child: pid_t) {
        ForwardedSignals.child = child
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        let forward: @convention(c) (Int32) -> Void = { signal in
            if ForwardedSignals.child > 0 { kill(ForwardedSignals.child, signal) }
        }
        signal(SIGTERM, forward)
        signal(SIGHUP, forward)
        // memscope may have been started with these blocked (test runners do); unblock them.
        var forwarded = sigset_t()
        sigemptyset(&forwarded)
        sigaddset(&forwarded, SIGTERM)
        sigaddset(&forwarded, SIGHUP)
        sigprocmask(SIG_UNBLOCK, &forwarded, nil)
    }

    static func uninstall() {
        for s in [SIGINT, SIGQUIT, SIGTERM, SIGHUP] { signal(s, SIG_DFL) }
    }
}
