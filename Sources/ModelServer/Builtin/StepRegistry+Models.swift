public import ServingGraph

extension StepRegistry {
    /// The standard steps plus the model-serving classes: `ModelRouter` (also the default router
    /// `""`), `VotingEnsemble`, `ParallelRun`, `LinearModel`, `LogisticRegressionModel` and `XGBoostModel`.
    /// A relative `model_path` (and `AppendJSONL` `path`) is resolved against `baseDirectory` (the
    /// graph file's folder).
    public static func serving(baseDirectory: String? = nil) -> StepRegistry {
        var registry = StepRegistry.standard
        registry.registerModelRouters()
        registry.registerParallelRun()
        if let baseDirectory {
            // Like `model_path`, a relative JSONL path in a graph file is relative to the file's folder.
            registry.register("AppendJSONL") { args, context in
                var values = args.values
                if let path = values["path"]?.stringValue, !path.isEmpty, !path.hasPrefix("/") {
                    values["path"] = .string(baseDirectory + "/" + path)
                }
                return try AppendJSONLStep(name: context.name, arguments: StepArguments(values, path: args.path))
            }
        }
        registry.registerModel("LinearModel", baseDirectory: baseDirectory) { name, args in
            LinearModel(name: name, classArgs: args)
        }
        registry.registerModel("LogisticRegressionModel", baseDirectory: baseDirectory) { name, args in
            LogisticRegressionModel(name: name, classArgs: args)
        }
        registry.registerModel("XGBoostModel", baseDirectory: baseDirectory) { name, args in
            XGBoostModel(name: name, classArgs: args)
        }
        return registry
    }

    /// Registers a ``V2ModelServer`` subclass under `className`; `make` gets the step name and the
    /// `class_args` (with `model_path` made absolute against `baseDirectory`).
    public mutating func registerModel(
        _ className: String, baseDirectory: String? = nil,
        make: @escaping @Sendable (_ name: String, _ classArgs: ValueObject) throws -> V2ModelServer
    ) {
        register(className) { args, context in
            var values = args.values
            if let path = values["model_path"]?.stringValue, !path.hasPrefix("/"), let baseDirectory {
                values["model_path"] = .string(baseDirectory + "/" + path)
            }
            return try make(context.name, values)
        }
    }

    /// Registers `ModelRouter` (also as the default router `""`) and `VotingEnsemble`.
    mutating func registerModelRouters() {
        let modelRouter: Factory = { args, context in
            try args.rejectUnknown(["default_versions", "url_prefix", "prefix"])
            let defaults = try args.stringMap("default_versions") ?? []
            return try ModelRouter(
                name: context.name, routes: context.routes, defaultVersions: Dictionary(defaults) { _, last in last },
                prefix: try args.string("url_prefix") ?? args.string("prefix") ?? "/v2/models")
        }
        register("", factory: modelRouter)
        register("ModelRouter", factory: modelRouter)
        register("VotingEnsemble") { args, context in
            try args.rejectUnknown(["vote_type", "weights", "prediction_col_name"])
            var voteType: VotingEnsemble.VoteType?
            if let name = try args.string("vote_type") {
                guard let parsed = VotingEnsemble.VoteType(rawValue: name) else {
                    throw args.invalid("vote_type", "expected classification or regression, got '\(name)'")
                }
                voteType = parsed
            }
            var weights: [(String, Double)]?
            if let object = try args.object("weights") {
                weights = try object.members.map { (key, value) throws(GraphError) in
                    guard let weight = value.doubleValue else {
                        throw args.invalid("weights.\(key)", "expected a number")
                    }
                    return (key, weight)
                }
            }
            return try VotingEnsemble(
                name: context.name, routes: context.routes, voteType: voteType, weights: weights,
                predictionColumn: try args.string("prediction_col_name") ?? "prediction")
        }
    }
}
