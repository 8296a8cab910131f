/// Why a point-in-time training set cannot be built; every case names its subject.
public enum TrainingSetError: Error, Equatable, CustomStringConvertible {
    /// An `event_log` row cannot be decoded with its feature set's registered definition.
    case unreadableEvent(featureSet: String, seq: Int64, reason: String)
    /// An entity column the vector's feature sets need is not among the entity rows' columns.
    case missingEntityColumn(source: String, column: String)
    /// An int64 entity column holds something other than a decimal integer.
    case badEntityKey(source: String, line: Int, column: String, value: String)
    /// The output format is neither `csv` nor `jsonl`.
    case unknownFormat(String)

    /// `entities.csv:4: column 'account_id': 'x1' is not a 64-bit integer`...
    public var description: String {
        switch self {
        case .unreadableEvent(let featureSet, let seq, let reason):
            "feature set '\(featureSet)': event_log row \(seq) cannot be decoded: \(reason)"
        case .missingEntityColumn(let source, let column):
            "\(source):1: missing entity column '\(column)'"
        case .badEntityKey(let source, let line, let column, let value):
            "\(source):\(line): column '\(column)': '\(value)' is not a 64-bit integer"
        case .unknownFormat(let format):
            "unknown training-set format '\(format)' (expected csv or jsonl)"
        }
    }
}
