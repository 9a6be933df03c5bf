import CPrefetch

/// What one heap event did to the live bytes of its site and threads, once the block
/// stage (``AnalyzerCore``) has resolved it against the block table: all that the live
/// stage (``LiveTracker``) needs, in one 40-byte record.
struct LiveChange {
    /// Effective time of the event (ticks, never going backwards).
    var ticks: UInt64
    /// Bytes the block holds.
    var size: UInt64
    /// A release's block lifetime (nanoseconds).
    var lifetime: UInt64
    /// Dense site index of the block's allocation stack.
    var site: Int32
    /// Dense index of the thread that allocates (or frees) the block.
    var thread: UInt32
    /// Dense index of the thread that allocated the block (a release's owner).
    var owner: UInt32
    /// The flags below, one bit each, in a whole word: the change is then exactly 40 bytes,
    /// so copying one is five aligned 8-byte moves (three `Bool`s made it 39 bytes, which
    /// the compiler copied with an overlapping unaligned 8-byte move).
    private var flags: UInt32

    init(ticks: UInt64, size: UInt64, lifetime: UInt64, site: Int32, thread: UInt32, owner: UInt32,
         isRelease: Bool, counted: Bool, temporary: Bool) {
        self.ticks = ticks
        self.size = size
        self.lifetime = lifetime
        self.site = site
        self.thread = thread
        self.owner = owner
        flags = (isRelease ? 1 : 0) | (counted ? 2 : 0) | (temporary ? 4 : 0)
    }

    var isRelease: Bool { flags & 1 != 0 }
    /// Whether the event is inside the window's start (counted, not carried in).
    var counted: Bool { flags & 2 != 0 }
    /// Whether a release ends a temporary block (freed before any other allocation).
    var temporary: Bool { flags & 4 != 0 }
}

/// A batch's live changes, written by the block stage and read by the live stage: raw
/// storage, so writing one is a store, not an array append.
final class LiveChangeBuffer {
    private(set) var base: UnsafeMutablePointer<LiveChange>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ change: LiveChange) {
        if count == capacity { grow() }
        (base + count).initialize(to: change)
        count += 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<LiveChange>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// Forgets the changes (a trivial type: nothing to deinitialise).
    func removeAll() { count = 0 }
}

/// The running figures of one thread's blocks (its name, flags and last event are kept by
/// ``ThreadTable``).
struct ThreadLive {
    var allocations: UInt64 = 0
    var bytesAllocated: UInt64 = 0
    var frees: UInt64 = 0
    var peakBytes: UInt64 = 0
    var liveBytes: UInt64 = 0
    /// The lane interval (``ThreadLanes``) the thread's events last fell in, and its
    /// highest live bytes there.
    var laneMax: UInt64 = 0
    var laneBucket = 0
    /// The time of the thread's last allocation or free (ticks).
    var lastSeen: UInt64 = 0
}

/// The live stage of the analysis: live bytes, the peak and the timeline of the whole run;
/// per site, live bytes over time and at the peak, allocations by size, frees and
/// lifetimes; per thread, the same live figures and the hand-offs between threads.
///
/// It depends only on the ``LiveChange``s, in order, so it can run on a thread of its own
/// beside the block stage (``AnalysisPipeline``); or the block stage applies each change
/// at once.
struct LiveTracker {
    /// Per site (dense index), in order of first allocation.
    var sites = SiteTable()
    /// Counts that overflowed a site's 32-bit size counters (practically never), by
    /// `site * SizeBuckets.count + bucket`.
    var sizeCountOverflow: [Int: UInt64] = [:]
    /// The same for lifetime counters, by `site * LifetimeBuckets.count + bucket`.
    var lifetimeCountOverflow: [Int: UInt64] = [:]
    /// Allocations and bytes per ``SizeBuckets`` bucket, for the whole run.
    /// (Inline, not ``SizeHistogram``'s arrays: no copy-on-write check per allocation.)
    var runSizeCounts = InlineArray<16, UInt64>(repeating: 0)
    var runSizeBytes = InlineArray<16, UInt64>(repeating: 0)
    /// Per site, its live bytes over time.
    var lanes = SiteLanes()
    /// Per thread (dense index).
    var threads = UncheckedStore(repeating: ThreadLive(), count: 0)
    /// Per thread, the live bytes of its blocks over time.
    var threadLanes = ThreadLanes()
    /// Blocks freed by another thread than the one that allocated them, by
    /// `allocating << 32 | freeing` (dense thread indices), for pairs outside `smallHandOffs`.
    var handOffs = IntegerMap<ThreadPairCount>()
    /// The same for pairs of the first ``smallThreads`` threads, at
    /// `allocating * smallThreads + freeing` (no hashing for the common case).
    var smallHandOffs = UncheckedStore(repeating: ThreadPairCount(), count: smallThreads * smallThreads)
    static let smallThreads = 32
    var crossThreadFrees: UInt64 = 0
    var liveBytes: UInt64 = 0
    /// How many times ``liveBytes`` carried past 2^64 (less the borrows back): with it,
    /// live bytes are exact in 128 bits. Only a forged dump gets here.
    var liveCarries = 0
    /// Live bytes went past 64 bits at some point: the peak is saturated.
    var liveOverflowed = false
    /// The highest live bytes of the counted events, and when.
    var peakBytes: UInt64 = 0
    var peakTicks: UInt64 = 0
    /// Incremented whenever a new global peak is reached.
    var peakEpoch: UInt32 = 0
    var timeline: TimelineReducer
    /// The earliest time at which the site lanes' open interval, the thread lanes' width
    /// or the timeline's interval changes: an event before it needs none of their checks
    /// (they cost about 30 instructions per event, a tenth of this stage).
    private var nextBoundary: UInt64 = 0

