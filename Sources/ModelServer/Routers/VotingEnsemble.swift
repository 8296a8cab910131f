public import ServingGraph

/// Runs every child model and combines their predictions (MLRun's `VotingEnsemble`,
/// reference/mlrun.md §2.3): classification takes the weighted vote per class (ties go to the
/// lowest class), regression the weighted sum. Weights are validated and normalised by their sum
/// (BETTER than MLRun, which uses them unnormalised or crashes): negative or all-zero weights are
/// rejected when the graph loads; models without a weight weigh 0; no weights means equal weights.
///
/// Paths: `/v2/models/<child>[/versions/<v>]/<op>` reaches that child alone;
/// `/v2/models/<ensemble>/<op>`, `/v2/models/<op>` (`infer`, `predict`, `explain`) and `POST /`
/// run all children and vote; `GET /v2/models` lists the children and the ensemble.
///
/// ```json
/// {"kind": "router", "name": "ensemble", "class_name": "VotingEnsemble",
///  "class_args": {"vote_type": "regression", "weights": {"a": 0.2, "b": 0.4, "c": 0.4}},
///  "routes": {"a": {...}, "b": {...}, "c": {...}}}
/// ```
public struct VotingEnsemble: Step {
    /// How votes combine.
    public enum VoteType: String, Sendable {
        /// Weighted vote per integral class label.
        case classification
        /// Weighted sum of the predictions.
        case regression
    }

    /// The ensemble's name (its `model_name`).
    public let name: String
    /// The child models in declaration order.
    public let routes: [(name: String, step: any Step)]
    /// Fixed vote type; `nil` infers it per request (all predictions integral: classification).
    public let voteType: VoteType?
    /// Normalised weights in route order.
    public let weights: [Double]
    /// The weights as configured (reported by `GET /v2/models`), `nil` when none were given.
    public let configuredWeights: [(String, Double)]?
    /// The output member read from children that answer an object, and the output tensor name.
    public let predictionColumn: String
    private let router: ModelRouter

    /// An ensemble over `routes`; `weights` maps route names to non-negative weights, not all zero.
    public init(
        name: String, routes: [(name: String, step: any Step)], voteType: VoteType? = nil,
        weights: [(String, Double)]? = nil, predictionColumn: String = "prediction"
    ) throws(GraphError) {
        guard !routes.isEmpty else { throw .noRoutes(path: name) }
        self.name = name
        self.routes = routes
        self.voteType = voteType
        self.predictionColumn = predictionColumn
        self.configuredWeights = weights
        var raw = [Double](repeating: 1, count: routes.count)
        if let weights {
            raw = [Double](repeating: 0, count: routes.count)
            for (model, weight) in weights {
                guard let i = routes.firstIndex(where: { $0.name == model }) else {
                    throw .invalidArgument(
                        path: "\(name).class_args.weights.\(model)", reason: "no child model '\(model)'")
                }
                guard weight >= 0, weight.isFinite else {
                    throw .invalidArgument(
                        path: "\(name).class_args.weights.\(model)",
                        reason: "weight \(weight) is negative or not finite")
                }
                raw[i] = weight
            }
        }
        let total = raw.reduce(0, +)
        guard total > 0 else {
            throw .invalidArgument(path: "\(name).class_args.weights", reason: "weights are all zero")
        }
        self.weights = raw.map { $0 / total }
        self.router = try ModelRouter(name: name, routes: routes)
    }

    /// Routes to one child, or runs all of them and votes.
    public func run(_ event: Event) throws -> Event {
        let prefix = "/v2/models"
        let rest = event.path.hasPrefix(prefix) ? event.path.dropFirst(prefix.count).split(separator: "/") : []
        let votingOperations: Set<Substring> = ["infer", "predict", "explain"]
        if event.path.hasPrefix(prefix), rest.isEmpty {
            var list = event
            list.body = [
                "models": .array((routes.map(\.name) + [name]).map { .string($0) }),
                "weights": configuredWeights.map { .object(ValueObject($0.map { ($0.0, .double($0.1)) })) } ?? .null,
            ]
            return list
        }
        let votes =
            !event.path.hasPrefix(prefix) || (rest.count == 1 && votingOperations.contains(rest[0]))
            || rest.first.map(String.init) == name
        guard votes else { return try router.run(event) }
        return try vote(event)
    }

    private func vote(_ event: Event) throws -> Event {
        var child = event
        child.path = "infer"
        var predictions: [[Double]] = []
        for route in routes {
            let answer = try route.step.run(child)
            predictions.append(try Self.predictions(of: answer.body, column: predictionColumn, model: route.name))
        }
        let samples = predictions[0].count
        guard predictions.allSatisfy({ $0.count == samples }) else {
            throw ServingError.internalFailure("ensemble '\(name)': children returned different numbers of predictions")
        }
        let type = voteType ?? (predictions.joined().allSatisfy { $0.rounded() == $0 } ? .classification : .regression)
        var combined: [Double] = []
        combined.reserveCapacity(samples)
        for s in 0..<samples {
            switch type {
            case .regression:
                combined.append(zip(predictions, weights).reduce(0) { $0 + $1.0[s] * $1.1 })
            case .classification:
                var tally: [Double: Double] = [:]
                for (column, weight) in zip(predictions, weights) { tally[column[s], default: 0] += weight }
                let best = tally.max { a, b in a.value < b.value || (a.value == b.value && a.key > b.key) }
                combined.append(best?.key ?? 0)
            }
        }
        var output = event
        output.body = response(combined, type: type, event: event)
        return output
    }

    private func response(_ combined: [Double], type: VoteType, event: Event) -> Value {
        let id = event.body["id"]?.stringValue ?? event.id
        let isOpenInference = event.body["inputs"]?.arrayValue?.first?.objectValue != nil
        let tensor =
            type == .classification
            ? Tensor(name: predictionColumn, shape: [combined.count], integers: combined.map { Int64($0) })
            : Tensor(name: predictionColumn, shape: [combined.count], doubles: combined)
        let answer = InferenceResponse(modelName: name, id: id, outputs: [tensor])
        if isOpenInference {
            let request = InferenceRequest(inputs: [], format: .openInference)
            return
                (try? InferenceResponseEncoder.encode(
                    answer, for: request, receivedAtMicroseconds: event.receivedAtMicroseconds
                ).body)
                ?? .null
        }
        return InferenceResponseEncoder.mlrun(answer, receivedAtMicroseconds: event.receivedAtMicroseconds)
    }

    /// One child's predictions: MLRun `outputs` (a list, or an object holding `column`) or the
    /// first Open Inference Protocol output tensor's `data`.
    static func predictions(of body: Value, column: String, model: String) throws -> [Double] {
        var outputs = body["outputs"] ?? .null
        if case .object(let object) = outputs { outputs = object[column] ?? .null }
        if case .array(let items) = outputs, case .object(let tensor)? = items.first {
            outputs = tensor["data"] ?? .null
        }
        guard case .array(let values) = outputs else {
            throw ServingError.internalFailure("ensemble child '\(model)' returned no outputs list")
        }
        return try values.map { value in
            if let number = value.doubleValue { return number }
            if let row = value.arrayValue, row.count == 1, let number = row[0].doubleValue { return number }
            throw ServingError.internalFailure("ensemble child '\(model)' returned a non-numeric prediction")
        }
    }
}
