/// Turns named body fields into an Open Inference Protocol input tensor, in the declared field
/// order: one object gives shape `[1, k]`, an array of objects `[N, k]`; `data` is row-major.
///
/// ```json
/// {"kind": "task", "class_name": "ToTensor",
///  "class_args": {"fields": ["amount", "amount_avg_1h"], "name": "x", "datatype": "FP64"}}
/// ```
/// `{"amount": 5, "amount_avg_1h": 2.5}` becomes
/// `{"inputs": [{"name": "x", "shape": [1, 2], "datatype": "FP64", "data": [5.0, 2.5]}]}`.
/// Datatypes: `FP64`, `FP32` (numbers as doubles), `INT64` (whole numbers); booleans count as 1/0.
/// A missing, null or non-numeric field is ``ServingError/invalidInput(_:)`` naming row and field.
public struct ToTensorStep: Step {
    /// Tensor element types this step writes.
    public static let datatypes: Set<String> = ["FP64", "FP32", "INT64"]

    /// The step's name in the graph.
    public let name: String
    /// Fields, in tensor column order.
    public let fields: [String]
    /// The tensor's name.
    public let tensorName: String
    /// The tensor's datatype (one of ``datatypes``).
    public let datatype: String
    /// Whether ``datatype`` is `INT64` (elements are integers), decided once.
    private let isInteger: Bool

    /// A step building tensor `tensorName` from `fields`.
    public init(name: String, fields: [String], tensorName: String = "input", datatype: String = "FP64")
        throws(GraphError)
    {
        guard Self.datatypes.contains(datatype) else {
            throw .invalidArgument(
                path: "\(name).datatype", reason: "unsupported datatype '\(datatype)' (FP64, FP32 or INT64)")
        }
        self.name = name
        self.fields = fields
        self.tensorName = tensorName
        self.datatype = datatype
        self.isInteger = datatype == "INT64"
    }

    /// Builds the step from `{"fields": [...], "name": "input", "datatype": "FP64"}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["fields", "name", "datatype"])
        guard let fields = try arguments.strings("fields"), !fields.isEmpty else {
            throw arguments.invalid("fields", "expected a non-empty array of strings")
        }
        let datatype = try arguments.string("datatype") ?? "FP64"
        guard Self.datatypes.contains(datatype) else {
            throw arguments.invalid("datatype", "unsupported datatype '\(datatype)' (FP64, FP32 or INT64)")
        }
        try self.init(
            name: name, fields: fields, tensorName: try arguments.string("name") ?? "input", datatype: datatype)
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        var data: [Value] = []
        data.reserveCapacity(elementCount(event.body))
        let rowCount = try forEachElement(of: event.body) { data.append($0) }
        var output = event
        output.body = body(rows: rowCount, data: data)
        return output
    }

    /// The numbers ``run(_:)`` writes as the tensor's `data`, for a following step that takes them directly (see
    /// ``TensorInputStep``); nil for `INT64`, whose elements are integers. Throws as ``run(_:)`` throws.
    package func tensorRows(of event: Event) throws -> TensorRows? {
        guard !isInteger else { return nil }
        var values: [Double] = []
        values.reserveCapacity(elementCount(event.body))
        // FP64 and FP32 elements are always doubles (see `element`).
        let rowCount = try forEachElement(of: event.body) { if case .double(let number) = $0 { values.append(number) } }
        return TensorRows(name: tensorName, datatype: datatype, rows: rowCount, columns: fields.count, values: values)
    }

    /// The body ``run(_:)`` writes for `tensor` (read by ``tensorRows(of:)``).
    package func body(_ tensor: TensorRows) -> Value {
        body(rows: tensor.rows, data: tensor.values.map(Value.double))
    }

    /// The number of elements the tensor of `body` has when every row is valid.
    private func elementCount(_ body: Value) -> Int {
        if case .array(let rows) = body { return rows.count * fields.count }
        return fields.count
    }

    /// Calls `add` with each tensor element of `body` (the body itself as one row, or each element of an array),
    /// row by row in field order; returns the row count.
    private func forEachElement(of body: Value, _ add: (Value) -> Void) throws -> Int {
        switch body {
        case .object(let object):
            try append(object, row: 0, add)
            return 1
        case .array(let rows):
            for (r, row) in rows.enumerated() {
                guard case .object(let object) = row else {
                    throw ServingError.invalidInput("step '\(name)': row \(r) is a \(row.typeName), not an object")
                }
                try append(object, row: r, add)
            }
            return rows.count
        default:
            throw ServingError.invalidInput(
                "step '\(name)' expects an object or an array of objects, got \(body.typeName)")
        }
    }

    /// `{"inputs": [{"name", "shape": [rows, k], "datatype", "data"}]}`, built with shared key arrays.
    private func body(rows: Int, data: [Value]) -> Value {
        let shape: Value = .array([.int(Int64(rows)), .int(Int64(fields.count))])
        let tensor = ValueObject(
            distinctKeys: Self.tensorKeys, values: [.string(tensorName), shape, .string(datatype), .array(data)])
        return .object(ValueObject(distinctKeys: Self.bodyKeys, values: [.array([.object(tensor)])]))
    }

    /// Keys of the tensor object, in the order it is written.
    private static let tensorKeys = ["name", "shape", "datatype", "data"]
    /// Keys of the output body.
    private static let bodyKeys = ["inputs"]

    /// Hands row `r`'s fields, in tensor column order, to `add`.
    private func append(_ object: ValueObject, row r: Int, _ add: (Value) -> Void) throws(ServingError) {
        // Rows usually hold the fields in this order, last (an enrichment step appends them so): try that position
        // first, then the one after the previous field's, before looking the name up (keys are unique, so a
        // match is the field's only position).
        var next = max(0, object.count - fields.count)
        for field in fields {
            let value: Value?
            if next < object.count, object.keys[next] == field {
                value = object.values[next]
                next += 1
            } else if let position = object.position(of: field) {
                value = object.values[position]
                next = position + 1
            } else {
                value = nil
            }
            add(try element(value, row: r, field: field))
        }
    }

    private func element(_ value: Value?, row: Int, field: String) throws(ServingError) -> Value {
        let number: Value
        switch value {
        case .int?, .double?: number = value ?? .null
        case .bool(let b)?: number = .int(b ? 1 : 0)
        default:
            throw .invalidInput(
                "step '\(name)': row \(row) has no numeric '\(field)' (got \(value?.typeName ?? "nothing"))")
        }
        if isInteger {
            guard let integer = number.intValue else {
                throw .invalidInput("step '\(name)': row \(row) field '\(field)' is not a whole number for INT64")
            }
            return .int(integer)
        }
        guard let double = number.doubleValue, double.isFinite else {
            throw .invalidInput("step '\(name)': row \(row) field '\(field)' is not a finite number")
        }
        return .double(double)
    }
}
