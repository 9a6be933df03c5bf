/// A value handed to exactly one other thread, which alone uses it until it signals (through
/// a queue, a semaphore, or the end of `concurrentPerform`) that it is done with it.
///
/// The one place memscope vouches for thread safety by hand: the compiler cannot see that
/// ownership moves with the signal, so each use names who owns the value when. Sendable
/// values need no handoff; results gathered from several threads go through a `Mutex`.
///
/// ```swift
/// let work = Handoff((builder, result))
/// queue.async { let (builder, result) = work.value; …; done.signal() }
/// done.wait()  // the value is ours again
/// ```
public struct Handoff<Value>: @unchecked Sendable {
    public let value: Value

    public init(_ value: Value) { self.value = value }
}
