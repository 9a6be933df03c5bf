/// What one heap event did to the live bytes of its site and threads, once the block
/// stage (``AnalyzerCore``) has resolved it against the block table: all that the live
/// stage (``LiveTracker``) needs, in one 40-byte record.
struct LiveChange {
    /// Effective time of the event (ticks, never going backwards).
    var ticks: UInt64
    /// Bytes the block holds.
    var size: UInt64
    /// Dense site index of the block's allocation stack.
    var site: Int32
    /// ``AnalyzerCore/peakEpoch`` before the event.
    var epoch: UInt32
    /// Dense index of the thread that allocates (or frees) the block.
    var thread: UInt32
    /// Dense index of the thread that allocated the block (a release's owner).
    var owner: UInt32
    var isRelease: Bool
    /// Whether the event is inside the window's start (counted, not carried in).
    var counted: Bool
}

/// The running figures of one thread's blocks (its name, flags and last event are kept by
/// ``ThreadTable``).
struct ThreadLive {
    var allocations: UInt64 = 0
    var bytesAllocated: UInt64 = 0
    var frees: UInt64 = 0
    var peakBytes: UInt64 = 0
    var liveBytes: UInt64 = 0
}

/// The live stage of the analysis: per site and per thread, live bytes over time, their
/// value at the global peak, allocations and frees.
///
/// It depends only on the ``LiveChange``s, in order, so it can run on a thread of its own
/// beside the block stage (``AnalysisPipeline``); or the block stage applies each change
/// at once.
struct LiveTracker {
    /// Per site (dense index), in order of first allocation.
    var sites: [SiteAccumulator] = []
    /// Per site, its live bytes over time.
    var lanes = SiteLanes()
    /// Per thread (dense index).
    var threads: [ThreadLive] = []
    /// Per thread, the live bytes of its blocks over time.
    var threadLanes = ThreadLanes()

    mutating func apply(_ changes: [LiveChange]) {
        for change in changes { apply(change) }
    }

    @inline(__always)
    mutating func apply(_ change: LiveChange) {
        if Int(change.site) >= sites.count { addSites(through: Int(change.site)) }
        if Int(max(change.thread, change.owner)) >= threads.count { addThreads(through: Int(max(change.thread, change.owner))) }
        if change.isRelease { release(change) } else { allocate(change) }
    }

    private mutating func addSites(through s: Int) {
        while sites.count <= s {
            sites.append(SiteAccumulator())
            lanes.addSite()
        }
    }

    private mutating func addThreads(through t: Int) {
        while threads.count <= t { threads.append(ThreadLive()) }
    }

    @inline(__always)
    private mutating func allocate(_ change: LiveChange) {
        let s = Int(change.site)
        let size = change.size
        let lane = laneBucket(change.ticks)
        var closed: (Int32, UInt64, UInt64)?
        withSite(s) { site in
            closed = Self.updateLane(&site, bucket: lane, adding: size)
            if change.counted {
                site.allocations &+= 1
                site.bytesAllocated &+= size
            }
            site.liveBlocks &+= 1
            Self.changeLive(&site, add: size, epoch: change.epoch)
        }
        if let closed { closeLane(s, closed) }
        let t = Int(change.thread)
        let live = withThread(t) { c in
            if change.counted {
                c.allocations += 1
                c.bytesAllocated &+= size
            }
            c.liveBytes &+= size
            c.peakBytes = max(c.peakBytes, c.liveBytes)
            return c.liveBytes
        }
        threadLanes.record(thread: t, newLive: live, ticks: change.ticks)
    }

    @inline(__always)
    private mutating func release(_ change: LiveChange) {
        let s = Int(change.site)
        let size = change.size
        let lane = laneBucket(change.ticks)
        var closed: (Int32, UInt64, UInt64)?
        withSite(s) { site in
            closed = Self.updateLane(&site, bucket: lane, adding: 0)
            site.liveBlocks &-= 1
            Self.changeLive(&site, remove: size, epoch: change.epoch)
        }
        if let closed { closeLane(s, closed) }
        let owner = Int(change.owner)
        let ownerLive = withThread(owner) { c in
            c.liveBytes &-= size
            return c.liveBytes
        }
        threadLanes.record(thread: owner, newLive: ownerLive, ticks: change.ticks)
        if change.counted { threads[Int(change.thread)].frees += 1 }
    }

    /// Mutates one site in place (no copy of the record in and out).
    @inline(__always)
    private mutating func withSite(_ s: Int, _ body: (inout SiteAccumulator) -> Void) {
        body(&sites[s])
    }

    @inline(__always)
    private mutating func withThread<Result>(_ t: Int, _ body: (inout ThreadLive) -> Result) -> Result {
        body(&threads[t])
    }

    /// Changes a site's live bytes, first saving its value at the last global peak.
    ///
    /// Peak attribution without copying: when the total reaches a new maximum,
    /// the block stage's `peakEpoch` grows. A site's value at that peak is its value just
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

    /// The lane interval of `ticks`, widening every lane first when the run outgrew them.
    @inline(__always)
    private mutating func laneBucket(_ ticks: UInt64) -> Int32 {
        if lanes.bucket(ticks) >= SiteLanes.points { lanes.widen(until: ticks, sites: &sites) }
        return Int32(lanes.bucket(ticks))
    }

    /// Keeps a site's lane (its live bytes over time) up to date before a change of
    /// `adding` bytes, inside the site's record. When the site's events move to a later
    /// interval, it returns the closed interval for ``closeLane(_:_:)`` to write out.
    @inline(__always)
    static func updateLane(_ site: inout SiteAccumulator, bucket: Int32, adding: UInt64) -> (Int32, UInt64, UInt64)? {
        var closed: (Int32, UInt64, UInt64)?
        if bucket != site.laneBucket {
            closed = (site.laneBucket, site.laneMax, site.liveBytes)
            site.laneBucket = bucket
            site.laneMax = site.liveBytes
        }
        site.laneMax = max(site.laneMax, site.liveBytes &+ adding)
        return closed
    }

    /// Writes a closed lane interval (rare: once per site and interval).
    private mutating func closeLane(_ s: Int, _ closed: (bucket: Int32, maximum: UInt64, live: UInt64)) {
        lanes.close(site: s, bucket: Int(closed.bucket), maximum: closed.maximum, through: Int(sites[s].laneBucket), live: closed.live)
    }

    /// Ends the run: every site the block stage knows (some may have had no change here),
    /// and every thread.
    mutating func finish(siteCount: Int, threadCount: Int) {
        if siteCount > sites.count { addSites(through: siteCount - 1) }
        if threadCount > threads.count { addThreads(through: threadCount - 1) }
    }
}
