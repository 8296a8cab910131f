import Dispatch
import Glibc
import Testing

@testable import ModelServer

struct HTTPLoopWakerTests {
    /// The eventfd counter: how many times the waker wrote it since the last read (0 when it was not written).
    private func eventfdCounter(_ waker: HTTPLoopWaker) -> UInt64 {
        var counter: UInt64 = 0
        let bytes = read(waker.fd, &counter, MemoryLayout<UInt64>.size)
        return bytes == MemoryLayout<UInt64>.size ? counter : 0
    }

    @Test func writesTheEventfdOnceForTokensPostedBeforeTheLoopDrains() throws {
        let waker = try HTTPLoopWaker()
        for id in 1...5 { waker.post(HTTPConnectionToken(fd: 7, id: UInt64(id))) }
        #expect(eventfdCounter(waker) == 1)
        #expect(waker.drain().map(\.id) == [1, 2, 3, 4, 5])
    }

    @Test func signalsAgainForATokenPostedAfterADrain() throws {
        let waker = try HTTPLoopWaker()
        waker.post(HTTPConnectionToken(fd: 7, id: 1))
        #expect(waker.drain().map(\.id) == [1])
        #expect(eventfdCounter(waker) == 0)
        waker.post(HTTPConnectionToken(fd: 7, id: 2))
        #expect(eventfdCounter(waker) == 1)
        #expect(waker.drain().map(\.id) == [2])
    }

    @Test func everyTokenPostedFromManyThreadsIsDrainedAfterASignal() throws {
        let waker = try HTTPLoopWaker()
        let threads = 4
        let perThread = 2_000
        var drained: [HTTPConnectionToken] = []
        let posters = DispatchGroup()
        for thread in 0..<threads {
            DispatchQueue.global().async(group: posters) {
                for n in 0..<perThread { waker.post(HTTPConnectionToken(fd: Int32(thread), id: UInt64(n))) }
            }
        }
        // The loop's side: wait for the eventfd to be readable, then drain, until every token arrived.
        while drained.count < threads * perThread {
            var poll = pollfd(fd: waker.fd, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&poll, 1, 5_000)
            try #require(ready == 1, "a posted token was left without a signal")
            drained += waker.drain()
        }
        posters.wait()
        #expect(drained.count == threads * perThread)
        #expect(waker.drain().isEmpty)
    }
}
