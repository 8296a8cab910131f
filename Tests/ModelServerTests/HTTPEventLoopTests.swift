import Glibc
import ServingGraph
import Testing

@testable import ModelServer

/// An event loop built directly, for the failure paths `HTTPServer` cannot be driven into over sockets.
struct HTTPEventLoopTests {
    @Test func throwsEPERMAndFreesItsBuffersOnceWhenItsListenerCannotBeWatched() throws {
        // epoll refuses a character device: registering the "listener" fails after every property is set.
        let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        let listener = HTTPListenerSocket(fd: fd, holders: 1, isShared: false)
        defer { listener.release() }
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, loops: 1)
        var thrown: SyscallError?
        do {
            _ = try HTTPEventLoop(
                index: 0, listener: listener, waker: try HTTPLoopWaker(), configuration: configuration,
                logger: Logger(label: "http-test"), counters: HTTPServerCounters(loops: 1), responder: EchoResponder(),
                onListenerClosed: {})
        } catch {
            thrown = error
        }
        #expect(thrown == SyscallError(call: "epoll_ctl", code: EPERM))
        #expect(fcntl(fd, F_GETFD) >= 0, "the loop must leave the listener to its owner")
    }
}
