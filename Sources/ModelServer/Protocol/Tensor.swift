public import ServingGraph

/// A named, typed, row-major tensor: what a model's `predict` reads and returns.
///
/// Elements are held in one typed array chosen by the datatype (FP32 as `[Float]`, FP64 as
/// `[Double]`, integers as `[Int64]`, BYTES as byte strings), so ``floats()`` on an FP32 tensor and
/// ``doubles()`` on an FP64 tensor return the stored array without copying; other reads convert.
///
/// ```swift
/// let x = try request.input("x").doubles()          // [N * k] row-major
/// return [Tensor(name: "y", shape: [n], doubles: y)]
/// ```
public struct Tensor: Sendable, Equatable {
    /// The element storage.
    public enum Elements: Sendable, Equatable {
        /// BOOL.
        case bools([Bool])
        /// INT8 to INT64 and UINT8 to UINT32.
        case integers([Int64])
        /// UINT64.
        case unsigned([UInt64])
        /// FP32.
        case floats([Float])
        /// FP64.
        case doubles([Double])
        /// BYTES.
        case bytes([[UInt8]])

        /// Number of elements.
        public var count: Int {
            switch self {
            case .bools(let a): a.count
            case .integers(let a): a.count
            case .unsigned(let a): a.count
            case .floats(let a): a.count
            case .doubles(let a): a.count
            case .bytes(let a): a.count
            }
        }
    }

    /// The tensor's name (`x`, `probability`).
    public var name: String
    /// The protocol datatype.
    public var datatype: TensorDatatype
    /// Dimensions, row-major; the element count is their product.
    public var shape: [Int]
    /// The elements.
    public var elements: Elements
    /// Per-tensor `parameters` of the request (binary framing keys removed).
    public var parameters: ValueObject

    /// A tensor from its parts.
    public init(
        name: String, datatype: TensorDatatype, shape: [Int], elements: Elements,
        parameters: ValueObject = ValueObject()
    ) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
        self.elements = elements
        self.parameters = parameters
    }

    /// An FP32 tensor.
    public init(name: String, shape: [Int], floats: [Float]) {
        self.init(name: name, datatype: .fp32, shape: shape, elements: .floats(floats))
    }

    /// An FP64 tensor.
    public init(name: String, shape: [Int], doubles: [Double]) {
        self.init(name: name, datatype: .fp64, shape: shape, elements: .doubles(doubles))
    }

    /// An INT64 tensor.
    public init(name: String, shape: [Int], integers: [Int64]) {
        self.init(name: name, datatype: .int64, shape: shape, elements: .integers(integers))
    }

    /// A BYTES tensor of UTF-8 strings.
    public init(name: String, shape: [Int], strings: [String]) {
        self.init(name: name, datatype: .bytes, shape: shape, elements: .bytes(strings.map { Array($0.utf8) }))
    }

    /// Number of elements.
    public var count: Int { elements.count }

    /// The first dimension (the batch size), 1 for a scalar.
    public var rows: Int { shape.first ?? 1 }

    /// Elements per row (the product of the other dimensions), for [N, k] inputs.
    public var columns: Int { shape.dropFirst().reduce(1, *) }

    /// The elements as `Float`; no copy for FP32.
    public func floats() throws -> [Float] {
        switch elements {
        case .floats(let a): return a
        case .doubles(let a): return a.map { Float($0) }
        case .integers(let a): return a.map { Float($0) }
        case .unsigned(let a): return a.map { Float($0) }
        case .bools(let a): return a.map { $0 ? 1 : 0 }
        case .bytes: throw notNumeric()
        }
    }

    /// The elements as `Double`; no copy for FP64.
    public func doubles() throws -> [Double] {
        switch elements {
        case .doubles(let a): return a
        case .floats(let a): return a.map { Double($0) }
        case .integers(let a): return a.map { Double($0) }
        case .unsigned(let a): return a.map { Double($0) }
        case .bools(let a): return a.map { $0 ? 1 : 0 }
        case .bytes: throw notNumeric()
        }
    }

    /// Calls `body` with the elements as `Double`, converting FP32 and integers one element at a time
    /// into a buffer only when they are not FP64 already.
    public func withDoubles<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) throws -> R {
        if case .doubles(let a) = elements { return try a.withUnsafeBufferPointer(body) }
        return try doubles().withUnsafeBufferPointer(body)
    }

    /// The elements as `Int64`; no copy for the integer types. Floats must be whole numbers.
    public func integers() throws -> [Int64] {
        switch elements {
        case .integers(let a): return a
        case .unsigned(let a):
            return try a.map { value in
                guard let exact = Int64(exactly: value) else { throw notIntegral() }
                return exact
            }
        case .bools(let a): return a.map { $0 ? 1 : 0 }
        case .floats(let a):
            return try a.map { value in
                guard let exact = Int64(exactly: value) else { throw notIntegral() }
                return exact
            }
        case .doubles(let a):
            return try a.map { value in
                guard let exact = Int64(exactly: value) else { throw notIntegral() }
                return exact
            }
        case .bytes: throw notNumeric()
        }
    }

    /// The elements of a BYTES tensor as UTF-8 strings (invalid sequences repaired).
    public func strings() throws -> [String] {
        guard case .bytes(let a) = elements else {
            throw ServingError.invalidInput("tensor '\(name)' is \(datatype), not BYTES")
        }
        return a.map { String(decoding: $0, as: UTF8.self) }
    }

    private func notNumeric() -> ServingError {
        ServingError.invalidInput("tensor '\(name)' is BYTES, a number tensor is needed")
    }

    private func notIntegral() -> ServingError {
        ServingError.invalidInput("tensor '\(name)' has elements that are not integers in INT64 range")
    }
}
