/// Simulated threads: each runs a queue of steps; the scheduler always runs the step of
/// the thread whose clock is earliest, so events of different threads interleave as
/// they would on a real machine, in a deterministic order (ties go to the lower tid).
final class SimThread {
    enum Step {
        /// Runs the action at the thread's time, then the thread spends `delay` ns.
        case act(() -> Void, delay: UInt64)
        /// Waits, polling every `poll` ns, until the condition holds.
        case wait(() -> Bool, poll: UInt64)
    }

    let tid: UInt32
    var time: UInt64 = 0
    private(set) var running = false
    private(set) var exited = false
    fileprivate var steps: [Step] = []
    fileprivate var next = 0
    /// Queues the thread's next steps; returns false when it has nothing more to do.
    var refill: () -> Bool = { false }
    /// Runs at the thread's time once it is done (e.g. to record its exit).
    var onExit: () -> Void = {}

    init(tid: UInt32) { self.tid = tid }

    func act(_ delay: UInt64 = 0, _ action: @escaping () -> Void) { steps.append(.act(action, delay: delay)) }
    func wait(poll: UInt64, until condition: @escaping () -> Bool) { steps.append(.wait(condition, poll: poll)) }

    func start(at time: UInt64) {
        self.time = time
        running = true
    }

    fileprivate func finish() { exited = true }
}

final class Scheduler {
    let builder: SampleBuilder
    private var threads: [SimThread] = []

    init(builder: SampleBuilder) { self.builder = builder }

    func add(_ thread: SimThread) { threads.append(thread) }

    func run() {
        while true {
            var chosen: SimThread?
            for thread in threads where thread.running && !thread.exited {
                if let best = chosen, (best.time, best.tid) <= (thread.time, thread.tid) { continue }
                chosen = thread
            }
            guard let thread = chosen else { return }
            if thread.next == thread.steps.count {
                thread.steps.removeAll(keepingCapacity: true)
                thread.next = 0
                if !thread.refill() || thread.steps.isEmpty {
                    builder.now = thread.time
                    thread.finish()
                    thread.onExit()
                }
                continue
            }
            switch thread.steps[thread.next] {
            case .act(let action, let delay):
                builder.now = thread.time
                action()
                thread.time = max(thread.time, builder.now) + delay
                thread.next += 1
            case .wait(let condition, let poll):
                if condition() {
                    thread.next += 1
                } else {
                    thread.time += poll
                }
            }
        }
    }
}
