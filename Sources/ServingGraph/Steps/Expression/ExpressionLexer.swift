/// Splits expression text into ``ExpressionToken``s. Positions count characters from 1.
struct ExpressionLexer {
    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        characters = Array(text)
    }

    /// All tokens, ending with `.end`.
    static func tokens(_ text: String) throws(ExpressionError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(text)
        var tokens: [ExpressionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private mutating func next() throws(ExpressionError) -> ExpressionToken {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let start = index
        let position = start + 1
        guard index < characters.count else { return ExpressionToken(kind: .end, position: position) }
        let c = characters[index]
        if c.isASCII && (c.isNumber || (c == "." && peek(1)?.isNumber == true)) {
            return ExpressionToken(kind: .number(try number()), position: position)
        }
        if c == "_" || (c.isASCII && c.isLetter) {
            return ExpressionToken(kind: .name(try path()), position: position)
        }
        if c == "\"" || c == "'" {
            return ExpressionToken(kind: .string(try string(quote: c)), position: position)
        }
        index += 1
        switch c {
        case "+", "-", "*", "/", "(", ")", ",":
            return ExpressionToken(kind: .symbol(String(c)), position: position)
        case "<", ">":
            if peek(0) == "=" {
                index += 1
                return ExpressionToken(kind: .symbol("\(c)="), position: position)
            }
            return ExpressionToken(kind: .symbol(String(c)), position: position)
        case "=", "!":
            guard peek(0) == "=" else {
                throw ExpressionError(position: position, reason: "unexpected '\(c)' (did you mean '\(c)='?)")
            }
            index += 1
            return ExpressionToken(kind: .symbol("\(c)="), position: position)
        default:
            throw ExpressionError(position: position, reason: "unexpected character '\(c)'")
        }
    }

    private func peek(_ offset: Int) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func number() throws(ExpressionError) -> Value {
        let start = index
        var isInteger = true
        while let c = peek(0), c.isASCII,
            c.isNumber || c == "." || c == "e" || c == "E"
                || ((c == "+" || c == "-") && (characters[index - 1] == "e" || characters[index - 1] == "E"))
        {
            if !c.isNumber { isInteger = false }
            index += 1
        }
        let text = String(characters[start..<index])
        if isInteger, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else {
            throw ExpressionError(position: start + 1, reason: "malformed number '\(text)'")
        }
        return .double(double)
    }

    private mutating func path() throws(ExpressionError) -> String {
        let start = index
        while let c = peek(0), c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) || c == "." {
            if c == "." {
                guard let after = peek(1), after == "_" || (after.isASCII && after.isLetter || after.isNumber) else {
                    throw ExpressionError(position: index + 1, reason: "a field path cannot end with '.'")
                }
            }
            index += 1
        }
        return String(characters[start..<index])
    }

    private mutating func string(quote: Character) throws(ExpressionError) -> String {
        let start = index
        index += 1
        var text = ""
        while let c = peek(0) {
            index += 1
            if c == quote { return text }
            if c == "\\", let escaped = peek(0) {
                index += 1
                text.append(escaped)
            } else {
                text.append(c)
            }
        }
        throw ExpressionError(position: start + 1, reason: "unterminated string")
    }
}

/// One lexical token of an expression, with its 1-based character position.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case number(Value)
        case string(String)
        /// An identifier or dotted path (`amount`, `user.avg_1h`); keywords are identifiers too.
        case name(String)
        /// An operator or punctuation: `+ - * / ( ) , < <= > >= == !=`.
        case symbol(String)
        case end
    }

    let kind: Kind
    let position: Int

    /// How the token reads in an error message.
    var text: String {
        switch kind {
        case .number(let value): MapValuesStep.tableKey(value) ?? "number"
        case .string(let s): "\"\(s)\""
        case .name(let n): "'\(n)'"
        case .symbol(let s): "'\(s)'"
        case .end: "end of expression"
        }
    }
}
