import ServingGraph

/// Reads an Open Inference Protocol JSON body straight from its bytes into an ``InferenceRequest``:
/// numeric `data` (FP32, FP64, the signed and 32-bit unsigned integers) goes into the tensor's typed
/// storage as it is read, with no `Value` tree for the body or its elements.
///
/// It takes the common shape only and returns nil for anything else: MLRun rows, an `operation`
/// member, a repeated key, an input that is not a plain tensor object, and every malformed or invalid
/// body. The caller then takes the general path (``JSONParser`` and ``InferenceRequestDecoder``),
/// which gives the canonical answer or error. For a body it accepts, the request equals the one the
/// general path decodes: every other member is read as a `Value` and handed to the same helpers.
enum InferenceRequestReader {
    /// How deeply `data` may nest before the body goes to the general path.
    static let maxDataDepth = 32

    /// Why the reader hands a body to the general path (never reported: the general path explains).
    private struct NotTaken: Error {}

    /// The request in `json` (`binary`: the bytes after the JSON header), or nil for the general path.
    static func read(
        _ json: UnsafeRawBufferPointer, binary: ArraySlice<UInt8>?, limits: InferenceLimits
    ) -> InferenceRequest? {
        guard var reader = JSONTokenReader(json), !reader.startsWithByteOrderMark else { return nil }
        do {
            let request = try readBody(&reader, binary: binary, limits: limits)
            return reader.isAtEnd() ? request : nil
        } catch {
            return nil
        }
    }

    private static func readBody(
        _ reader: inout JSONTokenReader, binary: ArraySlice<UInt8>?, limits: InferenceLimits
    ) throws -> InferenceRequest {
        guard reader.consume(UInt8(ascii: "{")) else { throw NotTaken() }
        let depth = JSONParser.defaultMaxDepth - 1
        var id: Value?
        var parameters: Value?
        var outputs: Value?
        var inputs: [Tensor]?
        var cursor = binary.map { BinaryCursor(bytes: $0) }
        var keys = KnownKeys()
        try readMembers(&reader, keys: bodyKeys) { key, reader in
            switch key {
            case 0?:
                try keys.insert(0)
                inputs = try readInputs(&reader, cursor: &cursor, limits: limits)
            case 1?:
                try keys.insert(1)
                id = try reader.readValue(maxDepth: depth)
            case 2?:
                try keys.insert(2)
                parameters = try reader.readValue(maxDepth: depth)
            case 3?:
                try keys.insert(3)
                outputs = try reader.readValue(maxDepth: depth)
            case .some:
                throw NotTaken()  // `operation` and `model` change the route or the operation
            case nil:
                _ = try reader.readValue(maxDepth: depth)  // ignored, as the general path ignores it
            }
        }
        guard let inputs else { throw NotTaken() }
        return try InferenceRequestDecoder.request(
            id: try InferenceRequestDecoder.readID(id), parameters: parameters, outputs: outputs, inputs: inputs,
            cursor: cursor)
    }

    private static func readInputs(
        _ reader: inout JSONTokenReader, cursor: inout BinaryCursor?, limits: InferenceLimits
    ) throws -> [Tensor] {
        guard reader.consume(UInt8(ascii: "[")) else { throw NotTaken() }
        var tensors: [Tensor] = []
        if reader.consume(UInt8(ascii: "]")) { return tensors }
        repeat {
            let tensor = try readInput(&reader, index: tensors.count, cursor: &cursor, limits: limits)
            if tensors.contains(where: { $0.name == tensor.name }) { throw NotTaken() }
            tensors.append(tensor)
        } while reader.consume(UInt8(ascii: ","))
        guard reader.consume(UInt8(ascii: "]")) else { throw NotTaken() }
        return tensors
    }

    private static func readInput(
        _ reader: inout JSONTokenReader, index: Int, cursor: inout BinaryCursor?, limits: InferenceLimits
    ) throws -> Tensor {
        guard reader.consume(UInt8(ascii: "{")) else { throw NotTaken() }
        let depth = JSONParser.defaultMaxDepth - 3
        var name: String?
        var datatype: TensorDatatype?
        var shape: (shape: [Int], count: Int)?
        var parameters = ValueObject()
        var data: Value?
        var elements: Tensor.Elements?
        var keys = KnownKeys()
        try readMembers(&reader, keys: inputKeys) { key, reader in
            switch key {
            case 0?:
                try keys.insert(0)
                name = try reader.readString()
            case 1?:
                try keys.insert(1)
                // Compared in place against the spellings (no `String`); FP16, BF16 and unknown names are
                // left to the general path, which names the input in its error.
                guard let known = try reader.readKey(among: datatypeSpellings) else { throw NotTaken() }
                datatype = datatypesBySpelling[known]
            case 2?:
                try keys.insert(2)
                shape = try readShape(&reader, limits: limits)
            case 3?:
                try keys.insert(3)
                parameters = try reader.readValue(maxDepth: depth).objectValue ?? ValueObject()
            case .some:  // 4: data
                try keys.insert(4)
                if let datatype, let shape {
                    elements = try readData(&reader, datatype: datatype, count: shape.count)
                }
                if elements == nil { data = try reader.readValue(maxDepth: depth) }
            case nil:
                _ = try reader.readValue(maxDepth: depth)
            }
        }
        guard let name, let datatype, let shape else { throw NotTaken() }
        if let elements, parameters["binary_data_size"] == nil {
            return Tensor(
                name: name, datatype: datatype, shape: shape.shape, elements: elements, parameters: parameters)
        }
        return try InferenceRequestDecoder.tensor(
            name: name, datatype: datatype, shape: shape.shape, count: shape.count, parameters: parameters,
            data: data, index: index, cursor: &cursor)
    }

