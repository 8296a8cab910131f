/// What one event loop needs from the system before it runs: its listening socket, its waker (an eventfd),
/// an epoll instance already watching both, and the spare descriptor it gives up under EMFILE.
///
/// `HTTPServer.start` makes every loop's set before any loop thread starts, so start-up either fully
/// succeeds or fails with no loop running: a descriptor limit reached half-way (EMFILE on the second
/// loop's epoll while the first already accepts) cannot leave a server with fewer loops than asked for.
/// Sendable: plain descriptors, handed to the loop thread that takes them over.
struct HTTPLoopDescriptors: Sendable {
    /// The socket the loop accepts on (its own, or the one every loop shares).
    let listener: HTTPListenerSocket
    /// How other threads wake the loop.
    let waker: HTTPLoopWaker
    /// An epoll instance already watching `listener` and `waker`; the loop adopts and closes it.
    let epollFD: Int32
    /// `/dev/null`, or -1 when none could be opened (the loop then drops no connection under EMFILE).
    let spareFD: Int32

    /// One set per listener (by loop index). On failure everything made here is closed again and the
    /// listeners are left to the caller.
    static func make(listeners: [HTTPListenerSocket]) throws(SyscallError) -> [HTTPLoopDescriptors] {
        var wakers: [HTTPLoopWaker] = []
        var epollFDs: [Int32] = []
        do throws(SyscallError) {
            for _ in listeners { wakers.append(try HTTPLoopWaker()) }
            for (listener, waker) in zip(listeners, wakers) {
                epollFDs.append(
                    try EpollPoller.makeDescriptor(watching: [
                        (listener.fd, HTTPEventLoop.interest(in: listener)), (waker.fd, .read),
                    ]))
            }
        } catch {
            for fd in epollFDs { Syscall.close(fd) }
            throw error
        }
        // Spares last: they are optional, so they must not take a descriptor a required one needs.
        return listeners.indices.map { index in
            HTTPLoopDescriptors(
                listener: listeners[index], waker: wakers[index], epollFD: epollFDs[index],
                spareFD: Syscall.openSpareDescriptor())
        }
    }
}
