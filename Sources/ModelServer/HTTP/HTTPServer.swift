import Dispatch
import Foundation
import Glibc
package import ServingGraph
import Synchronization

/// The hand-built HTTP/1.1 server: `loops` event-loop threads, each with its own connections and its own
/// responder. Per `listenerMode`, each loop has its own `SO_REUSEPORT` listening socket on the port, or all
/// loops accept from one shared socket (`EPOLLEXCLUSIVE`).
///
/// ```swift
/// let server = try HTTPServer(configuration: .init(host: "0.0.0.0", port: 8080), logger: Logger(label: "http")) { _ in
///     MyResponder()
/// }
/// server.installSignalHandlers()
/// let port = try server.start()
/// server.waitUntilStopped()
/// ```
/// Thread-safe: `start`, `shutdown` and `waitUntilStopped` may be called from any thread (not from a responder).
package final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(wakers: [HTTPLoopWaker], port: Int)
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    let logger: Logger
    private let responderFactory: @Sendable (_ loopIndex: Int) -> any HTTPResponder
    let counters: HTTPServerCounters
    private let state = Mutex<State>(.idle)
    /// Entered per loop at start, left when the loop thread ends.
    private let running = DispatchGroup()
    /// Entered per loop at start, left when the loop closes its listening socket.
    private let accepting = DispatchGroup()

    /// A server that will call `responderFactory` once per loop, on that loop's thread, when it starts.
    package init(
        configuration: HTTPServerConfiguration, logger: Logger,
        responderFactory: @escaping @Sendable (_ loopIndex: Int) -> any HTTPResponder
    ) throws {
        guard configuration.loops >= 1 else { throw HTTPServerError.invalidLoopCount(configuration.loops) }
        guard (0...65535).contains(configuration.port) else { throw HTTPServerError.invalidPort(configuration.port) }
        self.configuration = configuration
        self.logger = logger
        self.responderFactory = responderFactory
        self.counters = HTTPServerCounters(loops: configuration.loops)
    }

    /// Connections each loop has accepted (and not refused at `maxConnections`) so far, by loop index.
    package var acceptedConnectionsPerLoop: [Int] {
        counters.acceptedConnectionsPerLoop
    }

    /// Binds, starts the loop threads and returns the bound port (the ephemeral one when `port` is 0).
    /// Raises the open-descriptor limit to its hard limit first.
    package func start() throws -> Int {
        try state.withLock { state throws -> Int in
            guard case .idle = state else { throw HTTPServerError.alreadyStarted }
            do {
                let limit = try Syscall.raiseDescriptorLimit()
                logger.debug("open descriptor limit", [("limit", String(limit))])
            } catch {
                logger.warning("cannot raise the open descriptor limit: \(error)")
            }
            let (listeners, port) = try openListeners()
            // Every loop's descriptors exist before any loop runs: start-up succeeds whole or not at all.
            let loops: [HTTPLoopDescriptors]
            do throws(SyscallError) {
                loops = try HTTPLoopDescriptors.make(listeners: listeners)
            } catch {
                for listener in listeners { listener.release() }
                throw HTTPServerError.system(error)
            }
            for (index, descriptors) in loops.enumerated() { startLoop(index: index, descriptors: descriptors) }
            let wakers = loops.map(\.waker)
            state = .running(wakers: wakers, port: port)
            logger.info(
                "listening",
                [
                    ("host", configuration.host), ("port", String(port)), ("loops", String(configuration.loops)),
                    ("listener", configuration.listenerMode.name),
                ])
            return port
        }
    }

    /// One listening socket per loop, by loop index (the same shared one in every slot in `.shared` mode), and
    /// the bound port.
    private func openListeners() throws(HTTPServerError) -> (listeners: [HTTPListenerSocket], port: Int) {
        let (host, backlog, loops) = (configuration.host, configuration.backlog, configuration.loops)
        switch configuration.listenerMode {
        case .shared:
            // Without SO_REUSEPORT the bind itself fails (EADDRINUSE) when something listens on the port.
            let fd = try HTTPListener.open(host: host, port: configuration.port, backlog: backlog, reusePort: false)
            let port: Int
            do throws(HTTPServerError) {
                port = try HTTPListener.boundPort(fd)
            } catch {
                Syscall.close(fd)
                throw error
            }
            let shared = HTTPListenerSocket(fd: fd, holders: loops, isShared: true)
            return (Array(repeating: shared, count: loops), port)
        case .perLoop:
            var fds: [Int32] = []
            do throws(HTTPServerError) {
                try HTTPListener.checkPortIsFree(host: host, port: configuration.port)
                fds.append(try HTTPListener.open(host: host, port: configuration.port, backlog: backlog))
                let port = try HTTPListener.boundPort(fds[0])
                for _ in 1..<loops { fds.append(try HTTPListener.open(host: host, port: port, backlog: backlog)) }
                return (fds.map { HTTPListenerSocket(fd: $0, holders: 1, isShared: false) }, port)
            } catch {
                for fd in fds { Syscall.close(fd) }
                throw error
            }
        }
    }

    private func startLoop(index: Int, descriptors: HTTPLoopDescriptors) {
        running.enter()
        accepting.enter()
        let (configuration, logger, counters, factory) = (configuration, logger, counters, responderFactory)
        let (running, accepting) = (running, accepting)
        let thread = Thread {
            let loop = HTTPEventLoop(
                index: index, descriptors: descriptors, configuration: configuration, logger: logger,
                counters: counters, responder: factory(index), onListenerClosed: { accepting.leave() })
            loop.run()
            running.leave()
        }
        thread.name = "http-loop-\(index)"
        thread.start()
    }

    /// Graceful shutdown: every loop stops accepting (new connects are refused once this returns), closes idle
    /// connections, finishes requests in flight (pending ones included) and exits when its connections are
    /// done or `shutdownGracePeriod` has passed. Does not wait for that; see `waitUntilStopped`.
    package func shutdown() {
        let wakers: [HTTPLoopWaker] = state.withLock { state in
            guard case .running(let wakers, _) = state else { return [] }
            state = .stopped
            return wakers
        }
        guard !wakers.isEmpty else { return }
        logger.info("shutting down", [("grace", "\(configuration.shutdownGracePeriod)")])
        for waker in wakers { waker.requestShutdown() }
        let grace = HTTPServerConfiguration.milliseconds(configuration.shutdownGracePeriod)
        _ = accepting.wait(timeout: .now() + .milliseconds(Int(clamping: grace)))
    }

    /// Blocks the caller until every loop thread has exited (returns at once if never started).
    package func waitUntilStopped() {
        running.wait()
    }
}
