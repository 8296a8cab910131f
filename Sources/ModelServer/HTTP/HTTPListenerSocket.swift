import Synchronization

/// A listening socket and the loops that accept on it: one loop in `.perLoop` mode, every loop in `.shared`
/// mode. Each loop stops watching it and calls `release` once; the last release closes it, so a shared
/// listener is closed exactly once, after every loop has deregistered it.
final class HTTPListenerSocket: Sendable {
    /// The listening descriptor (non-blocking).
    let fd: Int32
    /// Whether several loops accept on it (registered with `EPOLLEXCLUSIVE`, accepted until EAGAIN).
    let isShared: Bool
    private let holders: Atomic<Int>

    /// `fd`, to be released by `holders` loops; `isShared` when all loops accept on it.
    init(fd: Int32, holders: Int, isShared: Bool) {
        self.fd = fd
        self.isShared = isShared
        self.holders = Atomic(max(1, holders))
    }

    /// One loop is done with the socket; the last one closes it. Returns whether this call closed it.
    @discardableResult
    func release() -> Bool {
        guard holders.wrappingSubtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return false }
        Syscall.close(fd)
        return true
    }
}
