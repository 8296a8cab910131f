/// Resolves the class names of a graph spec to step factories. Built-in steps are registered by
/// ``StepRegistry/standard``; modules and users add their own:
///
/// ```swift
/// var registry = StepRegistry.standard
/// registry.register("FraudModel") { args, context in
///     try FraudModel(name: context.name, modelPath: args.string("model_path") ?? ".")
/// }
/// ```
///
/// A value type and `Sendable`: build it once, then load one graph per event loop from it. The
/// class name `""` is the default router (MLRun's `class_name: ""` on a router step).
public struct StepRegistry: Sendable {
    /// Builds a step from its `class_args` and context; throws ``GraphError`` (or any error, which
    /// the loader reports with the step's path).
    public typealias Factory = @Sendable (_ arguments: StepArguments, _ context: StepContext) throws -> any Step

    private var factories: [String: Factory] = [:]

    /// An empty registry with only the default router.
    public init() {
        register("") { args, context in
            try args.rejectUnknown([])
            return RouterStep(name: context.name, routes: context.routes)
        }
    }

    /// Registers (or replaces) the factory of `className`.
    public mutating func register(_ className: String, factory: @escaping Factory) {
        factories[className] = factory
    }

    /// The factory of `className`, if registered.
    public func factory(for className: String) -> Factory? {
        factories[className]
    }

    /// Registered class names, sorted.
    public var classNames: [String] { factories.keys.sorted() }
}

extension StepRegistry {
    /// A registry holding the built-in steps under their spec class names: `Rename`, `Select`,
    /// `Defaults`, `DropFeatures`, `ToTensor`, `Compute`, `MapValues`, `Imputer`, `OneHotEncoder`,
    /// `DateExtractor`, `AppendJSONL`, `ReportError`, and the default router (`""`).
    public static var standard: StepRegistry {
        var registry = StepRegistry()
        registry.register("Rename") { args, context in try RenameStep(name: context.name, arguments: args) }
        registry.register("Select") { args, context in try SelectStep(name: context.name, arguments: args) }
        registry.register("Defaults") { args, context in try DefaultsStep(name: context.name, arguments: args) }
        registry.register("DropFeatures") { args, context in try DropFeaturesStep(name: context.name, arguments: args) }
        registry.register("ToTensor") { args, context in try ToTensorStep(name: context.name, arguments: args) }
        registry.register("Compute") { args, context in try ComputeStep(name: context.name, arguments: args) }
        registry.register("MapValues") { args, context in try MapValuesStep(name: context.name, arguments: args) }
        registry.register("Imputer") { args, context in try ImputerStep(name: context.name, arguments: args) }
        registry.register("OneHotEncoder") { args, context in
            try OneHotEncoderStep(name: context.name, arguments: args)
        }
        registry.register("DateExtractor") { args, context in
            try DateExtractorStep(name: context.name, arguments: args)
        }
        registry.register("AppendJSONL") { args, context in try AppendJSONLStep(name: context.name, arguments: args) }
        registry.register("ReportError") { args, context in try ReportErrorStep(name: context.name, arguments: args) }
        return registry
    }
}
