import CLinuxShim
import Glibc

/// The Linux `Poller`: one level-triggered epoll instance.
///
/// Loop-confined: created and used on one event loop's thread.
final class EpollPoller: Poller {
    private let epollFD: Int32
    private var events: [epoll_event]

    /// Takes over `epollFD` (see ``makeDescriptor(watching:)``), reporting up to `maxEvents` descriptors per
    /// `poll`; `close()` closes it.
    init(adopting epollFD: Int32, maxEvents: Int = 256) {
        self.epollFD = epollFD
        events = Array(repeating: epoll_event(), count: max(1, maxEvents))
    }

    /// A new epoll instance already watching `watched`, for a poller that adopts it later (on another
    /// thread). When a registration fails the instance is closed and the error thrown.
    static func makeDescriptor(watching watched: [(fd: Int32, interest: PollInterest)]) throws(SyscallError) -> Int32 {
        let epollFD = Int32(try Syscall.call("epoll_create1") { Int(epoll_create1(Int32(EPOLL_CLOEXEC))) })
        do throws(SyscallError) {
            for (fd, interest) in watched { try control(epollFD, EPOLL_CTL_ADD, fd, interest) }
        } catch {
            Syscall.close(epollFD)
            throw error
        }
        return epollFD
    }

    func register(_ fd: Int32, interest: PollInterest) throws(SyscallError) {
        try Self.control(epollFD, EPOLL_CTL_ADD, fd, interest)
    }

    func modify(_ fd: Int32, interest: PollInterest) throws(SyscallError) {
        try Self.control(epollFD, EPOLL_CTL_MOD, fd, interest)
    }

    func deregister(_ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
    }

    func poll(timeoutMilliseconds: Int32, _ body: (PollEvent) -> Void) throws(SyscallError) {
        let epollFD = self.epollFD
        let ready = try events.withUnsafeMutableBufferPointer { buffer throws(SyscallError) in
            let capacity = Int32(buffer.count)
            while true {
                let count = epoll_wait(epollFD, buffer.baseAddress, capacity, timeoutMilliseconds)
                if count >= 0 { return Int(count) }
                if errno == EINTR { return 0 }
                throw SyscallError(call: "epoll_wait", code: errno)
            }
        }
        for index in 0..<ready {
            let event = events[index]
            let failed = event.events & (EPOLLERR_BITS | EPOLLHUP_BITS) != 0
            body(
                PollEvent(
                    fd: event.data.fd,
                    readable: failed || event.events & EPOLLIN_BITS != 0,
                    writable: failed || event.events & EPOLLOUT_BITS != 0
                )
            )
        }
    }

    func close() {
        Syscall.close(epollFD)
    }

    private static func control(
        _ epollFD: Int32, _ operation: Int32, _ fd: Int32, _ interest: PollInterest
    ) throws(SyscallError) {
        var bits: UInt32 = 0
        if interest.contains(.read) { bits |= EPOLLIN_BITS }
        if interest.contains(.write) { bits |= EPOLLOUT_BITS }
        if interest.contains(.exclusive) { bits |= EPOLLEXCLUSIVE_BITS }
        var event = epoll_event(events: bits, data: epoll_data_t(fd: fd))
        _ = try Syscall.call("epoll_ctl") { Int(epoll_ctl(epollFD, operation, fd, &event)) }
    }
}

@available(*, unavailable)
extension EpollPoller: Sendable {}
