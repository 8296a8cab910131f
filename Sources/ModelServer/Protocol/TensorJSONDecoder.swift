import ServingGraph

/// Turns an input's JSON `data` (flat or nested, row-major) into typed elements, checking the count
/// against the shape first and every element against the datatype.
enum TensorJSONDecoder {
    /// The elements of `data` for an input of `datatype` that needs `count` elements.
    static func decode(
        _ data: Value, input: String, datatype: TensorDatatype, shape: [Int], count: Int
    ) throws(InferenceProtocolError) -> Tensor.Elements {
        let found = leafCount(data)
        guard found == count else {
            throw .countMismatch(input: input, shape: shape.map { Int64($0) }, expected: count, got: found)
        }
        let reader = LeafReader(input: input, datatype: datatype)
        switch datatype {
        case .fp32:
            var out: [Float] = []
            out.reserveCapacity(count)
            try reader.walk(data) { (value, index) throws(InferenceProtocolError) in
                out.append(Float(try reader.number(value, index)))
            }
            return .floats(out)
        case .fp64:
            var out: [Double] = []
            out.reserveCapacity(count)
            try reader.walk(data) { (value, index) throws(InferenceProtocolError) in
                out.append(try reader.number(value, index))
            }
            return .doubles(out)
        case .bool:
            var out: [Bool] = []
            out.reserveCapacity(count)
            try reader.walk(data) { (value, index) throws(InferenceProtocolError) in
                guard case .bool(let flag) = value else { throw reader.mismatch(value, index) }
                out.append(flag)
            }
            return .bools(out)
        case .uint64:
            var out: [UInt64] = []
            out.reserveCapacity(count)
            try reader.walk(data) { (value, index) throws(InferenceProtocolError) in
                if case .double(let d) = value, let exact = UInt64(exactly: d) {
                    out.append(exact)
                    return
                }
                guard case .int(let i) = value, i >= 0 else { throw reader.mismatch(value, index) }
                out.append(UInt64(i))
            }
            return .unsigned(out)
        case .bytes:
            var out: [[UInt8]] = []
            out.reserveCapacity(count)
            try reader.walk(data) { (value, index) throws(InferenceProtocolError) in
                guard case .string(let text) = value else { throw reader.mismatch(value, index) }
                out.append(Array(text.utf8))
            }
            return .bytes(out)
        case .fp16, .bf16:
            throw .unsupportedDatatype(input: input, datatype: datatype)
        case .uint8, .uint16, .uint32, .int8, .int16, .int32, .int64:
            let range = datatype.integerRange ?? Int64.min...Int64.max
            var out: [Int64] = []
            out.reserveCapacity(count)
            try reader.walk(data) { (value, index) throws(InferenceProtocolError) in
                guard case .int(let i) = value, range.contains(i) else { throw reader.mismatch(value, index) }
                out.append(i)
            }
            return .integers(out)
        }
    }

    /// Leaves of nested arrays (a scalar counts as one).
    static func leafCount(_ value: Value) -> Int {
        guard case .array(let elements) = value else { return 1 }
        var total = 0
        for element in elements {
            if case .array = element {
                total += leafCount(element)
            } else {
                total += 1
            }
        }
        return total
    }

    /// Walks leaves in row-major order with their flat index.
    private struct LeafReader {
        let input: String
        let datatype: TensorDatatype

        func walk(_ value: Value, _ body: (Value, Int) throws(InferenceProtocolError) -> Void)
            throws(InferenceProtocolError)
        {
            var index = 0
            try forEach(value, &index, body)
        }

        private func forEach(
            _ value: Value, _ index: inout Int, _ body: (Value, Int) throws(InferenceProtocolError) -> Void
        ) throws(InferenceProtocolError) {
            guard case .array(let elements) = value else {
                try body(value, index)
                index += 1
                return
            }
            for element in elements {
                if case .array = element {
                    try forEach(element, &index, body)
                } else {
                    try body(element, index)
                    index += 1
                }
            }
        }

        func number(_ value: Value, _ index: Int) throws(InferenceProtocolError) -> Double {
            switch value {
            case .double(let d): return d
            case .int(let i): return Double(i)
            default: throw mismatch(value, index)
            }
        }

        func mismatch(_ value: Value, _ index: Int) -> InferenceProtocolError {
            .elementMismatch(input: input, datatype: datatype, index: index, got: describe(value))
        }

        private func describe(_ value: Value) -> String {
            switch value {
            case .string(let s): "the string \"\(s.prefix(32))\""
            case .int(let i): "the integer \(i)"
            case .double(let d): "the number \(d)"
            case .bool(let b): "the boolean \(b)"
            case .null: "null"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }
}
