/// Why an events file cannot be ingested; every case names the file and, where known, line and column.
public enum IngestError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The bytes are not valid CSV.
    case malformedCSV(file: String, CSVError)
    /// The file has no header row.
    case missingHeader(file: String)
    /// A column the feature set needs is not in the header.
    case missingColumn(file: String, column: String)
    /// A row has fewer fields than the entity and timestamp columns need.
    case tooFewFields(file: String, line: Int, expected: Int, got: Int)
    /// A cell holds an invalid value.
    case badValue(file: String, line: Int, column: String, ValueParseError)
    /// A row fails a validator of a set whose policy is `reject` (nothing of the file was ingested).
    case rejectedRow(file: String, line: Int, ValidationViolation)

    /// `events.csv:7: column 'amount': unparsable number '12.5x'`.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): "\(path): cannot read: \(reason)"
        case .malformedCSV(let file, let error):
            "\(file):\(error.line): column \(error.column): \(CSVError.describe(error.reason))"
        case .missingHeader(let file): "\(file):1: missing header row"
        case .missingColumn(let file, let column): "\(file):1: missing column '\(column)'"
        case .tooFewFields(let file, let line, let expected, let got):
            "\(file):\(line): too few fields (\(got), need at least \(expected))"
        case .badValue(let file, let line, let column, let error): "\(file):\(line): column '\(column)': \(error)"
        case .rejectedRow(let file, let line, let violation): "\(file):\(line): row rejected: \(violation)"
        }
    }

    /// The 1-based line of the problem (1 for header problems, 0 when the file is unreadable).
    public var line: Int {
        switch self {
        case .unreadableFile: 0
        case .malformedCSV(_, let error): error.line
        case .missingHeader, .missingColumn: 1
        case .tooFewFields(_, let line, _, _), .badValue(_, let line, _, _), .rejectedRow(_, let line, _): line
        }
    }
}

extension CSVError {
    /// The reason alone, for messages that place the position themselves.
    static func describe(_ reason: Reason) -> String {
        switch reason {
        case .unterminatedQuotedField: "unterminated quoted field"
        case .characterAfterClosingQuote: "unexpected character after a closing quote"
        case .quoteInUnquotedField: "quote inside an unquoted field"
        }
    }
}
