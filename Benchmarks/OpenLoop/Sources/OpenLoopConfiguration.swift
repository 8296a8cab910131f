import Glibc

/// What to send, where, how fast and for how long; parsed once from the command line.
struct OpenLoopConfiguration: Equatable {
    /// The loopback URL every request goes to.
    var url: TargetURL
    /// Requests scheduled per second; request `i` is due at `start + i / rate`.
    var rate: Double
    /// Seconds during which requests are scheduled.
    var duration: Double
    /// Keep-alive connections opened up front; requests go to them round-robin.
    var connections: Int = 32
    /// Request method, `GET` unless `--method` says otherwise.
    var method: String = "GET"
    /// Extra request headers in order, from repeated `--header 'Name: value'`.
    var headers: [HTTPHeaderField] = []
    /// Request body (from `--body-file`); sent with a `Content-Length` header when not empty.
    var body: [UInt8] = []
    /// Seconds to wait after the last scheduled send for outstanding responses; those still
    /// missing then count as errors. Bounds the run to `duration + drainTimeout`.
    var drainTimeout: Double = 2

    /// Number of requests the run schedules: `rate × duration`, rounded down.
    var totalRequests: Int { Int((rate * duration).rounded(.down)) }

    /// The bytes of one request, identical for every request of the run.
    func requestBytes() -> [UInt8] {
        var head = "\(method) \(url.path) HTTP/1.1\r\nHost: \(url.host):\(url.port)\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }
}

/// One `Name: value` request header given with `--header`.
struct HTTPHeaderField: Equatable {
    /// Field name as given.
    var name: String
    /// Field value with surrounding spaces removed.
    var value: String

    /// Parses `Name: value`; the name must be non-empty and contain no space.
    init(parsing text: String) throws(OpenLoopError) {
        guard let colon = text.firstIndex(of: ":") else { throw .invalidHeader(text) }
        let name = text[..<colon]
        guard !name.isEmpty, !name.contains(" ") else { throw .invalidHeader(text) }
        self.name = String(name)
        self.value = String(text[text.index(after: colon)...].drop(while: { $0 == " " }))
    }
}

/// Reads a whole file with plain `open`/`read`, for `--body-file`.
func readWholeFile(atPath path: String) throws(OpenLoopError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .unreadableBodyFile(path: path, errno: errno) }
    defer { close(fd) }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count == 0 { return contents }
        if count < 0 {
            if errno == EINTR { continue }
            throw .unreadableBodyFile(path: path, errno: errno)
        }
        contents += chunk[..<count]
    }
}
