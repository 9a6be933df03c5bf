import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The temporary files of unfinished outputs (``AtomicOutputFile``), removed when
/// memscope is interrupted (SIGINT, SIGTERM, SIGHUP), so no hidden `.name.tmp-XXXXXX`
/// stays behind. The handler is installed only where the signal's disposition is still
/// the default (`memscope record` forwards some signals to the program while it runs),
/// then it removes the files and re-raises the signal with its default disposition, so
/// memscope still dies of it.
enum TemporaryFiles {
    static let capacity = 64
    /// C strings of the registered paths (nil = free slot); read by the signal handler.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()
    nonisolated(unsafe) private static var installed = false
    private static let lock = NSLock()

    /// Creates a temporary file with `create` (which returns its path, or nil) and
    /// registers it, the three signals held back meanwhile, so none can come between the
    /// file's creation and its registration. Returns the path and the slot (nil when every
    /// slot is taken: the file is then only removed on the usual paths).
    static func create(_ create: () -> String?) -> (path: String?, slot: Int?) {
        lock.withLock { installHandlers() }
        var held = sigset_t(), previous = sigset_t()
        sigemptyset(&held)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&held, signal) }
        pthread_sigmask(SIG_BLOCK, &held, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        guard let path = create() else { return (nil, nil) }
        return (path, lock.withLock {
            guard let slot = (0..<capacity).first(where: { slots[$0] == nil }) else { return nil }
            slots[slot] = strdup(path)
            return slot
        })
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock {
            let path = slots[slot]
            slots[slot] = nil
            free(path)
        }
    }

    private static func installHandlers() {
        guard !installed else { return }
        installed = true
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil else { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                // Only async-signal-safe calls: unlink, sigaction, raise.
                for slot in 0..<TemporaryFiles.capacity {
                    if let path = TemporaryFiles.slots[slot] { unlink(path) }
                }
                var defaults = sigaction()
                defaults.__sigaction_handler.sa_handler = nil  // SIG_DFL
                sigaction(signal, &defaults, nil)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
            // A process started with the signal blocked (an inherited mask) would otherwise
            // never see it: this thread takes it.
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, signal)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        }
    }
}
