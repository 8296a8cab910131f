public import ServingGraph

extension StepRegistry {
    /// Registers `EnrichWithFeatures` (over `services`, by vector name) and `UpdateAggregates` (over `store`).
    public mutating func registerEnrichment(services: [String: OnlineFeatureService], store: SQLiteOnlineStore?) {
        register("EnrichWithFeatures") { args, context in
            try args.rejectUnknown(
                [
                    "vector", "keys", "rows", "into", "on_missing", "key_tensors", "output_tensor", "columns",
                    "timestamp",
                ])
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
            let timestamp = try args.string("timestamp")
            if let keyTensors = try args.stringMap("key_tensors") {
                guard timestamp == nil else { throw args.invalid("timestamp", "not supported with key_tensors") }
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
                timestamp: timestamp)
        }
        register("UpdateAggregates") { args, context in
            try args.rejectUnknown(["feature_set", "fields", "timestamp", "rows", "update"])
            guard let name = try args.string("feature_set") else { throw args.invalid("feature_set", "required") }
            guard let store, let definition = store.featureSet(named: name) else {
                throw args.invalid("feature_set", "unknown feature set '\(name)'")
            }
            var order = UpdateAggregatesStep.UpdateOrder.beforeFetch
            if let text = try args.string("update") {
                guard let parsed = UpdateAggregatesStep.UpdateOrder(rawValue: text) else {
                    throw args.invalid("update", "expected before_fetch or after_fetch, got '\(text)'")
                }
                order = parsed
            }
            return UpdateAggregatesStep(
                name: context.name, store: store, featureSet: definition,
                fieldPaths: try args.stringMap("fields") ?? [],
                timestamp: try args.string("timestamp"), rows: try args.string("rows"), order: order)
        }
    }
}
