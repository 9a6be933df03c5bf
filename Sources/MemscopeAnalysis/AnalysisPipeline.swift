import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import MemscopeModel

/// Something that yields batches of records (the parse stage's readers conform).
public protocol RecordBatchSource: AnyObject {
    var diagnostics: Diagnostics { get }
    var wasTruncated: Bool { get }
    /// Replaces the content of `batch` with up to `maxCount` records; false at the end.
    func read(into batch: RecordBatch, maxCount: Int) throws -> Bool
}

/// Something else that reads every record of a dump alongside the analyses (the
/// ownership inference).
public protocol RecordConsumer: AnyObject {
    func consume(_ batch: RecordBatch)
}

extension Analyzer: RecordConsumer {}

/// Runs parse and analyze over a whole dump.
///
/// Parsing runs on a thread of its own and hands batches of records to the analysis
/// through a bounded queue, so memory stays bounded by a few batches. A single analysis
/// runs in two stages on two more threads: the block stage (``AnalyzerCore``: the block
/// table, sites, errors, totals) hands each batch's ``LiveChange``s to the live stage
/// (``LiveTracker``: live bytes, the peak, the timeline, per-site and per-thread figures).
/// The three threads share the machine's cores, each waiting only when its queue is full
/// or empty.
public enum AnalysisPipeline {
    /// How records flow between the threads: records per batch, and batches in flight
    /// between two stages.
    struct Flow {
        var batchSize: Int
        var depth: Int

        /// One analysis in two stages: batches of 196 KB of events, which stay in a core's
        /// cache between the stages, and 131,072 events in flight, a few milliseconds of work.
        ///
        /// Why so many: three threads share two cores, and the scheduler gives each a slice
        /// of a few milliseconds. With 4 batches of 16,384 in flight, the block stage waited
        /// 0.13–0.19 s of a 0.55 s run for the parse thread or the live stage while they were
        /// descheduled. With more in flight the 10M benchmark ran faster (medians of one
        /// alternating loop: 0.565 s with 8 batches of 4,096, 0.551 s with 16, 0.534 s with
        /// 32), for 6 MB more memory.
        static let staged = Flow(batchSize: 4_096, depth: 32)
        /// Several analyses of each batch (a report's views), in parallel: every batch is
        /// a round of work handed to the cores, so batches are larger and fewer.
        static let parallel = Flow(batchSize: 16_384, depth: 4)
    }

    /// Reads every record from `reader` and analyses it.
    /// - Parameter afterBatch: called on the calling thread after each batch (progress).
    public static func run(reader: some RecordBatchSource, options: AnalysisOptions = .default,
                           afterBatch: () -> Void = {}) throws -> Analysis {
        try run(reader: reader, everyOptions: [options], afterBatch: afterBatch)[0]
    }

    /// Reads every record once and analyses it once per options (a report's per-thread
    /// views): the parse is shared, each analysis is independent.
    /// - Parameter alongside: more consumers, each fed every batch like an analysis.
    /// - Parameter limits: the records limit of the read (the analyses check theirs).
    public static func run(reader: some RecordBatchSource, everyOptions: [AnalysisOptions],
                           alongside: [any RecordConsumer] = [], limits: InputLimits? = nil,
                           afterBatch: () -> Void = {}) throws -> [Analysis] {
        let analyzers = everyOptions.map { Analyzer(options: $0) }
        let consumers: [any RecordConsumer] = analyzers + alongside
        let limits = limits ?? everyOptions.first?.limits ?? .default
        if analyzers.count == 1 && alongside.isEmpty {
            let (queue, emptied) = startReading(reader, flow: .staged, limits: limits)
            return [try runStaged(analyzers[0], batches: queue, emptied: emptied, reader: reader, afterBatch: afterBatch)]
        }
        let (queue, emptied) = startReading(reader, flow: .parallel, limits: limits)
        while true {
            switch queue.take() {
            case .batch(let batch):
                // Independent analyses of one batch: each consumer is used by one worker.
                let shared = Handoff((consumers, batch))
                DispatchQueue.concurrentPerform(iterations: consumers.count) { i in
                    shared.value.0[i].consume(shared.value.1)
                }
                if let exceeded = analyzers.lazy.compactMap({ $0.exceededLimit() }).first {
                    emptied.put(.end) // stops the parse thread, once a put of it is let through
                    queue.discardAll()
                    throw exceeded
                }
                afterBatch()
                emptied.put(.batch(batch))
            case .end:
                emptied.discardAll()  // the batch buffers, before the analyses' peak in finish
                return analyzers.map { $0.finish(diagnostics: reader.diagnostics, truncated: reader.wasTruncated) }
            case .failure(let error): throw error
            }
        }
    }

