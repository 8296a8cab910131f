public import ServingGraph

/// The base class of every model served: subclass it, override `load()` and `predict(_:)`, and
/// register the subclass by class name so a JSON graph can use it (MLRun's `V2ModelServer`, see
/// reference/mlrun.md §1).
///
/// ```swift
/// final class Doubler: V2ModelServer {
///     override var inputs: [TensorMetadata] { [TensorMetadata(name: "x", datatype: .fp64, shape: [-1])] }
///     override func predict(_ request: InferenceRequest) throws -> [Tensor] {
///         let x = try request.input("x").doubles()
///         return [Tensor(name: "y", shape: [x.count], doubles: x.map { $0 * 2 })]
///     }
/// }
/// registry.register("Doubler") { args, context in Doubler(name: context.name, classArgs: args.values) }
/// ```
///
/// **Hooks, in MLRun's order**: `preprocess` → `validate` → `predict` (or `explain`) → the response
/// is built (`model_name`, `model_version`, `id`) → `postprocess`. `load()` and `predict` are the
/// ones to override; the others default to identity (`validate` checks the declared ``inputs``,
/// `explain` answers 501). `op_<name>` custom operations go to ``operation(_:body:event:)``.
///
/// **Threading and state.** Each event loop builds its own graph, so each loop has its own instance
/// and hooks never run concurrently on one instance: subclass state needs no locks. `load()` runs
/// **once per model**, not per loop: return what it builds (weights, trees: a `Sendable` value) and
/// read it back in the hooks with ``loadedModel(as:)``; every loop shares that one object read-only.
/// The server owns the ``state`` (loading, ready, failed); until ready, requests answer 503.
///
/// **Errors** thrown by hooks: ``ServingError`` keeps its status (`.invalidInput` 400, `.notFound`
/// 404...), ``InferenceProtocolError`` is 400, anything else is a bug in the model: 500, logged with
/// the request id. A failing hook never affects other requests.
///
/// **Blocking models** (`"blocking": true` in `class_args`, or ``init(name:version:modelPath:classArgs:blocking:timeout:)``)
/// run their hooks off the event loop on a serial queue per instance, with a per-request deadline
/// (`"timeout"` seconds; past it 504), so a slow predict does not stall the loop's other connections.
/// A blocking model must be the responding step of its graph (its answer is the response).
open class V2ModelServer: Step {
    /// The step name: the route key, `name` or `name:version`.
    public let name: String
    /// The model name reported in responses (the step name without a `:version` suffix).
    public let modelName: String
    /// The model version, when it has one (`model_version` in responses).
    public let version: String?
    /// Where the model file is (`model_path` in `class_args`), when it has one.
    public let modelPath: String?
    /// The free-form parameters of the model (`class_args` in a graph spec).
    public let classArgs: ValueObject
    /// Whether hooks run off the event loop (see the class documentation).
    public let isBlocking: Bool
    /// Deadline of one request of a blocking model; past it the client gets 504.
    public let timeout: Duration
    /// Limits on request tensors, checked before allocating.
    public var limits = InferenceLimits()
    /// The model's logger (label `model.<name>`).
    public let logger: Logger

    lazy var blockingQueue = BlockingHookQueue(label: "model.\(name)")

    /// A model named `name` (`name:version` also sets the version). Joins ``ModelCatalog/current``
    /// when a server is building the graph, so `load()` runs once for all loops.
    public init(
        name: String, version: String? = nil, modelPath: String? = nil, classArgs: ValueObject = ValueObject(),
        blocking: Bool? = nil, timeout: Duration? = nil
    ) {
        self.name = name
        if let colon = name.firstIndex(of: ":"), version == nil {
            modelName = String(name[..<colon])
            self.version = String(name[name.index(after: colon)...])
        } else {
            modelName = name
            self.version = version ?? classArgs["version"]?.stringValue
        }
        self.modelPath = modelPath ?? classArgs["model_path"]?.stringValue
        self.classArgs = classArgs
        isBlocking = blocking ?? classArgs["blocking"]?.boolValue ?? false
        self.timeout =
            timeout ?? classArgs["timeout"]?.doubleValue.map { .milliseconds(Int64($0 * 1000)) } ?? .seconds(30)
        logger = Logger(label: "model.\(name)")
        let catalog = ModelCatalog.current ?? ModelCatalog()
        let loaderBox = LoaderBox()
        let shared = catalog.slot(for: name, owner: ObjectIdentifier(Swift.type(of: self))) { try loaderBox.load() }
        slotStorage = shared
        loaderBox.server = self
    }

    // MARK: - Hooks (override these)

    /// Loads the model once per server and returns it (weights, trees...: a `Sendable` value the
    /// hooks read with ``loadedModel(as:)``). Runs on a start-up thread, not on an event loop.
    /// The default loads nothing.
    open func load() throws -> (any Sendable)? { nil }

