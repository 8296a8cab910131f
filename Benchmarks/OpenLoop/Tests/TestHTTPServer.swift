import Foundation
import Glibc

/// A tiny blocking HTTP/1.1 server on `127.0.0.1:0` for end-to-end tests of the generator:
/// a thread per connection answers every bodyless request with `response`, or closes at once.
final class TestHTTPServer: Sendable {
    /// The port the kernel picked.
    let port: UInt16
    private let listenFD: Int32

    /// Binds, listens and starts accepting. `closeImmediately` makes it hang up on every connection;
    /// `stallMicroseconds` makes each connection wait that long before reading its first request.
    init(response: String, closeImmediately: Bool = false, stallMicroseconds: UInt32 = 0) throws {
        (listenFD, port) = try Self.bindLoopback(listening: true)
        let fd = listenFD
        let bytes = Array(response.utf8)
        // The accept thread owns the listening fd and closes it when accept fails after stop():
        // closing it in stop() would let another test reuse the fd number under this thread.
        Thread.detachNewThread {
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else {
                    close(fd)
                    return
                }
                if closeImmediately {
                    close(connection)
                    continue
                }
                Thread.detachNewThread {
                    if stallMicroseconds > 0 { usleep(stallMicroseconds) }
                    Self.serve(connection, response: bytes)
                }
            }
        }
    }

    /// Stops accepting (the accept thread then closes the socket); connections end when the client closes them.
    func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))
    }

    /// A TCP socket bound to `127.0.0.1:0`, listening or not, and the port the kernel picked.
    /// A bound socket that does not listen reserves a port on which every connect is refused.
    static func bindLoopback(listening: Bool) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && (!listening || listen(fd, 128) == 0) && getsockname(fd, $0, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            let code = errno
            if fd >= 0 { close(fd) }
            throw TestServerError.cannotListen(errno: code)
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// Answers each request (one per blank line: tests send bodyless GETs) until the peer closes.
    private static func serve(_ fd: Int32, response: [UInt8]) {
        defer { close(fd) }
        let terminator: [UInt8] = [13, 10, 13, 10]
        var matched = 0
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            var answers: [UInt8] = []
            for byte in buffer[0..<count] {
                matched = byte == terminator[matched] ? matched + 1 : (byte == 13 ? 1 : 0)
                if matched == terminator.count {
                    answers += response
                    matched = 0
                }
            }
            var offset = 0
            while offset < answers.count {
                let written = answers[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

/// Why the test server could not start.
enum TestServerError: Error, CustomStringConvertible {
    case cannotListen(errno: Int32)

    var description: String {
        switch self {
        case .cannotListen(let code): "cannot listen on 127.0.0.1:0 (errno \(code))"
        }
    }
}
