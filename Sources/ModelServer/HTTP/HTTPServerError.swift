/// Why the server could not start.
package enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    /// `host` is not an IPv4/IPv6 literal or `localhost`.
    case invalidHost(String)
    /// `port` is outside 0...65535.
    case invalidPort(Int)
    /// `loops` is below 1.
    case invalidLoopCount(Int)
    /// Binding or listening on the address failed (in use, no permission...).
    case listenFailed(host: String, port: Int, cause: SyscallError)
    /// Another system call needed to start failed.
    case system(SyscallError)
    /// `start` was called twice.
    case alreadyStarted

    /// The problem, naming its subject.
    package var description: String {
        switch self {
        case .invalidHost(let host): "invalid listen address '\(host)': expected an IP literal or localhost"
        case .invalidPort(let port): "invalid port \(port): expected 0...65535"
        case .invalidLoopCount(let loops): "invalid loop count \(loops): expected at least 1"
        case .listenFailed(let host, let port, let cause): "cannot listen on \(host):\(port): \(cause)"
        case .system(let cause): "cannot start the HTTP server: \(cause)"
        case .alreadyStarted: "the HTTP server is already started"
        }
    }
}
