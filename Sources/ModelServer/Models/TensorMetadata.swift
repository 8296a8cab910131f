public import ServingGraph

/// A declared input or output of a model: name, datatype and shape with -1 for a variable dimension,
/// as reported by `GET /v2/models/{m}` and checked against each request by the default `validate`.
public struct TensorMetadata: Sendable, Equatable {
    /// The tensor's name.
    public var name: String
    /// The declared datatype; numeric inputs of another numeric type are converted, BYTES is refused.
    public var datatype: TensorDatatype
    /// Dimensions; -1 accepts any size.
    public var shape: [Int]

    /// A declaration.
    public init(name: String, datatype: TensorDatatype, shape: [Int]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
    }

    /// `{"name","datatype","shape"}` as model metadata lists it.
    public var value: Value {
        ["name": .string(name), "datatype": .string(datatype.rawValue), "shape": .array(shape.map { .int(Int64($0)) })]
    }

    /// Whether `shape` fits this declaration (same rank, fixed dimensions equal).
    public func accepts(shape other: [Int]) -> Bool {
        guard other.count == shape.count else { return false }
        return zip(shape, other).allSatisfy { declared, actual in declared < 0 || declared == actual }
    }
}
