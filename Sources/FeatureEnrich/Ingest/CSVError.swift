/// Why bytes are not RFC 4180 CSV, with the 1-based line and column (byte) where the problem is.
public struct CSVError: Error, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Reason: Equatable, Sendable {
        /// A quoted field is still open at the end of the input (position of its opening quote).
        case unterminatedQuotedField
        /// A closing quote is followed by something other than a comma or a line end.
        case characterAfterClosingQuote
        /// A `"` inside a field that does not start with one.
        case quoteInUnquotedField
    }

    /// Line of the problem (1 = the header).
    public let line: Int
    /// Column (byte within the line, from 1).
    public let column: Int
    /// What is wrong.
    public let reason: Reason

    /// A CSV error at `line`:`column`.
    public init(line: Int, column: Int, reason: Reason) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 3, column 7: unterminated quoted field`.
    public var description: String {
        let what = Self.describe(reason)
        return "line \(line), column \(column): \(what)"
    }
}
