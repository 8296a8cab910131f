public import ServingGraph

extension StepRegistry {
    /// Registers `EnrichWithFeatures` (over `services`, by vector name) and `UpdateAggregates` (over `store`).
    public mutating func registerEnrichment(services: [String: OnlineFeatureService], store: SQLiteOnlineStore?) {
        register("EnrichWithFeatures") { args, context in
            try args.rejectUnknown(
                ["vector", "keys", "rows", "into", "on_missing", "key_tensors", "output_tensor", "columns", "as_of"])
            guard let vector = try args.string("vector") else { throw args.invalid("vector", "required") }
            guard let service = services[vector] else {
                throw args.invalid("vector", "unknown feature vector '\(vector)'")
            }
            var onMissing = EnrichWithFeaturesStep.MissingPolicy.null
            if let text = try args.string("on_missing") {
                guard let parsed = EnrichWithFeaturesStep.MissingPolicy(rawValue: text) else {
                    throw args.invalid("on_missing", "expected null or error, got '\(text)'")
                }
                onMissing = parsed
            }
            if let keyTensors = try args.stringMap("key_tensors") {
                do {
                    return try EnrichWithFeaturesStep(
                        name: context.name, service: service, keyTensors: keyTensors,
                        outputTensor: try args.string("output_tensor") ?? "features",
                        columns: try args.strings("columns"),
                        onMissing: onMissing)
                } catch {
                    throw args.invalid("columns", "\(error)")
                }
            }
            return EnrichWithFeaturesStep(
                name: context.name, service: service, keyPaths: try args.stringMap("keys") ?? [],
                rows: try args.string("rows"), into: try args.string("into"), onMissing: onMissing,
                asOf: try args.string("as_of"))
        }
        register("UpdateAggregates") { args, context in
            try args.rejectUnknown(["feature_set", "fields", "timestamp", "rows"])
            guard let name = try args.string("feature_set") else { throw args.invalid("feature_set", "required") }
            guard let store, let definition = store.featureSet(named: name) else {
                throw args.invalid("feature_set", "unknown feature set '\(name)'")
            }
            return UpdateAggregatesStep(
                name: context.name, store: store, featureSet: definition,
                fieldPaths: try args.stringMap("fields") ?? [],
                timestamp: try args.string("timestamp"), rows: try args.string("rows"))
        }
    }
}
