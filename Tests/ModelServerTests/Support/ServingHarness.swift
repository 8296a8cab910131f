import Foundation

@testable import ModelServer
@testable import ServingGraph

/// Starts a real server for a graph on 127.0.0.1 with an ephemeral port, for end-to-end tests.
enum ServingHarness {
    /// The repository root (for `examples/` and `Tests/Fixtures/`).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A path under the repository root.
    static func path(_ relative: String) -> String { root + "/" + relative }

    /// Runs `body` with the port of a server serving `graphJSON` (or the file at `graphPath`).
    static func withServer(
        graphJSON: String? = nil, graphPath: String? = nil, registry: StepRegistry? = nil, loops: Int = 2,
        loadInBackground: Bool = false, mlrunErrors: Bool = false, _ body: (Int, ServerApplication) throws -> Void
    ) throws {
        var configuration = ServeConfiguration()
        configuration.graphJSON = graphJSON
        configuration.graphPath = graphPath
        configuration.registry = registry
        configuration.loadInBackground = loadInBackground
        configuration.mlrunErrors = mlrunErrors
        try ServiceServer.run(configuration, loops: loops, body)
    }

    /// A router graph over `routes` (JSON text of the routes object).
    static func router(_ routes: String, classArgs: String = "{}", className: String = "ModelRouter") -> String {
        #"{"kind": "router", "class_name": "\#(className)", "class_args": \#(classArgs), "routes": \#(routes)}"#
    }

    /// POSTs `body` over a raw socket (no process per request, so the suite stays light) and parses
    /// the JSON answer (`null` when the body is not JSON).
    static func post(_ port: Int, _ path: String, _ body: String, headers: [String] = []) throws -> (Int, Value) {
        let client = try HTTPTestClient(port: port)
        let extra = headers.map { $0 + "\r\n" }.joined()
        try client.send("POST \(path) HTTP/1.1\r\nHost: x\r\n\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let response = try client.readResponse()
        return (response.status, (try? JSONParser.parse(response.body)) ?? .null)
    }

    /// GETs `path` over a raw socket and parses the JSON answer (`null` for an empty body).
    static func get(_ port: Int, _ path: String) throws -> (Int, Value) {
        let client = try HTTPTestClient(port: port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        return (response.status, (try? JSONParser.parse(response.body)) ?? .null)
    }
}