    /// Per-slice figures of every site (``TimelineSlices``), when asked for.
    var slices: SliceRecorder?

    init(timelinePoints: Int, slices: Int = 0) {
        timeline = TimelineReducer(capacity: timelinePoints)
        if slices > 0 { self.slices = SliceRecorder(capacity: slices) }
    }

    mutating func apply(_ changes: LiveChangeBuffer) {
        let base = changes.base
        let count = changes.count
        for i in 0..<count {
            // The site lines a change a few ahead will touch, and the buffer further on (a
            // hint only: it never faults, even past the end).
            if i + Self.lookahead < count {
                let ahead = base[i + Self.lookahead]
                if Int(ahead.site) < sites.count { sites.prefetch(Int(ahead.site), release: ahead.isRelease) }
                ms_prefetch_for_read(base + i + 4 * Self.lookahead)
            }
            apply(base[i])
        }
        // A second pass, only when a report asked for slices (nothing on the hot path otherwise).
        if _slowPath(slices != nil) { slices!.apply(changes) }
    }

    /// How many changes ahead the site lines are asked for. With 8, the 10M benchmark took
    /// 8% less CPU than without the hint; other distances were not measured.
    static let lookahead = 8

    @inline(__always)
    mutating func apply(_ change: LiveChange) {
        if Int(change.site) >= sites.count { addSites(through: Int(change.site)) }
        if Int(max(change.thread, change.owner)) >= threads.count { addThreads(through: Int(max(change.thread, change.owner))) }
        // Both kinds move the intervals on to the event's time first (a few times per
        // thousand events).
        if change.ticks >= nextBoundary { crossBoundary(change.ticks) }
        if change.isRelease { release(change) } else { allocate(change) }
    }

    /// Moves the site lanes, the thread lanes' width and the timeline on to `ticks`.
    private mutating func crossBoundary(_ ticks: UInt64) {
        lanes.advance(to: ticks, sites: sites)
        if threadLanes.needsWidening(ticks) { threadLanes.widen(until: ticks, threads: threads) }
        timeline.enter(time: ticks)
        nextBoundary = min(lanes.nextStart, threadLanes.widthEnd, timeline.nextStart)
    }

    private mutating func addSites(through s: Int) {
        while sites.count <= s {
            sites.append()
            lanes.addSite()
        }
    }

    private mutating func addThreads(through t: Int) {
        while threads.count <= t {
            threads.append(ThreadLive())
            threadLanes.addThread()
        }
    }

    @inline(__always)
    private mutating func allocate(_ change: LiveChange) {
        let s = Int(change.site)
        let size = change.size
        let epoch = peakEpoch
        let site = sites.figures(s)
        site.pointee.laneMax = max(site.pointee.laneMax, site.pointee.liveBytes &+ size)
        if change.counted { site.pointee.bytesAllocated = saturatingAdd(site.pointee.bytesAllocated, size) }
        site.pointee.liveBlocks &+= 1
        Self.changeLive(&site.pointee, add: size, epoch: epoch)
        if change.counted {
            let sizeBucket = SizeBuckets.bucket(forSize: size)
            runSizeCounts[sizeBucket] &+= 1
            runSizeBytes[sizeBucket] &+= size
            if !Self.countUp(&sites.sizes(s).pointee[sizeBucket]) {
                sizeCountOverflow[s &* SizeBuckets.count &+ sizeBucket, default: 0] &+= 1 << 32
            }
        }
        let (live, carried) = liveBytes.addingReportingOverflow(size)
        liveBytes = live
        if _slowPath(carried) { carry(counted: change.counted, ticks: change.ticks) }
        if change.counted && liveBytes > peakBytes {
            peakBytes = liveBytes
            peakTicks = change.ticks
            peakEpoch &+= 1
        }
        let t = Int(change.thread)
        if change.counted {
            threads[t].allocations += 1
            threads[t].bytesAllocated = saturatingAdd(threads[t].bytesAllocated, size)
        }
        threads[t].lastSeen = change.ticks
        threadLanes.change(&threads[t], index: t, by: size, adding: true, ticks: change.ticks)
        timeline.record(live: liveBytes, allocatedBytes: change.counted ? size : 0, isAllocation: change.counted,
                        isFree: false)
    }

