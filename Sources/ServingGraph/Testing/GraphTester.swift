/// Runs a graph in-process, the way MLRun's `to_mock_server().test(path, body)` does: no sockets,
/// the same walk the server runs. Useful in tests and in `serve` dry runs. It returns the response
/// body or rethrows the failure; for the whole HTTP request path (routes, request decoding, error
/// to status mapping, response bytes) use `ModelServer`'s `InProcessServer`, which `serve test` runs.
///
/// ```swift
/// let tester = try GraphTester(spec: GraphSpec(json), registry: .standard)
/// let response = try tester.test(path: "/", body: ["amount": 10])
/// ```
///
/// Loop-confined like the graph it runs.
public final class GraphTester {
    /// The graph under test.
    public let graph: CompiledGraph

    /// A tester of an already compiled graph.
    public init(graph: CompiledGraph) {
        self.graph = graph
    }

    /// A tester of `graph`, compiled here.
    public convenience init(graph: Graph) throws(GraphError) {
        self.init(graph: try graph.compile())
    }

    /// A tester of the graph `spec` describes, its classes resolved through `registry`.
    public convenience init(spec: GraphSpec, registry: StepRegistry = .standard) throws(GraphError) {
        self.init(graph: try spec.makeGraph(registry: registry).compile())
    }

    /// Sends one event and returns the response body. `method` defaults to `POST` with a body and
    /// `GET` without (as MLRun's test server). Failures nobody handled are rethrown unchanged
    /// (a ``ServingError`` keeps its case, so callers can check the status it maps to).
    public func test(
        path: String = "/", body: Value? = nil, method: String? = nil, headers: [(name: String, value: String)] = [],
        eventID: String? = nil
    ) throws -> Value {
        try testEvent(path: path, body: body, method: method, headers: headers, eventID: eventID).body
    }

    /// Like ``test(path:body:method:headers:eventID:)`` but returns the whole response event.
    public func testEvent(
        path: String = "/", body: Value? = nil, method: String? = nil, headers: [(name: String, value: String)] = [],
        eventID: String? = nil
    ) throws -> Event {
        let event = Event(
            body: body ?? .null, id: eventID, path: path, method: method ?? (body == nil ? "GET" : "POST"),
            headers: headers, contentType: body == nil ? nil : "application/json")
        return try graph.run(event)
    }
}

@available(*, unavailable)
extension GraphTester: Sendable {}
