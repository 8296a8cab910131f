public import ServingGraph

/// What a model answers: output tensors plus the identity fields of the response. ``V2ModelServer``
/// fills `modelName`, `modelVersion` and `id`; `predict` returns the outputs and `postprocess` may
/// change anything.
public struct InferenceResponse: Sendable {
    /// The model's name (without any `:version` suffix).
    public var modelName: String
    /// The model's version, when it has one.
    public var modelVersion: String?
    /// The request id (the body's `id`, else the event id).
    public var id: String
    /// Response-level `parameters`.
    public var parameters: ValueObject
    /// Output tensors in order.
    public var outputs: [Tensor]

    /// A response from its parts.
    public init(
        modelName: String, modelVersion: String? = nil, id: String, parameters: ValueObject = ValueObject(),
        outputs: [Tensor]
    ) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.id = id
        self.parameters = parameters
        self.outputs = outputs
    }
}
