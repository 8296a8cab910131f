import CLinuxShim
import Glibc

/// Opens listening sockets. Each loop gets its own, bound to the same address with `SO_REUSEPORT`, so the
/// kernel spreads new connections over the loops and no accept is shared between threads.
enum HTTPListener {
    /// A non-blocking socket listening on `host:port` (port 0: an ephemeral one; see `boundPort`). With
    /// `reusePort` other sockets may bind the same port (the loops' listeners do).
    static func open(host: String, port: Int, backlog: Int, reusePort: Bool = true) throws(HTTPServerError) -> Int32 {
        guard (0...65535).contains(port) else { throw .invalidPort(port) }
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            family = AF_INET
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
        } else if inet_pton(AF_INET6, literal, &v6.sin6_addr) == 1 {
            family = AF_INET6
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
        } else {
            throw .invalidHost(host)
        }
        let fd = socket(family, SOCK_STREAM_NONBLOCKING, 0)
        guard fd >= 0 else { throw .system(SyscallError(call: "socket", code: errno)) }
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        let bound: Int32
        if setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, size) != 0
            || (reusePort && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, size) != 0)
        {
            bound = -1
        } else if family == AF_INET {
            bound = withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            bound = withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        guard bound == 0, listen(fd, Int32(clamping: backlog)) == 0 else {
            let cause = SyscallError(call: bound == 0 ? "listen" : "bind", code: errno)
            Syscall.close(fd)
            throw .listenFailed(host: host, port: port, cause: cause)
        }
        return fd
    }

    /// Fails with `listenFailed` (EADDRINUSE) when something already listens on `host:port`. SO_REUSEPORT
    /// would otherwise let a second server bind the port and silently take half of the connections.
    static func checkPortIsFree(host: String, port: Int) throws(HTTPServerError) {
        guard port != 0 else { return }
        Syscall.close(try open(host: host, port: port, backlog: 1, reusePort: false))
    }

    /// The port `fd` is bound to.
    static func boundPort(_ fd: Int32) throws(HTTPServerError) -> Int {
        var storage = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .system(SyscallError(call: "getsockname", code: errno)) }
        // sin_port and sin6_port sit at the same offset.
        return Int(UInt16(bigEndian: storage.sin6_port))
    }
}
