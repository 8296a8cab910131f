import Foundation

@testable import ModelServer

/// A real `ServerApplication` on 127.0.0.1 with an ephemeral port, over a fresh temp directory holding the
/// service JSON (`serve.json`) and the SQLite store (`store.db`), for endpoint tests.
enum ServiceServer {
    /// Runs `body` with a fresh temp directory, removed afterwards.
    static func withDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    /// Serves `service` (when given) over a store in a fresh temp directory; `configure` may adjust the
    /// configuration (it gets the directory); `body` gets the port and the store path.
    static func with(
        service: String? = nil, loops: Int = 2,
        configure: (inout ServeConfiguration, URL) throws -> Void = { _, _ in },
        _ body: (Int, String) throws -> Void
    ) throws {
        try withDirectory { directory in
            try with(service: service, in: directory, loops: loops, configure: configure, body)
        }
    }

    /// Serves `service` (when given) over `directory/store.db`; `body` gets the port and the store path.
    static func with(
        service: String? = nil, in directory: URL, loops: Int = 2,
        configure: (inout ServeConfiguration, URL) throws -> Void = { _, _ in },
        _ body: (Int, String) throws -> Void
    ) throws {
        var configuration = ServeConfiguration()
        if let service {
            let servicePath = directory.appendingPathComponent("serve.json").path
            try service.write(toFile: servicePath, atomically: true, encoding: .utf8)
            configuration.graphPath = servicePath
        }
        configuration.storePath = directory.appendingPathComponent("store.db").path
        try configure(&configuration, directory)
        try run(configuration, loops: loops) { port, _ in try body(port, configuration.storePath) }
    }

    /// Starts `configuration` on port 0 with `loops` event loops, runs `body` with the port and the
    /// application, then shuts it down and waits until it stopped.
    static func run(
        _ configuration: ServeConfiguration, loops: Int = 2, _ body: (Int, ServerApplication) throws -> Void
    ) throws {
        var configuration = configuration
        configuration.http.port = 0
        configuration.http.loops = loops
        let application = try ServerApplication(configuration: configuration)
        let port = try application.start()
        defer {
            application.shutdown()
            application.waitUntilStopped()
        }
        try body(port, application)
    }
}
