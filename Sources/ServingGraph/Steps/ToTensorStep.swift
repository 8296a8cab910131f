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
        let rowCount: Int
        switch event.body {
        case .object(let object):
            data.reserveCapacity(fields.count)
            try append(object, row: 0, to: &data)
            rowCount = 1
        case .array(let rows):
            data.reserveCapacity(rows.count * fields.count)
            for (r, row) in rows.enumerated() {
                guard case .object(let object) = row else {
                    throw ServingError.invalidInput("step '\(name)': row \(r) is a \(row.typeName), not an object")
                }
                try append(object, row: r, to: &data)
            }
            rowCount = rows.count
        default:
            throw ServingError.invalidInput(
                "step '\(name)' expects an object or an array of objects, got \(event.body.typeName)")
        }
        // Built with shared key arrays: `{"inputs": [{"name", "shape", "datatype", "data"}]}`.
        let shape: Value = .array([.int(Int64(rowCount)), .int(Int64(fields.count))])
        let tensor = ValueObject(
            distinctKeys: Self.tensorKeys, values: [.string(tensorName), shape, .string(datatype), .array(data)])
        var output = event
        output.body = .object(ValueObject(distinctKeys: Self.bodyKeys, values: [.array([.object(tensor)])]))
        return output
    }

    /// Keys of the tensor object, in the order it is written.
    private static let tensorKeys = ["name", "shape", "datatype", "data"]
    /// Keys of the output body.
    private static let bodyKeys = ["inputs"]

    /// Appends row `r`'s fields, in tensor column order, to `data`.
    private func append(_ object: ValueObject, row r: Int, to data: inout [Value]) throws(ServingError) {
        // Rows usually hold the fields in this order (an enrichment step appends them so): try the position
        // after the previous field's before looking the name up.
        var next = 0
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
            data.append(try element(value, row: r, field: field))
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
        if datatype == "INT64" {
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
