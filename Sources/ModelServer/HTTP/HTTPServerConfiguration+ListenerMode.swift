extension HTTPServerConfiguration {
    /// How the event loops get their connections.
    package enum ListenerMode: String, Sendable, CaseIterable {
        /// Every loop has its own listening socket on the port (`SO_REUSEPORT`); the kernel hashes each new
        /// connection to one of them, so a connection belongs to the loop whose socket received it.
        case perLoop = "per-loop"
        /// One listening socket, watched by every loop's epoll with `EPOLLEXCLUSIVE`: one idle loop wakes per
        /// new connection, accepts until EAGAIN and owns what it accepted.
        case shared

        /// The mode named `per-loop` or `shared` (the `--listener` values), nil for anything else.
        package init?(name: String) {
            self.init(rawValue: name)
        }

        /// `per-loop` or `shared`.
        package var name: String { rawValue }
    }
}
