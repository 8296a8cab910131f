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
