import Dispatch
import MemscopeModel

/// Work started on a thread of its own, its result taken where it is needed: a report's
/// extra-view read runs while the calling thread draws the run's own pictures.
///
/// ```swift
/// let extra = BackgroundWork(label: "memscope.extra-views") { try readViews() }
/// drawRun()
/// let views = try extra.value()  // waits for the read
/// ```
final class BackgroundWork<Value>: @unchecked Sendable {
    /// Written once by the worker before it signals `done`, read only after `done`.
    private var result: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)
    private var taken = false

    init(label: String, _ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue(label: label).async {
            self.result = Result(catching: work)
            self.done.signal()
        }
    }

    /// The result, once the work is done (waited for the first time only); the work's error
    /// is thrown here.
    func value() throws -> Value {
        waitUntilDone()
        return try result!.get()
    }

    /// Waits for the work without taking its result: a caller that fails before it needs the
    /// result does not leave the work running (a batch's next report would share the cores with it).
    func waitUntilDone() {
        guard !taken else { return }
        done.wait()
        taken = true
    }
}
