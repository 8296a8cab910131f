import CLinuxShim
import Glibc

/// A system call that failed, naming the call and its errno.
package struct SyscallError: Error, Equatable, CustomStringConvertible {
    /// The call that failed (`accept4`, `epoll_ctl`).
    package let call: String
    /// The errno it left.
    package let code: Int32

    /// `accept4 failed: Too many open files (errno 24)`.
    package var description: String {
        "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// Outcome of a call on a non-blocking descriptor: done, or it would block (EAGAIN) and the caller waits for epoll.
enum IOResult<Value> {
    case processed(Value)
    case wouldBlock
}

/// Thin wrappers over system calls, as swift-nio's `System.swift`: EINTR is retried, EAGAIN is a value
/// (`IOResult.wouldBlock`), any other errno is thrown as a `SyscallError` naming the call. EBADF and EFAULT
/// mean the server passed a wrong descriptor or pointer, a bug, so they stop the process.
enum Syscall {
    /// Runs `body` until it returns something other than -1/EINTR; throws any other errno.
    @inline(__always)
    static func call(_ name: String, _ body: () -> Int) throws(SyscallError) -> Int {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            precondition(code != EBADF && code != EFAULT, "\(name) failed with errno \(code): a bug in the server")
            throw SyscallError(call: name, code: code)
        }
    }

    /// As `call`, but EAGAIN/EWOULDBLOCK is returned as `.wouldBlock`.
    @inline(__always)
    static func nonBlocking(_ name: String, _ body: () -> Int) throws(SyscallError) -> IOResult<Int> {
        while true {
            let result = body()
            if result >= 0 { return .processed(result) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            precondition(code != EBADF && code != EFAULT, "\(name) failed with errno \(code): a bug in the server")
            throw SyscallError(call: name, code: code)
        }
    }

    /// Closes `fd`. EINTR is not retried: on Linux the descriptor is released even then.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Receives into `buffer`; `.processed(0)` means the peer closed its side.
    static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SyscallError) -> IOResult<Int> {
        try nonBlocking("recv") { Glibc.recv(fd, buffer.baseAddress, buffer.count, 0) }
    }

    /// Sends `buffer` without raising SIGPIPE when the peer is gone (`MSG_NOSIGNAL`).
    static func send(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(SyscallError) -> IOResult<Int> {
        try nonBlocking("send") { Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Accepts one connection as a non-blocking, close-on-exec descriptor.
    static func accept(_ listener: Int32) throws(SyscallError) -> IOResult<Int32> {
        switch try nonBlocking("accept4", { Int(clinux_accept_nonblocking(listener, nil, nil)) }) {
        case .processed(let fd): .processed(Int32(fd))
        case .wouldBlock: .wouldBlock
        }
    }

    /// Raises the soft limit on open descriptors to the hard limit; returns the new limit.
    @discardableResult
    static func raiseDescriptorLimit() throws(SyscallError) -> Int {
        var limit = rlimit()
        _ = try call("getrlimit") { Int(getrlimit(RLIMIT_NOFILE_VALUE, &limit)) }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = try call("setrlimit") { Int(setrlimit(RLIMIT_NOFILE_VALUE, &limit)) }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// Opens `/dev/null`: the spare descriptor given up to accept (and drop) a connection under EMFILE.
    static func openSpareDescriptor() -> Int32 {
        open("/dev/null", O_RDONLY | O_CLOEXEC)
    }
}
