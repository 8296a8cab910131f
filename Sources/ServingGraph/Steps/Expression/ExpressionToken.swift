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