    /// `[d0, d1, ...]`: non-negative integers, at most `maxRank` of them, whose product (the element
    /// count) stays within `maxTensorElements`, the checks ``TensorShape/read(_:input:path:limits:)`` makes.
    private static func readShape(
        _ reader: inout JSONTokenReader, limits: InferenceLimits
    ) throws -> (shape: [Int], count: Int) {
        guard reader.consume(UInt8(ascii: "[")) else { throw NotTaken() }
        var shape: [Int] = []
        var count = 1
        if reader.consume(UInt8(ascii: "]")) { return (shape, count) }
        shape.reserveCapacity(4)  // one allocation for the usual ranks (a second append would grow it)
        repeat {
            guard case .int(let dimension) = try reader.readNumber(), dimension >= 0, shape.count < limits.maxRank
            else { throw NotTaken() }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
            guard !overflow, product <= limits.maxTensorElements else { throw NotTaken() }
            count = product
            shape.append(Int(dimension))
        } while reader.consume(UInt8(ascii: ","))
        guard reader.consume(UInt8(ascii: "]")) else { throw NotTaken() }
        return (shape, count)
    }

    /// `data` decoded into typed storage for the datatypes read directly, else nil (nothing consumed).
    private static func readData(
        _ reader: inout JSONTokenReader, datatype: TensorDatatype, count: Int
    ) throws -> Tensor.Elements? {
        switch datatype {
        case .fp32:
            var out: [Float] = []
            out.reserveCapacity(count)
            try readLeaves(&reader, count: count) { out.append(Float(try number($0))) }
            return .floats(out)
        case .fp64:
            var out: [Double] = []
            out.reserveCapacity(count)
            try readLeaves(&reader, count: count) { out.append(try number($0)) }
            return .doubles(out)
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32:
            let range = datatype.integerRange ?? Int64.min...Int64.max
            var out: [Int64] = []
            out.reserveCapacity(count)
            try readLeaves(&reader, count: count) { value in
                guard case .int(let integer) = value, range.contains(integer) else { throw NotTaken() }
                out.append(integer)
            }
            return .integers(out)
        case .bool, .uint64, .bytes, .fp16, .bf16:
            return nil
        }
    }

    /// A leaf as a `Double`, as the general path converts it.
    @inline(__always) private static func number(_ value: Value) throws -> Double {
        switch value {
        case .double(let number): return number
        case .int(let integer): return Double(integer)
        default: throw NotTaken()
        }
    }

    /// Reads a number or nested arrays of numbers, calling `body` with each leaf in row-major order;
    /// throws unless there are exactly `count` leaves.
    private static func readLeaves(
        _ reader: inout JSONTokenReader, count: Int, _ body: (Value) throws -> Void
    ) throws {
        var depth = 0
        var found = 0
        while true {
            if reader.consume(UInt8(ascii: "[")) {
                depth += 1
                guard depth <= maxDataDepth else { throw NotTaken() }
                if !reader.consume(UInt8(ascii: "]")) { continue }
                depth -= 1
            } else {
                found += 1
                guard found <= count else { throw NotTaken() }
                try body(try reader.readNumber())
            }
            // A value is complete: a comma starts the next one; brackets close arrays.
            while depth > 0 {
                if reader.consume(UInt8(ascii: ",")) { break }
                guard reader.consume(UInt8(ascii: "]")) else { throw NotTaken() }
                depth -= 1
            }
            if depth == 0 { break }
        }
        guard found == count else { throw NotTaken() }
    }

    /// The body members the reader knows, by index: `inputs`, `id`, `parameters`, `outputs`, and the
    /// two that send the body to the general path, `operation` and `model`.
    private static let bodyKeys: [StaticString] = ["inputs", "id", "parameters", "outputs", "operation", "model"]
    /// The input members the reader knows, by index: `name`, `datatype`, `shape`, `parameters`, `data`.
    private static let inputKeys: [StaticString] = ["name", "datatype", "shape", "parameters", "data"]

    /// The datatypes the reader takes, by spelling (FP32 first, the usual one); ``datatypesBySpelling`` in
    /// the same order.
    static let datatypeSpellings: [StaticString] = [
        "FP32", "FP64", "INT64", "INT32", "INT16", "INT8", "UINT64", "UINT32", "UINT16", "UINT8", "BOOL", "BYTES",
    ]
    static let datatypesBySpelling: [TensorDatatype] = [
        .fp32, .fp64, .int64, .int32, .int16, .int8, .uint64, .uint32, .uint16, .uint8, .bool, .bytes,
    ]

    /// Reads the members of an object whose `{` is consumed, through its `}`; `member` gets the index
    /// of each key in `keys` (nil for another key) with the reader at its value.
    private static func readMembers(
        _ reader: inout JSONTokenReader, keys: [StaticString], _ member: (Int?, inout JSONTokenReader) throws -> Void
    ) throws {
        if reader.consume(UInt8(ascii: "}")) { return }
        repeat {
            let key = try reader.readKey(among: keys)
            guard reader.consume(UInt8(ascii: ":")) else { throw NotTaken() }
            try member(key, &reader)
        } while reader.consume(UInt8(ascii: ","))
        guard reader.consume(UInt8(ascii: "}")) else { throw NotTaken() }
    }

    /// The members seen so far, by number: a repeated one sends the body to the general path.
    private struct KnownKeys {
        private var seen: UInt8 = 0

        mutating func insert(_ member: UInt8) throws {
            let bit: UInt8 = 1 << member
            guard seen & bit == 0 else { throw NotTaken() }
            seen |= bit
        }
    }
}
