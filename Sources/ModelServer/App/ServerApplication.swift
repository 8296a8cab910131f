import FeatureEnrich
import ServingGraph

/// Why the application could not start.
package enum ApplicationError: Error, CustomStringConvertible {
    case graphNotSupportedYet(path: String)

    package var description: String {
        switch self {
        case .graphNotSupportedYet(let path): "cannot load graph '\(path)': graphs are not supported by this build"
        }
    }
}

/// Wires a configuration to an HTTP server: builds one responder per loop, starts, logs readiness,
/// handles SIGTERM/SIGINT and blocks until the server has stopped.
package final class ServerApplication: Sendable {
    private let configuration: ServeConfiguration
    private let server: HTTPServer
    private let readiness = ServerReadiness()
    private let logger = Logger(label: "serve")
    /// The online store, when feature sets are configured.
    private let store: SQLiteOnlineStore?

    package init(configuration: ServeConfiguration) throws {
        if let path = configuration.graphPath { throw ApplicationError.graphNotSupportedYet(path: path) }
        self.configuration = configuration
        let store = try Self.openStore(configuration)
        self.store = store
        let readiness = self.readiness
        server = try HTTPServer(configuration: configuration.http, logger: Logger(label: "http")) { _ in
            ServerResponder(readiness: readiness, featureStore: FeatureStoreResponder(store: store))
        }
    }

    /// Binds and starts the loops; returns the bound port.
    package func start() throws -> Int {
        let port = try server.start()
        readiness.set(true)
        logger.info(
            "ready", [("address", "http://\(configuration.http.host):\(port)"), ("loops", "\(configuration.http.loops)")])
        return port
    }

    /// Starts, installs signal handlers and blocks until a graceful shutdown has finished.
    package func run() throws {
        server.installSignalHandlers()
        _ = try start()
        server.waitUntilStopped()
        store?.close()
        logger.info("stopped")
    }

    /// Opens the online store over the configured feature sets (nil when there are none).
    private static func openStore(_ configuration: ServeConfiguration) throws -> SQLiteOnlineStore? {
        guard !configuration.featureSetPaths.isEmpty else { return nil }
        let definitions = try configuration.featureSetPaths.map { try FeatureSetDefinition(contentsOfFile: $0) }
        return try SQLiteOnlineStore(
            path: configuration.storePath, featureSets: definitions, rebuild: configuration.rebuildStore)
    }

    /// Begins a graceful shutdown (as SIGTERM does).
    package func shutdown() {
        readiness.set(false)
        server.shutdown()
    }

    /// Blocks until every loop has exited.
    package func waitUntilStopped() {
        server.waitUntilStopped()
        store?.close()
    }
}
