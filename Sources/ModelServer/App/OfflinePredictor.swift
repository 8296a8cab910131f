import FeatureEnrich
package import ServingGraph

/// Batch prediction without HTTP (`serve predict`): loads a serving graph and its models once, then runs
/// batches of feature rows through the graph as MLRun infer requests (`{"inputs": [[...], ...]}` on
/// `/v2/models/{model}/infer`) and returns one output per row.
///
/// Confined to the calling thread (it owns one built graph). Models that answer later (blocking models) are
/// refused with ``ServingError/unsupported(_:)``.
package final class OfflinePredictor {
    private let graph: CompiledGraph
    /// The model requests are addressed to.
    package let model: String

    /// Loads the graph at `graphPath` and its models; `model` defaults to the graph's only model.
    package init(graphPath: String, model: String?) throws {
        var configuration = ServeConfiguration()
        configuration.graphPath = graphPath
        let loader = try GraphLoader(configuration: configuration)
        let catalog = ModelCatalog()
        graph = try loader.build(catalog: catalog)
        if let failure = catalog.loadAll().first {
            throw ApplicationError.modelLoadFailed(model: failure.key, error: failure.error)
        }
        let names = catalog.keys
        guard let chosen = model ?? (names.count == 1 ? names.first : nil) else {
            throw ServingError.invalidInput("the graph has models \(names.sorted()); choose one with --model")
        }
        self.model = chosen
    }

    /// The outputs for `rows` (one per row, in order).
    package func predict(_ rows: [[Value]]) throws -> [Value] {
        let event = Event(
            body: ["inputs": .array(rows.map { .array($0) })], path: "/v2/models/\(model)/infer", method: "POST")
        let answer = try graph.run(event)
        if answer[DeferredResponseKey.self] != nil {
            throw ServingError.unsupported("batch prediction with a model that answers later")
        }
        guard case .array(let outputs)? = answer.body["outputs"], outputs.count == rows.count else {
            throw ServingError.internalFailure(
                "model '\(model)' answered \(JSONWriter.string(answer.body).prefix(200)), not one output per row")
        }
        return outputs
    }
}

@available(*, unavailable)
extension OfflinePredictor: Sendable {}