    /// Starts the parse thread: it fills buffers taken from `emptied` and puts them on
    /// `batches`, then `.end` or the error that stopped it.
    private static func startReading(_ reader: some RecordBatchSource, flow: Flow,
                                     limits: InputLimits) -> (batches: BatchQueue<RecordBatch>, emptied: BatchQueue<RecordBatch>) {
        let queue = BatchQueue<RecordBatch>(depth: flow.depth)
        let emptied = BatchQueue<RecordBatch>(depth: flow.depth + 2, isPool: true)
        for _ in 0..<flow.depth + 1 {
            emptied.put(.batch(RecordBatch(capacity: flow.batchSize)))
        }
        let box = Handoff<any RecordBatchSource>(reader)
        DispatchQueue(label: "memscope.parse").async {
            do {
                var records: UInt64 = 0
                while true {
                    // Reuse an emptied buffer: no fresh pages to fault in per batch.
                    guard case .batch(let batch) = emptied.take() else { return }
                    guard try box.value.read(into: batch, maxCount: flow.batchSize) else { break }
                    records += UInt64(batch.count)
                    if records > limits.records {
                        throw LimitExceeded(path: "", name: "records", limit: limits.records,
                                            found: "more than \(Units.count(limits.records)) records")
                    }
                    queue.put(.batch(batch))
                }
                queue.put(.end)
            } catch {
                queue.put(.failure(error))
            }
        }
        return (queue, emptied)
    }

    /// One analysis in two stages: the block stage on a thread of its own, the live stage
    /// on the calling thread.
    private static func runStaged(_ analyzer: Analyzer, batches: BatchQueue<RecordBatch>, emptied: BatchQueue<RecordBatch>,
                                  reader: some RecordBatchSource, afterBatch: () -> Void) throws -> Analysis {
        let flow = Flow.staged
        let changes = BatchQueue<LiveChangeBuffer>(depth: flow.depth)
        let emptiedChanges = BatchQueue<LiveChangeBuffer>(depth: flow.depth + 2, isPool: true)
        for _ in 0..<flow.depth + 1 {
            // A realloc is a release and an allocation.
            emptiedChanges.put(.batch(LiveChangeBuffer(capacity: flow.batchSize * 2)))
        }
        var tracker = analyzer.core.takeLiveStage()
        let box = Handoff(analyzer)
        DispatchQueue(label: "memscope.blocks").async {
            while true {
                switch batches.take() {
                case .batch(let batch):
                    guard case .batch(let buffer) = emptiedChanges.take() else { return }
                    box.value.core.consume(batch, deferringInto: buffer)
                    if let exceeded = box.value.core.exceededLimit() {
                        emptied.put(.end) // stops the parse thread, once a put of it is let through
                        batches.discardAll()
                        changes.put(.failure(exceeded))
                        return
                    }
                    emptied.put(.batch(batch))
                    changes.put(.batch(buffer))
                case .end:
                    changes.put(.end)
                    return
                case .failure(let error):
                    changes.put(.failure(error))
                    return
                }
            }
        }
        while true {
            switch changes.take() {
            case .batch(let buffer):
                tracker.apply(buffer)
                afterBatch()
                buffer.removeAll()
                emptiedChanges.put(.batch(buffer))
            case .end:
                // The block stage is done with the analyzer: the live stage joins it.
                emptied.discardAll()
                emptiedChanges.discardAll()
                // Swapped, not copied: a copy left here would share the tracker's buffers,
                // and the finish's first write to them (``SiteLanes/takeFinished(sites:lastTicks:)``)
                // would copy them (a lane of 512 bytes per site).
                swap(&analyzer.core.live, &tracker)
                return analyzer.finish(diagnostics: reader.diagnostics, truncated: reader.wasTruncated)
            case .failure(let error): throw error
            }
        }
    }
}

/// A bounded single-producer, single-consumer queue of batches (pthread mutex and
/// condition variables: DispatchSemaphore traps when released below its start value).
///
/// A pool of emptied buffers is taken last in, first out: the buffer just given back is
/// still in the cache, and buffers a slow reader never needs are never written, so their
/// pages never count in the resident memory (33 buffers of each kind are made, a heaptrack
/// file's reader keeps 2 or 3 busy).
private final class BatchQueue<Payload>: @unchecked Sendable {
    enum Item {
        case batch(Payload)
        case end
        case failure(any Error)
    }

    private var items: [Item] = []
    private var head = 0
    private let capacity: Int
    private let isPool: Bool
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// - Parameter isPool: taken last in, first out (emptied buffers) instead of in order.
    init(depth: Int, isPool: Bool = false) {
        capacity = depth
        self.isPool = isPool
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    func put(_ item: Item) {
        pthread_mutex_lock(mutex)
        while items.count - head >= capacity { pthread_cond_wait(changed, mutex) }
        items.append(item)
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// Drops every item (the reader has stopped).
    func discardAll() {
        pthread_mutex_lock(mutex)
        items.removeAll()
        head = 0
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    func take() -> Item {
        pthread_mutex_lock(mutex)
        while items.count == head { pthread_cond_wait(changed, mutex) }
        if isPool {
            let item = items.removeLast()
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
            return item
        }
        let item = items[head]
        items[head] = .end  // drop the queue's reference to the batch
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        return item
    }
}
