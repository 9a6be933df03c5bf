import Foundation
@testable import MemscopeRecord
import MemscopeTestSupport
import Testing

/// Following a spool while its process writes it: events come out in order of time,
/// only once stamped before the watermark, across chunks handed out later, with the
/// stacks they name already indexed.
@Suite struct SpoolStreamTests {
    /// A spool file written by hand, in the preload library's layout (recorder.h).
    final class HandWrittenSpool {
        let path: String
        let fd: Int32
        static let chunkSize = 4096
        static let headerSize = SpoolStream.headerSize
        private var used: [Int: Int] = [:]

        init() throws {
            path = try TestPaths.temporaryDirectory().appendingPathComponent("spool").path
            fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
            ftruncate(fd, off_t(Self.headerSize + 8 * Self.chunkSize))
            var header = [UInt8](repeating: 0, count: Self.headerSize)
            header.replaceSubrange(0..<8, with: Array("MSDSPOOL".utf8))
            put(&header, 8, UInt64(SpoolStream.version), 4)
            put(&header, 12, UInt64(Self.chunkSize), 4)
            put(&header, 40, 1_000, 8)  // start, monotonic
            put(&header, 56, 4242, 4)   // pid
            put(&header, 72, 8, 8)      // max chunks
            write(header, at: 0)
        }

        deinit { close(fd) }

        func put(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt64, _ count: Int) {
            for i in 0..<count { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
        }

        func write(_ bytes: [UInt8], at offset: Int) {
            _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes.count, off_t(offset)) }
        }

        /// Hands out chunks (the header's counter), with or without their owner's id yet.
        func handOut(_ count: Int) {
            var bytes = [UInt8](repeating: 0, count: 8)
            put(&bytes, 0, UInt64(count), 8)
            write(bytes, at: 16)
        }

        func claim(_ chunk: Int, thread: UInt32) {
            var bytes = [UInt8](repeating: 0, count: 4)
            put(&bytes, 0, UInt64(thread), 4)
            write(bytes, at: Self.headerSize + chunk * Self.chunkSize)
        }

        /// Appends events to a chunk and publishes its new length.
        func publish(_ chunk: Int, _ events: [[UInt8]]) {
            var offset = used[chunk, default: 0]
            for event in events {
                write(event, at: Self.headerSize + chunk * Self.chunkSize + 8 + offset)
                offset += event.count
            }
            used[chunk] = offset
            var bytes = [UInt8](repeating: 0, count: 4)
            put(&bytes, 0, UInt64(offset), 4)
            write(bytes, at: Self.headerSize + chunk * Self.chunkSize + 4)
        }

        static func leb(_ value: UInt64) -> [UInt8] {
            var v = value
            var out: [UInt8] = []
            repeat {
                var byte = UInt8(v & 0x7f)
                v >>= 7
                if v != 0 { byte |= 0x80 }
                out.append(byte)
            } while v != 0
            return out
        }

        static func stack(_ id: UInt64, _ addresses: [UInt64]) -> [UInt8] {
            [4] + leb(id) + leb(1) + leb(UInt64(addresses.count)) + addresses.flatMap(leb)
        }

        static func alloc(_ ts: UInt64, _ address: UInt64, stack: UInt64) -> [UInt8] {
            [1] + leb(ts) + leb(address) + leb(16) + leb(0) + leb(stack)
        }
    }

    static func times(_ stream: SpoolStream, before watermark: UInt64?) -> [String] {
        var seen: [String] = []
        stream.drain(before: watermark) { thread, event in
            if case .alloc(let ts, _, _, _, let stack) = event {
                #expect(stream.index.stacks[stack] != nil, "the stack an event names is indexed")
                seen.append("\(thread)@\(ts)")
            }
        }
        return seen
    }

    @Test func followsASpoolAsItIsWritten() throws {
        let spool = try HandWrittenSpool()
        spool.handOut(2)
        spool.claim(0, thread: 100)
        spool.claim(1, thread: 200)
        spool.publish(0, [HandWrittenSpool.stack(1, [0x1000]), HandWrittenSpool.alloc(10, 0xa0, stack: 1),
                          HandWrittenSpool.alloc(30, 0xa1, stack: 1)])
        spool.publish(1, [HandWrittenSpool.stack(2, [0x2000]), HandWrittenSpool.alloc(20, 0xb0, stack: 2)])
        let stream = try #require(try SpoolStream(openingIfReady: spool.path))
        #expect(stream.pid == 4242)
        stream.refresh()
        #expect(Self.times(stream, before: 25) == ["100@10", "200@20"])
        #expect(Self.times(stream, before: 25).isEmpty, "what is not old enough waits")

        // More events on a thread; a chunk handed out whose owner has not written its id yet.
        spool.publish(1, [HandWrittenSpool.alloc(26, 0xb1, stack: 2)])
        spool.handOut(3)
        stream.refresh()
        #expect(Self.times(stream, before: 40) == ["200@26", "100@30"])
        spool.claim(2, thread: 100)
        spool.publish(2, [HandWrittenSpool.stack(3, [0x3000]), HandWrittenSpool.alloc(50, 0xa2, stack: 3)])
        // Published late: stamped before the last watermark, it comes out at the next pass.
        spool.publish(1, [HandWrittenSpool.alloc(35, 0xb2, stack: 2)])
        stream.refresh()
        #expect(Self.times(stream, before: nil) == ["200@35", "100@50"])
    }

    /// Three threads whose times interleave, tie and run ahead of one another, 400 events each
    /// (batches of 256 decoded at a time): the merge hands them out by time, ties in the order of
    /// the threads' first chunks, each thread's in its own order, and stops at the watermark.
    @Test func mergesThreadsByTimeWithTiesAndRuns() throws {
        let spool = try HandWrittenSpool()
        spool.handOut(3)
        let threads: [UInt32] = [300, 100, 200]  // slot order: their first chunks' order
        var expected: [(time: UInt64, slot: Int, sequence: Int)] = []
        var random: UInt64 = 0x9E37_79B9_7F4A_7C15
        for (slot, thread) in threads.enumerated() {
            spool.claim(slot, thread: thread)
            var events = [HandWrittenSpool.stack(UInt64(slot + 1), [0x1000])]
            var time: UInt64 = 100
            for sequence in 0..<400 {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Steps of 0 (a tie with itself), small ones, and now and then a long run ahead.
                let step = random >> 61 == 7 ? 40 : (random >> 33) % 3
                time += step
                events.append(HandWrittenSpool.alloc(time, 0xa000 + UInt64(sequence), stack: UInt64(slot + 1)))
                expected.append((time, slot, sequence))
            }
            spool.publish(slot, events)
        }
        expected.sort { ($0.time, $0.slot, $0.sequence) < ($1.time, $1.slot, $1.sequence) }
        let names = expected.map { "\(threads[$0.slot])@\($0.time)" }
        let stream = try #require(try SpoolStream(openingIfReady: spool.path))
        stream.refresh()
        let watermark = expected[expected.count / 2].time
        let first = Self.times(stream, before: watermark)
        #expect(first == Array(names.prefix(expected.firstIndex { $0.time >= watermark }!)))
        #expect(first + Self.times(stream, before: nil) == names)
    }

    @Test func aSpoolWithoutAHeaderIsNotReadyYet() throws {
        let path = try TestPaths.temporaryDirectory().appendingPathComponent("empty").path
        #expect(try SpoolStream(openingIfReady: path) == nil, "no file yet")
        FileManager.default.createFile(atPath: path, contents: Data(count: SpoolStream.headerSize))
        #expect(try SpoolStream(openingIfReady: path) == nil, "a header not written yet")
    }
}
