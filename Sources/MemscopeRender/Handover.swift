import Dispatch

/// A value one thread hands to another once, before its own work is done: the extra-view
/// read hands the views over as soon as they are made (and the inference finished), and
/// lays the ownership graph out and paints it while the views are drawn.
///
/// ```swift
/// let views = Handover<[Int]>()
/// let work = BackgroundWork(label: "memscope.example") { views.set(.success([1, 2])); return moreWork() }
/// let ready = try views.value()  // waits for the hand-over, not for moreWork()
/// ```
final class Handover<Value>: @unchecked Sendable {
    /// Written once by the giving thread before it signals `given`, read only after `given`.
    private var result: Result<Value, any Error>?
    private let given = DispatchSemaphore(value: 0)
    /// Read and written by the giving thread only.
    private var isSet = false
    /// Read and written by the taking thread only.
    private var waited = false

    /// Hands `result` over; a later call (the giving thread's error after the hand-over) is ignored.
    func set(_ result: Result<Value, any Error>) {
        guard !isSet else { return }
        isSet = true
        self.result = result
        given.signal()
    }

    /// The value handed over, once it is (waited for the first time only); an error handed
    /// over is thrown here.
    func value() throws -> Value {
        if !waited {
            given.wait()
            waited = true
        }
        return try result!.get()
    }
}
