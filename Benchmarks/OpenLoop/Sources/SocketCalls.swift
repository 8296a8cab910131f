import CLinuxShim
import Glibc

/// Outcome of a non-blocking read or write: bytes moved, or "try again when epoll says so".
enum IOResult: Equatable {
    case processed(Int)
    case wouldBlock
}

/// Thin wrappers over the socket calls the generator makes, in swift-nio's style: EINTR retried,
/// EAGAIN returned as ``IOResult/wouldBlock``, any other errno thrown naming the call.
enum SocketCalls {
    /// Opens a TCP connection to `address:port` (blocking connect, loopback only, so it is immediate),
    /// then switches the socket to non-blocking with `TCP_NODELAY`.
    static func connectNonBlocking(address: UInt32, port: UInt16, host: String) throws(OpenLoopError) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .systemCallFailed(name: "socket", errno: errno) }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr = in_addr(s_addr: address.bigEndian)
        let result = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw .connectFailed(host: host, port: port, errno: code)
        }
        var one: Int32 = 1
        guard setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0,
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0
        else {
            let code = errno
            close(fd)
            throw .systemCallFailed(name: "setsockopt/fcntl", errno: code)
        }
        return fd
    }

    /// `send` with `MSG_NOSIGNAL`, so a peer that closed yields EPIPE instead of killing us.
    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(OpenLoopError) -> IOResult {
        while true {
            let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .processed(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let code: throw .systemCallFailed(name: "send", errno: code)
            }
        }
    }

    /// `read` into `buffer`; `.processed(0)` means the peer closed.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(OpenLoopError) -> IOResult {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return .processed(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case let code: throw .systemCallFailed(name: "read", errno: code)
            }
        }
    }

    /// Nanoseconds on `CLOCK_MONOTONIC`, the clock every scheduled time and latency uses.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
