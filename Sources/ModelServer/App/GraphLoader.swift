import Foundation
package import ServingGraph

/// Why the application could not start; every case names the file and what in it is wrong.
package enum ApplicationError: Error, CustomStringConvertible {
    case unreadableGraph(path: String, reason: String)
    case invalidGraph(path: String, error: GraphError)
    case modelLoadFailed(model: String, error: any Error)

    /// The message naming the file and what is wrong.
    package var description: String {
        switch self {
        case .unreadableGraph(let path, let reason): "cannot read graph '\(path)': \(reason)"
        case .invalidGraph(let path, let error): "\(path): \(error)"
        case .modelLoadFailed(let model, let error): "failed to load model '\(model)': \(error)"
        }
    }
}

/// Reads a graph file once at start-up and builds graphs from it: one to validate (and to load the
/// models from) before any port is bound, then one per event loop.
///
/// Accepts a service file `{"graph": {...}}`, an MLRun function `{"kind": "serving", "spec": {"graph": {...}}}`
/// or a bare graph `{"kind": "router" | "flow", ...}`.
struct GraphLoader: Sendable {
    let spec: GraphSpec
    let registry: StepRegistry
    let source: String

    init(configuration: ServeConfiguration) throws {
        let text: String
        let path = configuration.graphPath ?? "graph"
        if let json = configuration.graphJSON {
            text = json
        } else {
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ApplicationError.unreadableGraph(path: path, reason: error.localizedDescription)
            }
        }
        source = path
        let directory = configuration.graphPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        registry = configuration.registry ?? .serving(baseDirectory: directory)
        do throws(GraphError) {
            let value: Value
            do {
                value = try JSONParser.parse(text)
            } catch {
                throw GraphError.invalidSpec(path: "$", reason: "not valid JSON: \(error)")
            }
            if let graph = value["spec"]?["graph"] {
                spec = try GraphSpec(graph, path: "spec.graph")
            } else if value["graph"] != nil {
                spec = try ServiceSpec(value).graph
            } else {
                spec = try GraphSpec(value, path: "graph")
            }
        } catch {
            throw ApplicationError.invalidGraph(path: path, error: error)
        }
    }

    /// Builds one graph (validated by compiling it, then returned uncompiled, for plotting); its
    /// models join `catalog` but do not load.
    func makeGraph(catalog: ModelCatalog) throws -> Graph {
        do {
            return try ModelCatalog.$current.withValue(catalog) {
                let graph = try spec.makeGraph(registry: registry)
                _ = try graph.compile()
                return graph
            }
        } catch let error as GraphError {
            throw ApplicationError.invalidGraph(path: source, error: error)
        }
    }

    /// Builds and compiles one graph whose models join `catalog`.
    func build(catalog: ModelCatalog) throws -> CompiledGraph {
        do {
            return try ModelCatalog.$current.withValue(catalog) {
                try spec.makeGraph(registry: registry).compile()
            }
        } catch let error as GraphError {
            throw ApplicationError.invalidGraph(path: source, error: error)
        }
    }
}
