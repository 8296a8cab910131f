/// The numbers a ``ToTensorStep`` reads from its rows, before they are written as an Open Inference Protocol body:
/// `rows` × `columns` doubles, row-major, for a tensor named `name` of datatype `datatype` (`FP64` or `FP32`).
/// A following ``TensorInputStep`` (a model) takes them as they are instead of decoding that body.
package struct TensorRows: Sendable, Equatable {
    /// The tensor's name.
    package let name: String
    /// The declared datatype, `FP64` or `FP32` (the values are doubles either way, as the body writes them).
    package let datatype: String
    /// Number of rows (the first dimension of the shape).
    package let rows: Int
    /// Number of columns (the second dimension).
    package let columns: Int
    /// The elements, row-major.
    package let values: [Double]

    /// Rows from their parts.
    package init(name: String, datatype: String, rows: Int, columns: Int, values: [Double]) {
        self.name = name
        self.datatype = datatype
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}
