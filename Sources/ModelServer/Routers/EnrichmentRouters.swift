import FeatureEnrich
import ServingGraph

/// MLRun's `EnrichmentModelRouter` / `EnrichmentVotingEnsemble` (reference/mlrun.md §2.4): before routing,
/// the request's `inputs` (a list of entity rows) is **replaced** by the feature vectors of those entities, as
/// lists in vector order; then the wrapped `ModelRouter` / `VotingEnsemble` runs as usual.
///
/// ```json
/// {"class_name": "EnrichmentModelRouter",
///  "class_args": {"feature_vector_uri": "project/fraud-vector:latest", "impute_policy": {"*": "$mean"},
///                 "on_missing": "null"}, "routes": {...}}
/// ```
/// `feature_vector_uri` (or `featureVectorURI`) names a vector declared in the service file (`project/` and
/// `:tag` are ignored); `impute_policy` replaces the vector's own policy. A missing entity gives `null` in its
/// slot (MLRun); BETTER: `on_missing: "error"` fails the request with 404 naming the row instead. Requests whose
/// `inputs` are Open Inference Protocol tensors (objects with `datatype`) pass through unchanged.
struct EnrichmentRouterStep: Step {
    let name: String
    private let inner: any Step
    private let service: OnlineFeatureService
    private let failOnMissing: Bool

    /// Wraps `inner`, enriching through `service`.
    init(name: String, inner: any Step, service: OnlineFeatureService, failOnMissing: Bool) {
        self.name = name
        self.inner = inner
        self.service = service
        self.failOnMissing = failOnMissing
    }

    func run(_ event: Event) throws -> Event {
        guard case .object(var body) = event.body, case .array(let rows)? = body["inputs"], !rows.isEmpty,
            !rows.contains(where: { $0["datatype"] != nil })
        else { return try inner.run(event) }
        var vectors: [Value] = []
        vectors.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            do {
                vectors.append(try service.values(row, path: "inputs[\(index)]").map(Value.array) ?? .null)
            } catch let error as OnlineFeatureError {
                throw ServingError.invalidInput(error.description)
            }
        }
        if failOnMissing, let index = vectors.firstIndex(where: \.isNull) {
            throw ServingError.notFound("inputs[\(index)]: no features for entity \(JSONWriter.string(rows[index]))")
        }
        body["inputs"] = .array(vectors)
        var enriched = event
        enriched.body = .object(body)
        return try inner.run(enriched)
    }
}

extension StepRegistry {
    /// Registers `EnrichmentModelRouter` and `EnrichmentVotingEnsemble` over the registered `ModelRouter` and
    /// `VotingEnsemble`, with the vectors of `services`.
    mutating func registerEnrichmentRouters(services: [String: OnlineFeatureService]) {
        for (className, innerName) in [
            ("EnrichmentModelRouter", "ModelRouter"), ("EnrichmentVotingEnsemble", "VotingEnsemble"),
        ] {
            guard let innerFactory = factory(for: innerName) else { continue }
            register(className) { args, context in
                let own: Set<String> = ["feature_vector_uri", "featureVectorURI", "impute_policy", "on_missing"]
                guard let uri = try args.string("feature_vector_uri") ?? args.string("featureVectorURI") else {
                    throw args.invalid("feature_vector_uri", "required")
                }
                var vectorName = Substring(uri)
                if let slash = vectorName.lastIndex(of: "/") {
                    vectorName = vectorName[vectorName.index(after: slash)...]
                }
                if let colon = vectorName.firstIndex(of: ":") { vectorName = vectorName[..<colon] }
                guard var service = services[String(vectorName)] else {
                    throw args.invalid("feature_vector_uri", "unknown feature vector '\(vectorName)'")
                }
                if let policy = try args.object("impute_policy") {
                    let old = service.vector.definition
                    let definition = FeatureVectorDefinition(
                        name: old.name, features: old.features, labelFeature: old.labelFeature,
                        entityKeys: old.entityKeys, imputePolicy: policy)
                    do {
                        service = try OnlineFeatureService(
                            vector: try definition.resolve(featureSets: service.vector.featureSets),
                            store: service.store)
                    } catch {
                        throw args.invalid("impute_policy", "\(error)")
                    }
                }
                let onMissing = try args.string("on_missing") ?? "null"
                guard onMissing == "null" || onMissing == "error" else {
                    throw args.invalid("on_missing", "expected null or error, got '\(onMissing)'")
                }
                var innerValues = ValueObject()
                for (key, value) in args.values.members where !own.contains(key) { innerValues[key] = value }
                let inner = try innerFactory(StepArguments(innerValues, path: args.path), context)
                return EnrichmentRouterStep(
                    name: context.name, inner: inner, service: service, failOnMissing: onMissing == "error")
            }
        }
    }
}
