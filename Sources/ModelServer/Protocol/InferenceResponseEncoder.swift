public import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// The bytes of binary outputs that follow a response's JSON header (the binary tensor extension),
/// carried on the response event for the HTTP layer to append.
public struct BinaryTensorPayload: Sendable, Equatable {
    /// Raw output bytes, in the order the outputs appear in the JSON header.
    public var bytes: [UInt8]

    /// A payload of `bytes`.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

/// The event storage key of a response's binary output bytes.
public enum BinaryOutputKey: EventStorageKey {
    /// The stored value.
    public typealias Value = BinaryTensorPayload
}

/// The event storage key of a request's binary input bytes (everything after the JSON header).
public enum BinaryInputKey: EventStorageKey {
    /// The stored value.
    public typealias Value = BinaryTensorPayload
}

/// Writes an ``InferenceResponse`` in the request's format: Open Inference Protocol (JSON data, or
/// binary outputs as requested) or MLRun's `{"id","model_name","outputs","timestamp"}`.
enum InferenceResponseEncoder {
    /// The response body, plus binary output bytes when any output is binary.
    /// MLRun's explain answer has no `timestamp` (`receivedAtMicroseconds` nil).
    static func encode(
        _ response: InferenceResponse, for request: InferenceRequest, receivedAtMicroseconds: Int64?
    ) throws(ServingError) -> (body: Value, binary: BinaryTensorPayload?) {
        switch request.format {
        case .mlrun: return (mlrun(response, receivedAtMicroseconds: receivedAtMicroseconds), nil)
        case .openInference: return try openInference(response, for: request)
        }
    }

    private static func openInference(
        _ response: InferenceResponse, for request: InferenceRequest
    ) throws(ServingError) -> (body: Value, binary: BinaryTensorPayload?) {
        let isPlain = response.modelVersion == nil && response.parameters.isEmpty
        // Every output as JSON data: the outputs as they are, with no selection array or copy of them.
        if isPlain, request.requestedOutputs.isEmpty, !request.binaryOutputByDefault {
            return (plainOpenInference(response, response.outputs), nil)
        }
        let selected = try selectedOutputs(response, for: request)
        if isPlain, !selected.contains(where: \.binary) {
            return (plainOpenInference(response, selected.map(\.tensor)), nil)
        }
        var body = ValueObject(minimumCapacity: 5)
        body.appendNew("model_name", .string(response.modelName))
        if let version = response.modelVersion { body.appendNew("model_version", .string(version)) }
        body.appendNew("id", .string(response.id))
        if !response.parameters.isEmpty { body.appendNew("parameters", .object(response.parameters)) }
        var outputs: [Value] = []
        outputs.reserveCapacity(selected.count)
        var bytes: [UInt8]? = nil
        for (tensor, binary) in selected {
            var out = ValueObject(minimumCapacity: 4)
            out.appendNew("name", .string(tensor.name))
            out.appendNew("datatype", .string(tensor.datatype.rawValue))
            out.appendNew("shape", .array(tensor.shape.map { .int(Int64($0)) }))
            if binary {
                var buffer = bytes ?? []
                let before = buffer.count
                TensorBinaryCodec.encode(tensor.elements, datatype: tensor.datatype, into: &buffer)
                out.appendNew("parameters", ["binary_data_size": .int(Int64(buffer.count - before))])
                bytes = buffer
            } else {
                out.appendNew("data", .array(flat(tensor.elements)))
            }
            outputs.append(.object(out))
        }
        body.appendNew("outputs", .array(outputs))
        return (.object(body), bytes.map { BinaryTensorPayload(bytes: $0) })
    }

    /// ``openInference(_:for:)``'s body for the usual answer (no version, no parameters, every output as JSON
    /// data), built with shared key arrays instead of member by member.
    private static func plainOpenInference(_ response: InferenceResponse, _ tensors: [Tensor]) -> Value {
        var outputs: [Value] = []
        outputs.reserveCapacity(tensors.count)
        for tensor in tensors {
            let values: [Value] = [
                .string(tensor.name), .string(tensor.datatype.rawValue), .array(tensor.shape.map { .int(Int64($0)) }),
                .array(flat(tensor.elements)),
            ]
            outputs.append(.object(ValueObject(distinctKeys: outputKeys, values: values)))
        }
        let values: [Value] = [.string(response.modelName), .string(response.id), .array(outputs)]
        return .object(ValueObject(distinctKeys: bodyKeys, values: values))
    }

