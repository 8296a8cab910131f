import Testing

@testable import ModelServer

/// The connection state machine on a manual clock: no sockets, no real time.
struct HTTPConnectionStateMachineTests {
    typealias Machine = HTTPConnectionStateMachine
    static let timeouts = Machine.Timeouts(headerRead: 100, idle: 1000)

    @Test func closesAnIdleConnectionQuietlyAfterTheIdleTimeout() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        #expect(machine.deadline == 1000)
        #expect(machine.timeoutFired(now: 999) == .scheduleTimeout(at: 1000))
        #expect(machine.timeoutFired(now: 1000) == .close)
    }

    @Test func answers408WhenTheHeadIsNotInWithinTheHeaderTimeout() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        #expect(machine.receivedPartialRequest(headComplete: false, now: 10) == .scheduleTimeout(at: 110))
        #expect(machine.timeoutFired(now: 110) == .respondTimeoutAndClose)
        #expect(machine.isLastResponse)
        #expect(machine.responseWritten(partialRequestBuffered: false, now: 111) == .close)
    }

    @Test func doesNotExtendTheHeaderTimeoutForTricklingBytes() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.receivedPartialRequest(headComplete: false, now: 0)
        for now in stride(from: Int64(10), to: 100, by: 10) {
            #expect(machine.receivedPartialRequest(headComplete: false, now: now) == .doNothing)
        }
        #expect(machine.timeoutFired(now: 100) == .respondTimeoutAndClose)
    }

    @Test func rearmsTheIdleTimeoutWhileABodyMakesProgress() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.receivedPartialRequest(headComplete: false, now: 0)
        #expect(machine.receivedPartialRequest(headComplete: true, now: 50) == .scheduleTimeout(at: 1050))
        #expect(machine.receivedPartialRequest(headComplete: true, now: 900) == .scheduleTimeout(at: 1900))
        #expect(machine.timeoutFired(now: 1050) == .scheduleTimeout(at: 1900))
        #expect(machine.timeoutFired(now: 1900) == .respondTimeoutAndClose)
    }

    @Test func runsNoTimeoutWhileTheApplicationWorks() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        #expect(machine.requestReceived(keepAlive: true) == .doNothing)
        #expect(machine.deadline == nil)
        #expect(machine.timeoutFired(now: 1_000_000) == .doNothing)
        #expect(machine.responseWritten(partialRequestBuffered: false, now: 5000) == .scheduleTimeout(at: 6000))
    }

    @Test func suspendsAPipelinedHeadTimeoutWhileEarlierResponsesAreOwed() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.requestReceived(keepAlive: true)
        _ = machine.receivedPartialRequest(headComplete: false, now: 10)
        #expect(machine.timeoutFired(now: 500) == .doNothing)
        #expect(machine.responseWritten(partialRequestBuffered: true, now: 600) == .scheduleTimeout(at: 700))
        #expect(machine.timeoutFired(now: 700) == .respondTimeoutAndClose)
    }

    @Test func closesAfterTheLastResponseWhenKeepAliveIsOff() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.requestReceived(keepAlive: true)
        _ = machine.requestReceived(keepAlive: false)
        #expect(!machine.isLastResponse)
        #expect(machine.responseWritten(partialRequestBuffered: false, now: 1) == .doNothing)
        #expect(machine.isLastResponse)
        #expect(machine.responseWritten(partialRequestBuffered: false, now: 2) == .close)
    }

    @Test func framingFailureMakesTheErrorTheLastResponse() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.framingFailed()
        #expect(machine.isLastResponse)
        #expect(machine.phase == .closing)
    }

    @Test func shutdownClosesIdleConnectionsAndLetsInFlightOnesFinish() {
        var idle = Machine(timeouts: Self.timeouts, now: 0)
        #expect(idle.shutdownRequested() == .close)
        var busy = Machine(timeouts: Self.timeouts, now: 0)
        _ = busy.requestReceived(keepAlive: true)
        #expect(busy.shutdownRequested() == .doNothing)
        #expect(busy.isLastResponse)
        #expect(busy.responseWritten(partialRequestBuffered: false, now: 1) == .close)
        var uploading = Machine(timeouts: Self.timeouts, now: 0)
        _ = uploading.receivedPartialRequest(headComplete: true, now: 0)
        #expect(uploading.shutdownRequested() == .doNothing)
        #expect(uploading.phase == .readingBody)
    }

    @Test func closesAClientThatStopsReadingItsResponses() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.requestReceived(keepAlive: true)
        #expect(machine.writeStalled(now: 10) == .scheduleTimeout(at: 1010))
        #expect(machine.writeProgressed(now: 500) == .scheduleTimeout(at: 1500))
        #expect(machine.timeoutFired(now: 1500) == .close)
    }

    @Test func writesOwedResponsesBeforeClosingOnEOF() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.requestReceived(keepAlive: true)
        #expect(machine.peerClosed() == .doNothing)
        #expect(machine.responseWritten(partialRequestBuffered: false, now: 1) == .close)
        var idle = Machine(timeouts: Self.timeouts, now: 0)
        #expect(idle.peerClosed() == .close)
    }

    @Test func forgetsAStallOnceTheOutputIsOut() {
        var machine = Machine(timeouts: Self.timeouts, now: 0)
        _ = machine.requestReceived(keepAlive: true)
        // The loop counts a response written when it is serialised; the socket may stall after that.
        _ = machine.responseWritten(partialRequestBuffered: false, now: 10)
        _ = machine.writeStalled(now: 20)
        machine.writeCompleted()
        #expect(machine.receivedPartialRequest(headComplete: false, now: 30) == .scheduleTimeout(at: 130))
        #expect(machine.timeoutFired(now: 130) == .respondTimeoutAndClose)
    }
}
