import ServingGraph

/// Reads an ``InferenceRequest`` from a JSON body (plus, for the binary extension, the bytes that
/// followed the JSON header). Shapes and sizes are checked before any element array is allocated.
enum InferenceRequestDecoder {
    /// Decodes `body`; `binary` is the body after the JSON header when `Inference-Header-Content-Length` was sent.
    static func decode(
        _ body: Value, binary: ArraySlice<UInt8>?, limits: InferenceLimits
    ) throws(InferenceProtocolError) -> InferenceRequest {
        guard case .object(let object) = body else {
            throw .invalidField(path: "body", reason: "expected a JSON object, got \(body.typeName)")
        }
        guard let inputsValue = object["inputs"] else { throw .missingInputs }
        guard case .array(let inputs) = inputsValue else { throw .inputsNotAList(got: inputsValue.typeName) }
        let id = try readID(object["id"])
        if let first = inputs.first, !isTensor(first) {
            return InferenceRequest(id: id, inputs: rows(inputs), format: .mlrun, body: body)
        }
        var cursor = binary.map { BinaryCursor(bytes: $0) }
        var tensors: [Tensor] = []
        tensors.reserveCapacity(inputs.count)
        for (i, value) in inputs.enumerated() {
            let tensor = try readInput(value, index: i, cursor: &cursor, limits: limits)
            if tensors.contains(where: { $0.name == tensor.name }) { throw .duplicateInput(name: tensor.name) }
            tensors.append(tensor)
        }
        return try request(
            id: id, parameters: object["parameters"], outputs: object["outputs"], inputs: tensors, cursor: cursor)
    }

    /// The Open Inference Protocol request of decoded `inputs` and the body's other members; throws
    /// when binary bytes are left over or `outputs` is malformed.
    static func request(
        id: String?, parameters parametersValue: Value?, outputs: Value?, inputs: [Tensor], cursor: BinaryCursor?
    ) throws(InferenceProtocolError) -> InferenceRequest {
        var parameters = parametersValue?.objectValue ?? ValueObject()
        let binaryOutput = parameters["binary_data_output"]?.boolValue ?? false
        parameters["binary_data_output"] = nil
        if let cursor, cursor.remaining > 0 { throw .trailingBinary(bytes: cursor.remaining) }
        return InferenceRequest(
            id: id, parameters: parameters, inputs: inputs, requestedOutputs: try readOutputs(outputs),
            binaryOutputByDefault: binaryOutput, format: .openInference, body: .null)
    }

    /// A raw binary request (`Inference-Header-Content-Length: 0`, Triton's extension): the body is
    /// the bytes of the model's only declared input, with its one variable dimension (if any) taken
    /// from the byte count (BYTES: shape [1]); every output comes back binary.
    static func decodeRaw(
        _ bytes: ArraySlice<UInt8>, declared: [TensorMetadata], limits: InferenceLimits
    ) throws(InferenceProtocolError) -> InferenceRequest {
        guard declared.count == 1, let input = declared.first else {
            throw .invalidField(
                path: "body", reason: "a raw binary request needs a model with exactly one declared input")
        }
        var shape = input.shape
        let count: Int
        if let size = input.datatype.elementSize {
            let variable = shape.indices.filter { shape[$0] < 0 }
            let fixed = shape.filter { $0 >= 0 }.reduce(size, *)
            guard variable.count <= 1, fixed > 0, bytes.count % fixed == 0 else {
                throw .binarySizeMismatch(input: input.name, expected: fixed, declared: bytes.count)
            }
            if let slot = variable.first { shape[slot] = bytes.count / fixed }
            count = shape.reduce(1, *)
            guard count * size == bytes.count else {
                throw .binarySizeMismatch(input: input.name, expected: count * size, declared: bytes.count)
            }
        } else {
            shape = [1]
            count = 1
        }
        guard count <= limits.maxTensorElements else {
            throw .tooManyElements(input: input.name, shape: shape.map { Int64($0) }, limit: limits.maxTensorElements)
        }
        var cursor = BinaryCursor(bytes: bytes)
        let elements = try cursor.take(bytes.count) { (raw) throws(InferenceProtocolError) in
            try TensorBinaryCodec.decode(raw, input: input.name, datatype: input.datatype, count: count)
        }
        let tensor = Tensor(name: input.name, datatype: input.datatype, shape: shape, elements: elements)
        return InferenceRequest(inputs: [tensor], binaryOutputByDefault: true, format: .openInference)
    }

    /// An OIP input object; anything else (numbers, lists, MLRun dict rows) makes the body MLRun rows.
    private static func isTensor(_ value: Value) -> Bool {
        guard case .object(let object) = value else { return false }
        return object["datatype"] != nil || object["shape"] != nil
    }

