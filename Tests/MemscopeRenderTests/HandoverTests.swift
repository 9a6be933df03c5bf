import Dispatch
@testable import MemscopeRender
import Testing

/// The extra-view read hands its views over before it makes the ownership section: the
/// views are drawn meanwhile.
@Suite struct HandoverTests {
    struct Failure: Error, Equatable {}

    /// The value is taken while the work that handed it over still runs: the work waits
    /// (at most 10 s) for the taker before it ends.
    @Test func valueIsTakenBeforeTheWorkEnds() throws {
        let handover = Handover<Int>()
        let taken = DispatchSemaphore(value: 0)
        let work = BackgroundWork(label: "memscope.test.handover") { () -> Bool in
            handover.set(.success(42))
            return taken.wait(timeout: .now() + 10) == .success
        }
        #expect(try handover.value() == 42)
        taken.signal()
        #expect(try work.value(), "the work ended before its value was taken")
        #expect(try handover.value() == 42)  // taken again without waiting
    }

    /// A failure handed over is thrown to the taker; what is set after the first is ignored.
    @Test func firstResultStands() throws {
        let failed = Handover<Int>()
        failed.set(.failure(Failure()))
        failed.set(.success(1))
        #expect(throws: Failure.self) { try failed.value() }
        let done = Handover<Int>()
        done.set(.success(7))
        done.set(.failure(Failure()))
        #expect(try done.value() == 7)
    }
}
