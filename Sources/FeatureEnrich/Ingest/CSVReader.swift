/// An RFC 4180 CSV reader over bytes: comma-separated fields, `"`-quoted fields that may hold commas, line
/// breaks and `""` (a literal quote), records ended by CRLF or LF (a lone CR also ends one, as in Python's
/// `csv`). Blank lines are skipped; the last record needs no line end.
///
/// ```swift
/// var reader = CSVReader(bytes: Array("key,amount\r\na,\"1,5\"\r\n".utf8))
/// while let record = try reader.nextRecord() { print(record.line, record.fields) }
/// ```
public struct CSVReader: Sendable {
    /// One record and the line it starts on.
    public struct Record: Sendable, Equatable {
        /// 1-based line of the record's first byte.
        public let line: Int
        /// The fields, unquoted.
        public let fields: [String]
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Fields of the previous record: room reserved for the next one's (one allocation per record).
    private var previousFieldCount = 0

    /// A reader over `bytes` (UTF-8; a leading byte-order mark is skipped).
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            index = 3
            lineStart = 3
        }
    }

    /// The next record, or `nil` at the end of the input.
    public mutating func nextRecord() throws(CSVError) -> Record? {
        // Skip blank lines.
        while index < bytes.count, bytes[index] == Self.lf || bytes[index] == Self.cr {
            consumeLineEnd()
        }
        guard index < bytes.count else { return nil }
        let recordLine = line
        var fields: [String] = []
        fields.reserveCapacity(previousFieldCount)
        while true {
            let (field, ended) = try readField()
            fields.append(field)
            if ended { break }
        }
        previousFieldCount = fields.count
        return Record(line: recordLine, fields: fields)
    }

    /// Reads one field; `ended` is true when the record ends after it.
    private mutating func readField() throws(CSVError) -> (String, ended: Bool) {
        if index < bytes.count, bytes[index] == Self.quote { return try readQuotedField() }
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case Self.comma:
                defer { index += 1 }
                return (String(decoding: bytes[start..<index], as: UTF8.self), false)
            case Self.lf, Self.cr:
                let field = String(decoding: bytes[start..<index], as: UTF8.self)
                consumeLineEnd()
                return (field, true)
            case Self.quote:
                throw CSVError(line: line, column: index - lineStart + 1, reason: .quoteInUnquotedField)
            default:
                index += 1
            }
        }
        return (String(decoding: bytes[start..<index], as: UTF8.self), true)
    }

    private mutating func readQuotedField() throws(CSVError) -> (String, ended: Bool) {
        let openLine = line
        let openColumn = index - lineStart + 1
        index += 1
        var content: [UInt8] = []
        while true {
            guard index < bytes.count else {
                throw CSVError(line: openLine, column: openColumn, reason: .unterminatedQuotedField)
            }
            let byte = bytes[index]
            if byte == Self.quote {
                if index + 1 < bytes.count, bytes[index + 1] == Self.quote {
                    content.append(Self.quote)
                    index += 2
                    continue
                }
                index += 1
                break
            }
            if byte == Self.lf || (byte == Self.cr && (index + 1 >= bytes.count || bytes[index + 1] != Self.lf)) {
                content.append(byte)
                index += 1
                line += 1
                lineStart = index
                continue
            }
            content.append(byte)
            index += 1
        }
        let field = String(decoding: content, as: UTF8.self)
        guard index < bytes.count else { return (field, true) }
        switch bytes[index] {
        case Self.comma:
            index += 1
            return (field, false)
        case Self.lf, Self.cr:
            consumeLineEnd()
            return (field, true)
        default:
            throw CSVError(line: line, column: index - lineStart + 1, reason: .characterAfterClosingQuote)
        }
    }

    /// Consumes CRLF, LF or a lone CR at `index`.
    private mutating func consumeLineEnd() {
        if bytes[index] == Self.cr, index + 1 < bytes.count, bytes[index + 1] == Self.lf { index += 1 }
        index += 1
        line += 1
        lineStart = index
    }

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
}

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
