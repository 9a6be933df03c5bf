/// An alloc, free or realloc record as a ``RecordBatch`` holds it: a plain value with no
/// references, so writing, copying and dropping one is a few stores.
///
/// Why: a ``Record`` may hold references (strings, boxed cases), so every copy and every
/// destruction of one goes through a switch on its case, and every append to an array of
/// them checks the array's uniqueness. Those records are nearly all of a dump, and that
/// cost about a sixth of the instructions of reading them and a seventh of analysing them
/// (callgrind, 1M events).
public struct HeapEvent: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case alloc, free, realloc
    }

    public var timestamp: UInt64
    /// An alloc's block, a free's address, a realloc's new address.
    public var address: UInt64
    /// An alloc's size, a realloc's new size (0 for a free).
    public var size: UInt64
    /// A realloc's old address (0 otherwise).
    public var oldAddress: UInt64
    public var thread: UInt32
    public var stack: UInt32
    public var kind: Kind
    /// An alloc's allocator (`.malloc` otherwise).
    public var allocator: AllocatorKind

    @inlinable
    public init(kind: Kind, timestamp: UInt64, thread: UInt32, address: UInt64, size: UInt64 = 0,
                oldAddress: UInt64 = 0, stack: UInt32, allocator: AllocatorKind = .malloc) {
        self.timestamp = timestamp
        self.address = address
        self.size = size
        self.oldAddress = oldAddress
        self.thread = thread
        self.stack = stack
        self.kind = kind
        self.allocator = allocator
    }

    /// The event of an alloc, free or realloc record; nil for other records.
    @inlinable
    public init?(_ record: Record) {
        switch record {
        case .alloc(let a):
            self.init(kind: .alloc, timestamp: a.timestamp, thread: a.thread, address: a.address, size: a.size,
                      stack: a.stack, allocator: a.kind)
        case .free(let f):
            self.init(kind: .free, timestamp: f.timestamp, thread: f.thread, address: f.address, stack: f.stack)
        case .realloc(let r):
            self.init(kind: .realloc, timestamp: r.timestamp, thread: r.thread, address: r.newAddress,
                      size: r.newSize, oldAddress: r.oldAddress, stack: r.stack)
        default:
            return nil
        }
    }

    /// The event as a record.
    @inlinable
    public var record: Record {
        switch kind {
        case .alloc:
            .alloc(Alloc(timestamp: timestamp, thread: thread, address: address, size: size, kind: allocator, stack: stack))
        case .free:
            .free(Free(timestamp: timestamp, thread: thread, address: address, stack: stack))
        case .realloc:
            .realloc(Realloc(timestamp: timestamp, thread: thread, oldAddress: oldAddress, newAddress: address,
                             newSize: size, stack: stack))
        }
    }
}

/// A batch of records in dump order, as the parse stage hands them to the analysis: alloc,
/// free and realloc records as ``HeapEvent``s in raw storage, every other record (tables,
/// threads, annotations…) as a ``Record`` with its place among the events.
///
/// A reference type, so that one batch's storage is filled, handed to another thread and
/// reused without being copied or reallocated.
public final class RecordBatch {
    /// The events, `eventCount` of them initialised.
    public var events: UnsafeMutablePointer<HeapEvent> { storage }
    public var eventCount: Int { storedEvents }
    @usableFromInline var storage: UnsafeMutablePointer<HeapEvent>
    @usableFromInline var storedEvents = 0
    @usableFromInline var eventCapacity: Int
    /// The records that are not events, in order…
    public private(set) var records: [Record] = []
    /// …and for each, the number of events before it in the batch.
    public private(set) var recordPositions: [Int] = []

    /// - Parameter capacity: events the batch holds before it grows.
    public init(capacity: Int = 0) {
        eventCapacity = max(capacity, 16)
        storage = .allocate(capacity: eventCapacity)
    }

    deinit { storage.deallocate() }  // a trivial type: nothing to deinitialise

    /// Events and records.
    public var count: Int { eventCount + records.count }
    public var isEmpty: Bool { count == 0 }

    /// Appends a record (an alloc, free or realloc as an event).
    public func append(_ record: Record) {
        if let event = HeapEvent(record) {
            append(event)
        } else {
            recordPositions.append(storedEvents)
            records.append(record)
        }
    }

    public func append(contentsOf records: some Sequence<Record>) {
        for record in records { append(record) }
    }

    @inlinable
    public func append(_ event: HeapEvent) {
        if storedEvents == eventCapacity { reserveEvents(storedEvents + 1) }
        (storage + storedEvents).initialize(to: event)
        storedEvents += 1
    }

    /// Makes room for at least `total` events, so that a writer can fill
    /// `events[eventCount..<total]` and then call ``didAppendEvents(_:)``.
    public func reserveEvents(_ total: Int) {
        guard total > eventCapacity else { return }
        var capacity = eventCapacity * 2
        while capacity < total { capacity *= 2 }
        let bigger = UnsafeMutablePointer<HeapEvent>.allocate(capacity: capacity)
        bigger.moveInitialize(from: storage, count: storedEvents)
        storage.deallocate()
        storage = bigger
        eventCapacity = capacity
    }

    /// Room for events after the last one, without growing.
    public var spareEventCapacity: Int { eventCapacity - storedEvents }

    /// Counts `n` more events, written by the caller after the last one (within
    /// ``spareEventCapacity``).
    public func didAppendEvents(_ n: Int) {
        precondition(n >= 0 && n <= spareEventCapacity, "events written past the batch's capacity")
        storedEvents += n
    }

    /// Empties the batch, keeping its storage.
    public func removeAll() {
        storedEvents = 0
        records.removeAll(keepingCapacity: true)
        recordPositions.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with every record of the batch, in order.
    public func forEach(_ body: (Record) throws -> Void) rethrows {
        try forEachInOrder(event: { try body($0.record) }, record: body)
    }

    /// Calls `event` for each event and `record` for each other record, in order.
    @inlinable
    public func forEachInOrder(event: (HeapEvent) throws -> Void, record: (Record) throws -> Void) rethrows {
        var e = 0
        for (r, position) in recordPositions.enumerated() {
            while e < position {
                try event(events[e])
                e += 1
            }
            try record(records[r])
        }
        while e < eventCount {
            try event(events[e])
            e += 1
        }
    }

    /// The batch as records, in order.
    public var allRecords: [Record] {
        var all: [Record] = []
        all.reserveCapacity(count)
        forEach { all.append($0) }
        return all
    }
}
