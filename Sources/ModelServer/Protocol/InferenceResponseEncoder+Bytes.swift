import ServingGraph

extension InferenceResponseEncoder {
    /// The response body as JSON bytes, plus binary output bytes when any output is binary: the bytes
    /// `JSONWriter.bytes(encode(...).body)` gives, but an Open Inference Protocol body is written
    /// straight from the tensors, without building a `Value` for it and its elements.
    static func encodeJSON(
        _ response: InferenceResponse, for request: InferenceRequest, receivedAtMicroseconds: Int64?
    ) throws(ServingError) -> (json: [UInt8], binary: BinaryTensorPayload?) {
        switch request.format {
        case .mlrun: return (JSONWriter.bytes(mlrun(response, receivedAtMicroseconds: receivedAtMicroseconds)), nil)
        case .openInference: return try openInferenceJSON(response, for: request)
        }
    }

    /// `{"model_name","model_version"?,"id","parameters"?,"outputs":[{"name","datatype","shape","data"|"parameters"}]}`,
    /// member for member as ``openInference(_:for:)`` builds it.
    private static func openInferenceJSON(
        _ response: InferenceResponse, for request: InferenceRequest
    ) throws(ServingError) -> (json: [UInt8], binary: BinaryTensorPayload?) {
        // All outputs in their order (the usual case) need no selection array.
        let selected = request.requestedOutputs.isEmpty ? nil : try selectedOutputs(response, for: request)
        let count = selected?.count ?? response.outputs.count
        var elements = 0
        for position in 0..<count { elements += selected?[position].tensor.count ?? response.outputs[position].count }
        // Room for the envelope (names, a 32-digit id, datatype, shape) and ~24 bytes per element, plus the
        // 32 bytes a double's digits reserve: a one-row answer (~155 bytes) then never grows the buffer.
        var writer = JSONTokenWriter(capacity: 256 + 24 * elements)
        writer.raw(#"{"model_name":"#)
        writer.string(response.modelName)
        if let version = response.modelVersion {
            writer.raw(#","model_version":"#)
            writer.string(version)
        }
        writer.raw(#","id":"#)
        writer.string(response.id)
        if !response.parameters.isEmpty {
            writer.raw(#","parameters":"#)
            writer.value(.object(response.parameters))
        }
        writer.raw(#","outputs":["#)
        var bytes: [UInt8]?
        for position in 0..<count {
            let tensor = selected?[position].tensor ?? response.outputs[position]
            let binary = selected?[position].binary ?? request.binaryOutputByDefault
            if position > 0 { writer.raw(UInt8(ascii: ",")) }
            writer.raw(#"{"name":"#)
            writer.string(tensor.name)
            writer.raw(#","datatype":"#)
            writer.string(tensor.datatype.rawValue)
            writer.raw(#","shape":["#)
            for (i, dimension) in tensor.shape.enumerated() {
                if i > 0 { writer.raw(UInt8(ascii: ",")) }
                writer.integer(Int64(dimension))
            }
            writer.raw(UInt8(ascii: "]"))
            if binary {
                var buffer = bytes ?? []
                let before = buffer.count
                TensorBinaryCodec.encode(tensor.elements, datatype: tensor.datatype, into: &buffer)
                writer.raw(#","parameters":{"binary_data_size":"#)
                writer.integer(Int64(buffer.count - before))
                writer.raw(UInt8(ascii: "}"))
                bytes = buffer
            } else {
                writer.raw(#","data":["#)
                writeElements(tensor.elements, into: &writer)
                writer.raw(UInt8(ascii: "]"))
            }
            writer.raw(UInt8(ascii: "}"))
        }
        writer.raw("]}")
        return (writer.bytes(), bytes.map { BinaryTensorPayload(bytes: $0) })
    }

    /// The elements, comma-separated, each written as ``flat(_:)`` makes it a `Value`.
    private static func writeElements(_ elements: Tensor.Elements, into writer: inout JSONTokenWriter) {
        switch elements {
        case .floats(let a):
            for (i, element) in a.enumerated() {
                if i > 0 { writer.raw(UInt8(ascii: ",")) }
                writer.double(Double(element))
            }
        case .doubles(let a):
            for (i, element) in a.enumerated() {
                if i > 0 { writer.raw(UInt8(ascii: ",")) }
                writer.double(element)
            }
        case .integers(let a):
            for (i, element) in a.enumerated() {
                if i > 0 { writer.raw(UInt8(ascii: ",")) }
                writer.integer(element)
            }
        case .unsigned(let a):
            for (i, element) in a.enumerated() {
                if i > 0 { writer.raw(UInt8(ascii: ",")) }
                if element <= UInt64(Int64.max) {
                    writer.integer(Int64(element))
                } else {
                    writer.double(Double(element))
                }
            }
        case .bools(let a):
            for (i, element) in a.enumerated() {
                if i > 0 { writer.raw(UInt8(ascii: ",")) }
                if element { writer.raw("true") } else { writer.raw("false") }
            }
        case .bytes(let a):
            for (i, element) in a.enumerated() {
                if i > 0 { writer.raw(UInt8(ascii: ",")) }
                writer.string(String(decoding: element, as: UTF8.self))
            }
        }
    }
}