    /// Members of ``plainOpenInference(_:_:)``'s body, in the order ``openInference(_:for:)`` writes them.
    private static let bodyKeys = ["model_name", "id", "outputs"]
    /// Members of each of its outputs.
    private static let outputKeys = ["name", "datatype", "shape", "data"]

    /// The outputs to send, in order, each with whether it goes binary: all of them, or those the
    /// request asked for (an unknown name is a 400).
    static func selectedOutputs(
        _ response: InferenceResponse, for request: InferenceRequest
    ) throws(ServingError) -> [(tensor: Tensor, binary: Bool)] {
        if request.requestedOutputs.isEmpty {
            return response.outputs.map { ($0, request.binaryOutputByDefault) }
        }
        var selected: [(tensor: Tensor, binary: Bool)] = []
        selected.reserveCapacity(request.requestedOutputs.count)
        for wanted in request.requestedOutputs {
            guard let tensor = response.outputs.first(where: { $0.name == wanted.name }) else {
                let known = response.outputs.map(\.name).joined(separator: ", ")
                throw .invalidInput("unknown output '\(wanted.name)' (model outputs: \(known))")
            }
            selected.append((tensor, wanted.binary ?? request.binaryOutputByDefault))
        }
        return selected
    }

    /// MLRun 1.12's infer response (reference/mlrun.md §1.5), plus `model_version` when versioned.
    static func mlrun(_ response: InferenceResponse, receivedAtMicroseconds: Int64?) -> Value {
        var body = ValueObject(minimumCapacity: 5)
        body.appendNew("id", .string(response.id))
        body.appendNew("model_name", .string(response.modelName))
        if response.outputs.count == 1 {
            body.appendNew("outputs", nested(response.outputs[0]))
        } else {
            var outputs = ValueObject(minimumCapacity: response.outputs.count)
            for tensor in response.outputs { outputs[tensor.name] = nested(tensor) }
            body.appendNew("outputs", .object(outputs))
        }
        if let receivedAtMicroseconds {
            body.appendNew("timestamp", .string(timestamp(microseconds: receivedAtMicroseconds)))
        }
        if let version = response.modelVersion { body.appendNew("model_version", .string(version)) }
        return .object(body)
    }

    /// Elements as a flat JSON array.
    static func flat(_ elements: Tensor.Elements) -> [Value] {
        switch elements {
        case .floats(let a): return a.map { .double(Double($0)) }
        case .doubles(let a): return a.map { .double($0) }
        case .integers(let a): return a.map { .int($0) }
        case .unsigned(let a): return a.map { $0 <= UInt64(Int64.max) ? .int(Int64($0)) : .double(Double($0)) }
        case .bools(let a): return a.map { .bool($0) }
        case .bytes(let a): return a.map { .string(String(decoding: $0, as: UTF8.self)) }
        }
    }

    /// Elements nested to the tensor's shape ([N] flat, [N, k] a list of rows...).
    static func nested(_ tensor: Tensor) -> Value {
        let values = flat(tensor.elements)
        guard tensor.shape.count > 1, values.count == tensor.shape.reduce(1, *) else { return .array(values) }
        func build(_ dims: ArraySlice<Int>, _ start: Int) -> (Value, Int) {
            guard let first = dims.first else { return (values[start], start + 1) }
            var items: [Value] = []
            items.reserveCapacity(first)
            var offset = start
            for _ in 0..<first {
                let (item, next) = build(dims.dropFirst(), offset)
                items.append(item)
                offset = next
            }
            return (.array(items), offset)
        }
        return build(tensor.shape[...], 0).0
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00:00` in UTC, as MLRun writes `timestamp` (six fractional digits).
    static func timestamp(microseconds: Int64) -> String {
        var seconds = time_t(microseconds / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let micros = Int32(microseconds % 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2)) "
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(micros, 6))+00:00"
    }
}
