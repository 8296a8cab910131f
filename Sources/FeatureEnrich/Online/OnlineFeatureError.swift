/// Why an online feature request or service cannot be served; every case names the vector, column or path.
public enum OnlineFeatureError: Error, Equatable, CustomStringConvertible {
    /// No feature vector of that name is served.
    case unknownVector(name: String)
    /// The vector uses a feature set the store does not serve.
    case featureSetNotServed(vector: String, featureSet: String)
    /// An `impute_policy` key is neither `*` nor an output column of the vector.
    case unknownImputeColumn(vector: String, column: String)
    /// An `impute_policy` rule starting with `$` names no statistic.
    case unknownImputeStatistic(vector: String, column: String, rule: String)
    /// An entity row lacks an entity key column.
    case missingEntityKey(path: String)
    /// An entity key value has the wrong JSON type.
    case wrongEntityKeyType(path: String, expected: String, got: String)
    /// A list-form entity row does not have one value per entity key.
    case wrongRowLength(path: String, expected: Int, got: Int)
    /// The request body is not of the documented shape.
    case badRequest(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownVector(let name): "unknown feature vector '\(name)'"
        case .featureSetNotServed(let vector, let set):
            "feature vector '\(vector)': feature set '\(set)' is not served by the store"
        case .unknownImputeColumn(let vector, let column):
            "feature vector '\(vector)': impute_policy names '\(column)', which is not a column of the vector"
        case .unknownImputeStatistic(let vector, let column, let rule):
            "feature vector '\(vector)': impute_policy.\(column): unknown statistic '\(rule)' (use $mean, $min, $max, $count, $std)"
        case .missingEntityKey(let path): "\(path): missing entity key"
        case .wrongEntityKeyType(let path, let expected, let got): "\(path): expected \(expected), got \(got)"
        case .wrongRowLength(let path, let expected, let got):
            "\(path): expected \(expected) entity key values, got \(got)"
        case .badRequest(let path, let reason): "\(path): \(reason)"
        }
    }
}
