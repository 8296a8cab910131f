public import ServingGraph

/// A built training set: the entity rows unchanged, and per row one value per feature column (the vector's
/// columns in declared order, then the label), `null` where no event was visible at the row's time.
public struct TrainingSet: Sendable {
    /// The entity rows, in input order.
    public let table: EntityTable
    /// Names of the feature columns that follow the entity columns.
    public let featureColumns: [String]
    /// Row-major feature values: row r's column c is `values[r * featureColumns.count + c]`.
    public let values: [Value]

    /// A training set from its parts.
    public init(table: EntityTable, featureColumns: [String], values: [Value]) {
        self.table = table
        self.featureColumns = featureColumns
        self.values = values
    }

    /// Every output column: the entity columns, then the feature columns.
    public var columns: [String] { table.columns + featureColumns }

    /// The feature values of row `index`.
    public func featureValues(ofRow index: Int) -> ArraySlice<Value> {
        let width = featureColumns.count
        return values[index * width..<(index + 1) * width]
    }

    /// Row `index` as an object: entity columns (as given, strings) then feature columns.
    public func object(ofRow index: Int) -> ValueObject {
        var object = ValueObject(minimumCapacity: table.columns.count + featureColumns.count)
        for (column, field) in zip(table.columns, table.rows[index].fields) { object[column] = .string(field) }
        for (column, value) in zip(featureColumns, featureValues(ofRow: index)) { object[column] = value }
        return object
    }
}
