import Glibc

/// The server's address, threads and limits; every limit is a named field with a documented default.
package struct HTTPServerConfiguration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal, or `localhost`. Default `127.0.0.1`.
    package var host: String = "127.0.0.1"
    /// TCP port; 0 asks the kernel for a free one (`HTTPServer.start` returns it). Default 8080.
    package var port: Int = 8080
    /// Event loop threads, each owning the connections it accepted. Default: the online core count.
    package var loops: Int = HTTPServerConfiguration.onlineCoreCount
    /// A listening socket per loop (`SO_REUSEPORT`) or one shared by all loops (`EPOLLEXCLUSIVE`). Default
    /// `.perLoop`: measured with wrk (docs/BENCHMARKS.md, "Listener: per loop or shared") both modes serve the
    /// same req/s and CPU µs/request within noise, but `.shared` hands 98-100% of a burst of connections to one
    /// loop (the first idle one woken drains the queue), while `.perLoop` splits them about 50/50.
    package var listenerMode: ListenerMode = .perLoop
    /// Listen backlog per listening socket. Default 1024.
    package var backlog: Int = 1024
    /// Request line plus headers, in bytes; above it 431. Default 16 KiB.
    package var maxHeaderBytes: Int = 16 * 1024
    /// Header fields per request; above it 431. Default 100.
    package var maxHeaderCount: Int = 100
    /// Body bytes per request after de-chunking; above it 413. Default 64 MiB (Triton's).
    package var maxBodyBytes: Int = 64 << 20
    /// Time to receive a request's head from its first byte; past it 408 and close. Default 10 s.
    package var headerReadTimeout: Duration = .seconds(10)
    /// Time a connection may sit with nothing in flight, or stall mid-body or mid-response; past it the
    /// connection is closed quietly. Default 60 s.
    package var idleTimeout: Duration = .seconds(60)
    /// Open client connections across all loops; a connection over it is accepted and closed at once. Default 10 000.
    package var maxConnections: Int = 10_000
    /// Request bytes held in memory across all connections (unparsed input and bodies being assembled);
    /// a read that would exceed it gets 503 and the connection closes. Default 1 GiB.
    package var maxBufferedBytes: Int = 1 << 30
    /// Requests parsed from one connection per loop wake-up; the rest wait on the ready-list so one
    /// pipelining client cannot starve the others. Default 16.
    package var maxPipelinedRequests: Int = 16
    /// Responses owed on one connection (pending or unwritten) before the loop stops reading from it. Default 128.
    package var maxResponsesInFlight: Int = 128
    /// Bytes read from a socket per read call (one buffer per loop). Default 64 KiB.
    package var readChunkBytes: Int = 64 * 1024
    /// Time `shutdown` gives in-flight requests before the loops close everything and exit. Default 10 s.
    package var shutdownGracePeriod: Duration = .seconds(10)

    /// The defaults above.
    package init() {}

    /// The defaults with `host`, `port` and `loops` set.
    package init(host: String, port: Int, loops: Int = HTTPServerConfiguration.onlineCoreCount) {
        self.host = host
        self.port = port
        self.loops = loops
    }

    /// Parser limits derived from this configuration.
    var parserLimits: HTTPRequestParser.Limits {
        HTTPRequestParser.Limits(
            maxHeaderBytes: maxHeaderBytes, maxHeaderCount: maxHeaderCount, maxBodyBytes: maxBodyBytes)
    }

    /// Connection timeouts in milliseconds.
    var timeouts: HTTPConnectionStateMachine.Timeouts {
        HTTPConnectionStateMachine.Timeouts(
            headerRead: Self.milliseconds(headerReadTimeout), idle: Self.milliseconds(idleTimeout))
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Processors online (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    package static var onlineCoreCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
