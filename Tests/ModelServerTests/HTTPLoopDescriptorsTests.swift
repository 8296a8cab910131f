import Glibc
import ServingGraph
import Testing

@testable import ModelServer

/// The descriptors `HTTPServer.start` makes for its loops before any loop runs, on the failure paths a
/// server cannot be driven into over sockets.
struct HTTPLoopDescriptorsTests {
    @Test func throwsEPERMAndLeavesTheListenerToItsOwnerWhenItCannotBeWatched() throws {
        // epoll refuses a character device: registering the "listener" fails after the epoll fd exists.
        let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        let listener = HTTPListenerSocket(fd: fd, holders: 1, isShared: false)
        defer { listener.release() }
        var thrown: SyscallError?
        do {
            _ = try HTTPLoopDescriptors.make(listeners: [listener])
        } catch {
            thrown = error
        }
        #expect(thrown == SyscallError(call: "epoll_ctl", code: EPERM))
        #expect(fcntl(fd, F_GETFD) >= 0, "the listener stays open for its owner to release")
    }

    @Test func makesOneEpollInstancePerLoopAlreadyWatchingItsListenerAndWaker() throws {
        let listeners = try (0..<2).map { _ in
            HTTPListenerSocket(
                fd: try HTTPListener.open(host: "127.0.0.1", port: 0, backlog: 8), holders: 1, isShared: false)
        }
        defer { for listener in listeners { listener.release() } }
        let made = try HTTPLoopDescriptors.make(listeners: listeners)
        #expect(made.map(\.listener.fd) == listeners.map(\.fd))
        for descriptors in made {
            let poller = EpollPoller(adopting: descriptors.epollFD)
            defer {
                poller.close()
                if descriptors.spareFD >= 0 { Syscall.close(descriptors.spareFD) }
            }
            func ready() throws -> Set<Int32> {
                var fds: Set<Int32> = []
                try poller.poll(timeoutMilliseconds: 0) { fds.insert($0.fd) }
                return fds
            }
            #expect(try ready().isEmpty)
            descriptors.waker.requestShutdown()
            #expect(try ready() == [descriptors.waker.fd])
            let client = try HTTPTestClient(port: try HTTPListener.boundPort(descriptors.listener.fd))
            let afterConnect = try ready()
            withExtendedLifetime(client) {}
            #expect(afterConnect == [descriptors.waker.fd, descriptors.listener.fd])
        }
    }
}
