import Foundation
import Glibc

/// Why a test client call failed.
struct HTTPTestClientError: Error, CustomStringConvertible {
    let description: String
}

/// A response as the test client read it off the wire.
struct HTTPTestResponse {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    /// The first value of `name`, any case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A raw TCP client for end-to-end tests: writes exact bytes (malformed, split, pipelined) and reads
/// responses framed by Content-Length. Every receive times out (5 s by default) instead of hanging.
final class HTTPTestClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `127.0.0.1:port`.
    ///
    /// `fd` is set only once the connect succeeded: a class init that throws after every stored property
    /// is set still runs `deinit`, which would close the socket a second time, by then perhaps a
    /// descriptor another thread (a server's connection) was just given.
    init(port: Int, receiveTimeoutSeconds: Int = 5) throws {
        fd = try Self.connectedSocket(port: port, receiveTimeoutSeconds: receiveTimeoutSeconds)
    }

    /// A blocking socket connected to `127.0.0.1:port`; closed (once) when the connect fails.
    private static func connectedSocket(port: Int, receiveTimeoutSeconds: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPTestClientError(description: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw HTTPTestClientError(description: "connect: errno \(code)")
        }
        return fd
    }

    deinit {
        Glibc.close(fd)
    }

    /// Whether a connection to `127.0.0.1:port` is refused.
    static func isRefused(port: Int) -> Bool {
        do {
            _ = try HTTPTestClient(port: port)
            return false
        } catch {
            return true
        }
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw HTTPTestClientError(description: "send: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads once; nil on EOF.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { return false }
        guard count > 0 else { throw HTTPTestClientError(description: "recv: errno \(errno) (timeout?)") }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Reads one response (a `100 Continue` counts as one, with an empty body).
    func readResponse() throws -> HTTPTestResponse {
        var headEnd: Int?
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer) {
                headEnd = end
                break
            }
            guard try fill() else { throw HTTPTestClientError(description: "connection closed before a response") }
        }
        guard let end = headEnd else { throw HTTPTestClientError(description: "no head") }
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw HTTPTestClientError(description: "bad status line in \(head)")
        }
        let headers = lines.map { line -> (name: String, value: String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = end + 4
        while buffer.count < bodyStart + length {
            guard try fill() else { throw HTTPTestClientError(description: "connection closed mid-body") }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return HTTPTestResponse(status: status, headers: headers, body: body)
    }

    /// Reads the head of a response to a HEAD request (no body follows whatever Content-Length says).
    func readHeadOnlyResponse() throws -> HTTPTestResponse {
        while Self.find([13, 10, 13, 10], in: buffer) == nil {
            guard try fill() else { throw HTTPTestClientError(description: "connection closed before a response") }
        }
        let end = Self.find([13, 10, 13, 10], in: buffer) ?? 0
        let head = Array(buffer[0..<(end + 4)])
        buffer.removeFirst(end + 4)
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        let headers = lines.dropFirst().map { line -> (name: String, value: String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        return HTTPTestResponse(status: status, headers: headers, body: [])
    }

    /// Reads until the server closes; returns the bytes that came (beyond those already read as responses).
    func readUntilClosed() throws -> [UInt8] {
        while try fill() {}
        let rest = buffer
        buffer = []
        return rest
    }

    /// Bytes received but not yet returned as a response.
    var unreadBytes: [UInt8] { buffer }

    /// Makes the coming close send a reset (SO_LINGER 0) instead of a FIN, as a crashing client would.
    func resetOnClose() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count)
        where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
