import Testing

@testable import ModelServer

/// The deadline heap: pops in deadline order, only what has expired.
struct HTTPTimerHeapTests {
    @Test func popsExpiredDeadlinesInOrder() {
        var heap = HTTPTimerHeap()
        let deadlines: [Int64] = [50, 10, 40, 30, 20, 60, 10]
        for (index, deadline) in deadlines.enumerated() {
            heap.schedule(HTTPConnectionToken(fd: Int32(index), id: UInt64(index)), at: deadline)
        }
        #expect(heap.nextDeadline == 10)
        var popped: [Int64] = []
        while let entry = heap.popExpired(now: 45) { popped.append(entry.deadline) }
        #expect(popped == [10, 10, 20, 30, 40])
        #expect(heap.count == 2)
        #expect(heap.nextDeadline == 50)
    }

    @Test func popsNothingBeforeTheFirstDeadline() {
        var heap = HTTPTimerHeap()
        heap.schedule(HTTPConnectionToken(fd: 3, id: 1), at: 100)
        #expect(heap.popExpired(now: 99) == nil)
        #expect(heap.popExpired(now: 100)?.token == HTTPConnectionToken(fd: 3, id: 1))
    }
}
