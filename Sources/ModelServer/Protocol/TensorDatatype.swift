/// An Open Inference Protocol tensor datatype (reference/v2-protocol.md §4).
///
/// `FP16` and `BF16` are recognised so they can be refused with a clear message: they have no
/// JSON form and no model here computes in them.
public enum TensorDatatype: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Booleans, one byte each in binary.
    case bool = "BOOL"
    /// Unsigned 8-bit integers.
    case uint8 = "UINT8"
    /// Unsigned 16-bit integers.
    case uint16 = "UINT16"
    /// Unsigned 32-bit integers.
    case uint32 = "UINT32"
    /// Unsigned 64-bit integers.
    case uint64 = "UINT64"
    /// Signed 8-bit integers.
    case int8 = "INT8"
    /// Signed 16-bit integers.
    case int16 = "INT16"
    /// Signed 32-bit integers.
    case int32 = "INT32"
    /// Signed 64-bit integers.
    case int64 = "INT64"
    /// Half precision (refused: no JSON form).
    case fp16 = "FP16"
    /// bfloat16 (refused: no JSON form).
    case bf16 = "BF16"
    /// Single precision floats.
    case fp32 = "FP32"
    /// Double precision floats.
    case fp64 = "FP64"
    /// Byte strings (JSON strings; 4-byte length prefixes in binary).
    case bytes = "BYTES"

    /// The protocol spelling (`FP32`).
    public var description: String { rawValue }

    /// Datatypes by spelling: one hashed lookup instead of `init(rawValue:)`'s comparison with every case.
    private static let bySpelling: [String: TensorDatatype] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// The datatype spelled `name` (`FP32`), as `init(rawValue:)` finds it.
    static func named(_ name: String) -> TensorDatatype? { name == "FP32" ? .fp32 : bySpelling[name] }

    /// Bytes per element in the binary extension; `nil` for BYTES (length-prefixed elements).
    public var elementSize: Int? {
        switch self {
        case .bool, .uint8, .int8: 1
        case .uint16, .int16, .fp16, .bf16: 2
        case .uint32, .int32, .fp32: 4
        case .uint64, .int64, .fp64: 8
        case .bytes: nil
        }
    }

    /// True for the integer, float and boolean types.
    public var isNumeric: Bool { self != .bytes }

    /// True for FP16, FP32, FP64 and BF16.
    public var isFloatingPoint: Bool {
        switch self {
        case .fp16, .bf16, .fp32, .fp64: true
        default: false
        }
    }

    /// The inclusive range of an integer type, as `Int64` (UINT64 is capped at `Int64.max` in JSON).
    var integerRange: ClosedRange<Int64>? {
        switch self {
        case .uint8: 0...Int64(UInt8.max)
        case .uint16: 0...Int64(UInt16.max)
        case .uint32: 0...Int64(UInt32.max)
        case .uint64: 0...Int64.max
        case .int8: Int64(Int8.min)...Int64(Int8.max)
        case .int16: Int64(Int16.min)...Int64(Int16.max)
        case .int32: Int64(Int32.min)...Int64(Int32.max)
        case .int64: Int64.min...Int64.max
        default: nil
        }
    }
}