    /// Changes the request before validation (default: unchanged).
    open func preprocess(_ request: InferenceRequest) throws -> InferenceRequest { request }

    /// Rejects requests the model cannot serve. The default checks every declared input: present,
    /// numeric when declared numeric (BYTES when declared BYTES) and of a shape the declaration accepts.
    open func validate(_ request: InferenceRequest) throws {
        for declared in inputs {
            let tensor = try request.input(declared.name)
            if declared.datatype.isNumeric != tensor.datatype.isNumeric {
                throw ServingError.invalidInput(
                    "input '\(declared.name)': datatype \(tensor.datatype) does not match declared \(declared.datatype)"
                )
            }
            guard declared.accepts(shape: tensor.shape) else {
                throw ServingError.invalidInput(
                    "input '\(declared.name)': shape \(tensor.shape) does not match declared \(declared.shape)")
            }
        }
    }

    /// Computes the outputs. Must be overridden.
    open func predict(_ request: InferenceRequest) throws -> [Tensor] {
        throw ServingError.unsupported("model '\(modelName)' does not implement predict")
    }

    /// Explains a prediction (default: 501).
    open func explain(_ request: InferenceRequest) throws -> [Tensor] {
        throw ServingError.unsupported("model '\(modelName)' does not implement explain")
    }

    /// Changes the whole response after it is built (default: unchanged).
    open func postprocess(_ response: InferenceResponse) throws -> InferenceResponse { response }

    /// MLRun's custom operations (`op_<name>`): the returned value is the response body as is.
    /// The default looks `name` up in ``operations`` and answers 400 for anything else.
    open func operation(_ name: String, body: Value, event: Event) throws -> Value {
        guard let handler = operations[name] else {
            throw ServingError.invalidInput("illegal model operation \(name), method=\(event.method)")
        }
        return try handler(body, event)
    }

    /// Registered custom operations by name (an alternative to overriding ``operation(_:body:event:)``).
    public var operations: [String: (Value, Event) throws -> Value] = [:]

    // MARK: - Declarations (override to describe the model)

    /// Declared inputs, reported in metadata and checked by `validate`. Default: none.
    open var inputs: [TensorMetadata] { [] }
    /// Declared outputs, reported in metadata. Default: none.
    open var outputs: [TensorMetadata] { [] }
    /// Ordered input feature names (MLRun's `model_spec.inputs`): `infer_dict` orders object rows by
    /// them. Default: `feature_names` in `class_args`, else `nil` (then `infer_dict` answers 400).
    open var featureNames: [String]? {
        classArgs["feature_names"]?.arrayValue?.compactMap(\.stringValue)
    }
    /// The metadata `platform` string. Default `swift`.
    open var platform: String { "swift" }

    // MARK: - State

    private let slotStorage: ModelSlot

    /// Request counts and per-stage latencies of this model (shared by every loop's instance).
    public var metrics: ModelMetrics { slotStorage.metrics }

    /// The server-owned state of this model (shared by every loop's instance).
    public var state: ModelState { slotStorage.state }

    /// What `load()` returned, as `T`; 503 while loading, 500 when it is not a `T`.
    public func loadedModel<T>(as type: T.Type) throws -> T {
        guard let model = slotStorage.model else {
            throw ServingError.notReady("model '\(modelName)' is not ready yet (\(state))")
        }
        guard let typed = model as? T else {
            throw ServingError.internalFailure(
                "model '\(modelName)': load() returned \(Swift.type(of: model)), not \(T.self)")
        }
        return typed
    }

    /// Loads on the calling thread when no server owns the load (graphs run without a server); under a
    /// server a model still loading answers 503 and its `load()` never runs on an event loop.
    func ensureReady() throws {
        switch slotStorage.loadOnFirstUse() {
        case .ready: return
        case .loading: throw ServingError.notReady("model '\(modelName)' is not ready yet")
        case .failed(let error): throw ServingError.notReady("model '\(modelName)' failed to load: \(error)")
        }
    }
}

/// Hands the first instance's `load()` to the shared slot. `@unchecked Sendable`: the slot calls
/// `load()` once, on the thread that loads the catalog, on the instance built by the server's
/// start-up graph, which no event loop ever runs.
private final class LoaderBox: @unchecked Sendable {
    /// Strong until the load runs: the slot drops its loader (and so this box) once it has run.
    var server: V2ModelServer?

    func load() throws -> (any Sendable)? {
        guard let server else { return nil }
        defer { self.server = nil }
        do {
            return try server.load()
        } catch {
            throw ModelHookError(model: server.modelName, hook: "load", underlying: error)
        }
    }
}