    @inline(__always)
    private mutating func release(_ change: LiveChange) {
        let s = Int(change.site)
        let size = change.size
        let epoch = peakEpoch
        let site = sites.figures(s)
        site.pointee.liveBlocks &-= 1
        Self.changeLive(&site.pointee, remove: size, epoch: epoch)
        if change.counted {
            site.pointee.frees &+= 1
            if change.temporary { site.pointee.temporary &+= 1 }
            countLifetime(change.lifetime, site: s)
        }
        let (live, borrowed) = liveBytes.subtractingReportingOverflow(size)
        liveBytes = live
        if _slowPath(borrowed) { liveCarries -= 1 }
        let owner = Int(change.owner)
        threadLanes.change(&threads[owner], index: owner, by: size, adding: false, ticks: change.ticks)
        threads[Int(change.thread)].lastSeen = change.ticks
        if change.counted {
            threads[Int(change.thread)].frees += 1
            if change.thread != change.owner { countHandOff(change) }
        }
        timeline.record(live: liveBytes, allocatedBytes: 0, isAllocation: false, isFree: true)
    }

    /// Live bytes went past 2^64: the peak, when counted, is saturated there for good.
    @inline(never)
    private mutating func carry(counted: Bool, ticks: UInt64) {
        liveCarries += 1
        liveOverflowed = true
        guard counted, peakBytes != UInt64.max else { return }
        peakBytes = UInt64.max
        peakTicks = ticks
        peakEpoch &+= 1
    }

    /// Counts a block allocated by one thread and freed by another.
    private mutating func countHandOff(_ change: LiveChange) {
        crossThreadFrees += 1
        if change.owner < Self.smallThreads && change.thread < Self.smallThreads {
            let i = Int(change.owner) &* Self.smallThreads &+ Int(change.thread)
            smallHandOffs[i].add(bytes: change.size)
            return
        }
        handOffs.update(UInt64(change.owner) << 32 | UInt64(change.thread), initial: ThreadPairCount()) {
            $0.add(bytes: change.size)
        }
    }

    /// Adds one to a 32-bit count; false when it wrapped to 0 (the caller carries 2^32
    /// into an overflow table).
    @inline(__always)
    static func countUp(_ count: inout UInt32) -> Bool {
        count &+= 1
        return count != 0
    }

    @inline(__always)
    private mutating func countLifetime(_ lifetime: UInt64, site s: Int) {
        let l = sites.lifetimes(s)
        l.pointee.total &+= lifetime
        l.pointee.minimum = min(l.pointee.minimum, lifetime)
        l.pointee.maximum = max(l.pointee.maximum, lifetime)
        let bucket = LifetimeBuckets.bucket(forNanoseconds: lifetime)
        if !Self.countUp(&l.pointee.buckets[bucket]) {
            lifetimeCountOverflow[s &* LifetimeBuckets.count &+ bucket, default: 0] &+= 1 << 32
        }
    }

    /// Changes a site's live bytes, first saving its value at the last global peak.
    ///
    /// Peak attribution without copying: when the total reaches a new maximum,
    /// `peakEpoch` grows. A site's value at that peak is its value just
    /// before its first change afterwards, saved here, or its current value if it never
    /// changes again.
    @inline(__always)
    static func changeLive(_ site: inout SiteAccumulator, add: UInt64 = 0, remove: UInt64 = 0, epoch: UInt32) {
        if site.savedEpoch != epoch {
            site.savedEpoch = epoch
            site.bytesAtPeak = site.liveBytes
        }
        site.liveBytes = site.liveBytes &+ add &- remove
    }

    /// Every hand-off pair with its count: (allocating, freeing) dense thread indices.
    var allHandOffs: [(allocating: Int, freeing: Int, count: ThreadPairCount)] {
        var all = handOffs.entries.map { (Int($0.key >> 32), Int(UInt32(truncatingIfNeeded: $0.key)), $0.value) }
        for (i, count) in smallHandOffs.enumerated() where count.blocks > 0 {
            all.append((i / Self.smallThreads, i % Self.smallThreads, count))
        }
        return all
    }

    /// Ends the run: every site the block stage knows (some may have had no change here),
    /// and every thread.
    mutating func finish(siteCount: Int, threadCount: Int) {
        if siteCount > sites.count { addSites(through: siteCount - 1) }
        if threadCount > threads.count { addThreads(through: threadCount - 1) }
    }
}