    static func readID(_ value: Value?) throws(InferenceProtocolError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case let other?: throw .invalidField(path: "id", reason: "expected a string, got \(other.typeName)")
        }
    }

    private static func readInput(
        _ value: Value, index: Int, cursor: inout BinaryCursor?, limits: InferenceLimits
    ) throws(InferenceProtocolError) -> Tensor {
        let path = "inputs[\(index)]"
        guard case .object(let object) = value else {
            throw .invalidField(path: path, reason: "expected an object, got \(value.typeName)")
        }
        guard let name = object["name"]?.stringValue else {
            throw .invalidField(path: "\(path).name", reason: "expected a string")
        }
        guard let typeName = object["datatype"]?.stringValue else {
            throw .invalidField(path: "\(path).datatype", reason: "input '\(name)': expected a string")
        }
        let datatype = try readDatatype(typeName, input: name)
        let (shape, count) = try TensorShape.read(object["shape"], input: name, path: path, limits: limits)
        return try tensor(
            name: name, datatype: datatype, shape: shape, count: count,
            parameters: object["parameters"]?.objectValue ?? ValueObject(), data: object["data"], index: index,
            cursor: &cursor)
    }

    /// The datatype named `typeName`; unknown names and the float types without support are errors.
    static func readDatatype(_ typeName: String, input name: String) throws(InferenceProtocolError) -> TensorDatatype {
        guard let datatype = TensorDatatype.named(typeName) else {
            throw .unknownDatatype(input: name, datatype: typeName)
        }
        if datatype == .fp16 || datatype == .bf16 { throw .unsupportedDatatype(input: name, datatype: datatype) }
        return datatype
    }

    /// The tensor `inputs[index]` whose name, datatype and shape are read: its elements come from the
    /// binary part when `parameters` has `binary_data_size` (the key is then dropped), else from `data`.
    static func tensor(
        name: String, datatype: TensorDatatype, shape: [Int], count: Int, parameters: ValueObject, data: Value?,
        index: Int, cursor: inout BinaryCursor?
    ) throws(InferenceProtocolError) -> Tensor {
        var parameters = parameters
        let elements: Tensor.Elements
        if let sizeValue = parameters["binary_data_size"] {
            parameters["binary_data_size"] = nil
            let path = "inputs[\(index)]"
            guard let size = sizeValue.intValue, size >= 0 else {
                throw .invalidField(
                    path: "\(path).parameters.binary_data_size", reason: "expected a non-negative integer")
            }
            guard var reader = cursor else {
                throw .invalidField(
                    path: "\(path).parameters.binary_data_size",
                    reason: "input '\(name)' is binary but the request has no Inference-Header-Content-Length")
            }
            if let expected = TensorBinaryCodec.byteCount(count: count, datatype: datatype), expected != size {
                throw .binarySizeMismatch(input: name, expected: expected, declared: Int(clamping: size))
            }
            guard size <= reader.remaining else {
                throw .truncatedBinary(input: name, needed: Int(clamping: size), available: reader.remaining)
            }
            elements = try reader.take(Int(size)) { (raw) throws(InferenceProtocolError) in
                try TensorBinaryCodec.decode(raw, input: name, datatype: datatype, count: count)
            }
            cursor = reader
        } else {
            guard let data else { throw .missingData(input: name) }
            elements = try TensorJSONDecoder.decode(data, input: name, datatype: datatype, shape: shape, count: count)
        }
        return Tensor(name: name, datatype: datatype, shape: shape, elements: elements, parameters: parameters)
    }

    static func readOutputs(_ value: Value?) throws(InferenceProtocolError) -> [InferenceRequest
        .RequestedOutput]
    {
        guard let value, !value.isNull else { return [] }
        guard case .array(let outputs) = value else {
            throw .invalidField(path: "outputs", reason: "expected an array, got \(value.typeName)")
        }
        var result: [InferenceRequest.RequestedOutput] = []
        for (i, output) in outputs.enumerated() {
            guard let name = output["name"]?.stringValue else {
                throw .invalidField(path: "outputs[\(i)].name", reason: "expected a string")
            }
            var parameters = output["parameters"]?.objectValue ?? ValueObject()
            let binary = parameters["binary_data"]?.boolValue
            parameters["binary_data"] = nil
            result.append(.init(name: name, binary: binary, parameters: parameters))
        }
        return result
    }

    /// MLRun rows: equal-length rows of numbers become one FP64 tensor `inputs` [N, k]; a flat list
    /// of numbers becomes [n]; anything else is left in the body for the model to read.
    private static func rows(_ rows: [Value]) -> [Tensor] {
        var values: [Double] = []
        if rows.allSatisfy({ $0.doubleValue != nil }) {
            values = rows.compactMap(\.doubleValue)
            return [Tensor(name: "inputs", shape: [values.count], doubles: values)]
        }
        guard let width = rows.first?.arrayValue?.count else { return [] }
        values.reserveCapacity(rows.count * width)
        for row in rows {
            guard let cells = row.arrayValue, cells.count == width else { return [] }
            for cell in cells {
                guard let number = cell.doubleValue else { return [] }
                values.append(number)
            }
        }
        return [Tensor(name: "inputs", shape: [rows.count, width], doubles: values)]
    }
}

/// Reads consecutive binary inputs from the bytes after the JSON header.
struct BinaryCursor {
    let bytes: ArraySlice<UInt8>
    var offset: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - offset }

    /// Calls `body` with the next `count` bytes and moves past them.
    mutating func take<R>(
        _ count: Int, _ body: (UnsafeRawBufferPointer) throws(InferenceProtocolError) -> R
    ) throws(InferenceProtocolError) -> R {
        let range = offset..<offset + count
        offset += count
        let result: Result<R, InferenceProtocolError> = bytes[range].withUnsafeBytes { raw in
            Result { () throws(InferenceProtocolError) -> R in try body(raw) }
        }
        return try result.get()
    }
}
