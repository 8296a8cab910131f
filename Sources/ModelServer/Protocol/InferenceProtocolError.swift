/// Why an inference request body is not a valid Open Inference Protocol or MLRun request.
///
/// Every case is a client mistake (HTTP 400) and names the input it is about.
public enum InferenceProtocolError: Error, Equatable, CustomStringConvertible {
    /// The body has no `inputs` key.
    case missingInputs
    /// `inputs` is not an array.
    case inputsNotAList(got: String)
    /// A member of the request has the wrong JSON type.
    case invalidField(path: String, reason: String)
    /// An input's `datatype` is not a protocol datatype.
    case unknownDatatype(input: String, datatype: String)
    /// The datatype exists but is not supported here (FP16, BF16).
    case unsupportedDatatype(input: String, datatype: TensorDatatype)
    /// A declared dimension is negative.
    case negativeDimension(input: String, shape: [Int64])
    /// The shape's element count exceeds the configured limit (checked before allocating).
    case tooManyElements(input: String, shape: [Int64], limit: Int)
    /// The element count of `data` disagrees with the shape.
    case countMismatch(input: String, shape: [Int64], expected: Int, got: Int)
    /// An element does not fit the datatype.
    case elementMismatch(input: String, datatype: TensorDatatype, index: Int, got: String)
    /// An input has neither `data` nor `parameters.binary_data_size`.
    case missingData(input: String)
    /// `Inference-Header-Content-Length` is not a number, or points past the body.
    case invalidHeaderLength(value: String, bodyBytes: Int)
    /// An input's `binary_data_size` disagrees with its shape and datatype.
    case binarySizeMismatch(input: String, expected: Int, declared: Int)
    /// The binary section after the JSON header is shorter than the sizes declared.
    case truncatedBinary(input: String, needed: Int, available: Int)
    /// Bytes are left after the last binary input.
    case trailingBinary(bytes: Int)
    /// A BYTES element's length prefix runs past the input's binary data.
    case malformedBytesElement(input: String, index: Int)
    /// Two inputs share one name.
    case duplicateInput(name: String)

    /// The message naming the input and the problem.
    public var description: String {
        switch self {
        case .missingInputs: #"Expected key "inputs" in request body"#
        case .inputsNotAList(let got): #"Expected "inputs" to be a list, got "# + got
        case .invalidField(let path, let reason): "\(path): \(reason)"
        case .unknownDatatype(let input, let datatype): "input '\(input)': unknown datatype '\(datatype)'"
        case .unsupportedDatatype(let input, let datatype):
            "input '\(input)': datatype \(datatype) is not supported (send FP32 or FP64)"
        case .negativeDimension(let input, let shape): "input '\(input)': shape \(shape) has a negative dimension"
        case .tooManyElements(let input, let shape, let limit):
            "input '\(input)': shape \(shape) has more than \(limit) elements"
        case .countMismatch(let input, let shape, let expected, let got):
            "input '\(input)': shape \(shape) needs \(expected) elements, data has \(got)"
        case .elementMismatch(let input, let datatype, let index, let got):
            "input '\(input)': element \(index) is \(got), not a valid \(datatype) value"
        case .missingData(let input): "input '\(input)': no 'data' and no 'parameters.binary_data_size'"
        case .invalidHeaderLength(let value, let bodyBytes):
            "Inference-Header-Content-Length '\(value)' is not a length within the \(bodyBytes)-byte body"
        case .binarySizeMismatch(let input, let expected, let declared):
            "input '\(input)': binary_data_size is \(declared) bytes, shape and datatype need \(expected)"
        case .truncatedBinary(let input, let needed, let available):
            "input '\(input)': binary data truncated: needs \(needed) bytes, \(available) left in the body"
        case .trailingBinary(let bytes): "\(bytes) bytes of binary data follow the last binary input"
        case .malformedBytesElement(let input, let index):
            "input '\(input)': BYTES element \(index) has a length prefix past the end of its data"
        case .duplicateInput(let name): "input '\(name)' appears twice"
        }
    }
}
