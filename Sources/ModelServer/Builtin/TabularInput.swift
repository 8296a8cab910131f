import ServingGraph

/// The one input tensor of the built-in tabular models (linear, logistic, XGBoost), from `class_args`:
/// `input_name` (default `x`) and `input_datatype` (the declared datatype, default `FP32`).
struct TabularInput: Sendable {
    /// Name of the input tensor.
    let name: String
    /// Declared datatype; other numeric inputs are converted.
    let datatype: TensorDatatype

    /// Reads `input_name` and `input_datatype` from `classArgs`.
    init(classArgs: ValueObject) {
        name = classArgs["input_name"]?.stringValue ?? "x"
        datatype = classArgs["input_datatype"]?.stringValue.flatMap(TensorDatatype.init(rawValue:)) ?? .fp32
    }

    /// Metadata of the input: [-1, features].
    func metadata(features: Int) -> TensorMetadata {
        TensorMetadata(name: name, datatype: datatype, shape: [-1, features])
    }

    /// FP32 inputs give FP32 outputs, others FP64.
    var outputDatatype: TensorDatatype { datatype == .fp32 ? .fp32 : .fp64 }
}
