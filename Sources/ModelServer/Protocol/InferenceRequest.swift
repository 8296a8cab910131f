public import ServingGraph

/// One inference request as a model's hooks see it: Open Inference Protocol tensors, or MLRun's
/// `{"id", "inputs": [[...], ...]}` rows turned into one tensor named `inputs`.
public struct InferenceRequest: Sendable {
    /// Which wire format the request came in; the response is written in the same one.
    public enum Format: Sendable, Equatable {
        /// `{"inputs": [{"name","shape","datatype","data"}]}` (JSON or binary tensors).
        case openInference
        /// MLRun's `{"id", "inputs": [...]}`: rows in, `{"id","model_name","outputs","timestamp"}` out.
        case mlrun
    }

    /// An output the client asked for (`outputs` of the request).
    public struct RequestedOutput: Sendable, Equatable {
        /// The output's name.
        public var name: String
        /// `parameters.binary_data`, when given.
        public var binary: Bool?
        /// The output's other parameters.
        public var parameters: ValueObject

        /// A requested output.
        public init(name: String, binary: Bool? = nil, parameters: ValueObject = ValueObject()) {
            self.name = name
            self.binary = binary
            self.parameters = parameters
        }
    }

    /// The request `id`, when it has one (the response echoes it, else the event id).
    public var id: String?
    /// Request-level `parameters` (binary framing keys removed).
    public var parameters: ValueObject
    /// Input tensors in request order.
    public var inputs: [Tensor]
    /// The outputs asked for; empty means all.
    public var requestedOutputs: [RequestedOutput]
    /// `parameters.binary_data_output`: outputs not listed come back binary.
    public var binaryOutputByDefault: Bool
    /// The wire format.
    public var format: Format
    /// The JSON body as received (for MLRun rows that are not numbers, e.g. objects).
    public var body: Value

    /// A request from its parts.
    public init(
        id: String? = nil, parameters: ValueObject = ValueObject(), inputs: [Tensor],
        requestedOutputs: [RequestedOutput] = [], binaryOutputByDefault: Bool = false,
        format: Format = .openInference, body: Value = .null
    ) {
        self.id = id
        self.parameters = parameters
        self.inputs = inputs
        self.requestedOutputs = requestedOutputs
        self.binaryOutputByDefault = binaryOutputByDefault
        self.format = format
        self.body = body
    }

    /// The input named `name`; for MLRun rows, the one `inputs` tensor whatever the name.
    /// Throws ``ServingError/invalidInput(_:)`` (400) naming the missing input.
    public func input(_ name: String) throws -> Tensor {
        if let found = inputs.first(where: { $0.name == name }) { return found }
        if format == .mlrun, inputs.count == 1 { return inputs[0] }
        let known = inputs.map { "'\($0.name)'" }.joined(separator: ", ")
        throw ServingError.invalidInput("missing input '\(name)' (request has \(known.isEmpty ? "none" : known))")
    }
}
