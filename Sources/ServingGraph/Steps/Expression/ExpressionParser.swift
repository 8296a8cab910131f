/// Parses expression text into an ``Expression`` by recursive descent.
///
/// Precedence, loosest first: `or`, `and`, `not`, comparisons (`< <= > >= == !=`), `+ -`,
/// `* /`, unary `-`, then literals, fields, calls and parentheses. Binary operators associate to
/// the left. Errors carry the 1-based character position of the offending token.
///
/// ```swift
/// let ratio = try ExpressionParser.parse("amount / amount_avg_1h")
/// ```
public struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private var index = 0

    private init(tokens: [ExpressionToken]) {
        self.tokens = tokens
    }

    /// Parses `text`; throws ``ExpressionError`` with the position of the first problem.
    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(text))
        let expression = try parser.disjunction()
        let rest = parser.current
        guard rest.kind == .end else {
            throw ExpressionError(
                position: rest.position, reason: "unexpected \(rest.text) after a complete expression")
        }
        return expression
    }

    private var current: ExpressionToken {
        tokens[min(index, tokens.count - 1)]
    }

    private mutating func accept(_ symbol: String) -> Bool {
        if current.kind == .symbol(symbol) || current.kind == .name(symbol) {
            index += 1
            return true
        }
        return false
    }

    private mutating func disjunction() throws(ExpressionError) -> Expression {
        var left = try conjunction()
        while accept("or") { left = .binary(.or, left, try conjunction()) }
        return left
    }

    private mutating func conjunction() throws(ExpressionError) -> Expression {
        var left = try negation()
        while accept("and") { left = .binary(.and, left, try negation()) }
        return left
    }

    private mutating func negation() throws(ExpressionError) -> Expression {
        if accept("not") { return .not(try negation()) }
        return try comparison()
    }

    private mutating func comparison() throws(ExpressionError) -> Expression {
        let left = try additive()
        guard let op = comparisonOperator() else { return left }
        index += 1
        let right = try additive()
        // `a < b < c` would compare a boolean with a number; say so at load instead of per event.
        if comparisonOperator() != nil {
            throw ExpressionError(
                position: current.position, reason: "comparisons cannot be chained; use 'and' to combine them")
        }
        return .binary(op, left, right)
    }

    private func comparisonOperator() -> Expression.BinaryOperator? {
        guard case .symbol(let s) = current.kind, let op = Expression.BinaryOperator(rawValue: s),
            [.less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual].contains(op)
        else { return nil }
        return op
    }

    private mutating func additive() throws(ExpressionError) -> Expression {
        var left = try multiplicative()
        while true {
            if accept("+") {
                left = .binary(.add, left, try multiplicative())
            } else if accept("-") {
                left = .binary(.subtract, left, try multiplicative())
            } else {
                return left
            }
        }
    }

    private mutating func multiplicative() throws(ExpressionError) -> Expression {
        var left = try unary()
        while true {
            if accept("*") {
                left = .binary(.multiply, left, try unary())
            } else if accept("/") {
                left = .binary(.divide, left, try unary())
            } else {
                return left
            }
        }
    }

    private mutating func unary() throws(ExpressionError) -> Expression {
        if accept("-") { return .negate(try unary()) }
        return try primary()
    }

    private mutating func primary() throws(ExpressionError) -> Expression {
        let token = current
        index += 1
        switch token.kind {
        case .number(let value): return .literal(value)
        case .string(let s): return .literal(.string(s))
        case .symbol("("):
            let inner = try disjunction()
            guard accept(")") else {
                throw ExpressionError(position: current.position, reason: "expected ')', got \(current.text)")
            }
            return inner
        case .name("true"): return .literal(.bool(true))
        case .name("false"): return .literal(.bool(false))
        case .name("null"): return .literal(.null)
        case .name(let name) where ["and", "or", "not"].contains(name):
            throw ExpressionError(position: token.position, reason: "expected an operand, got \(token.text)")
        case .name(let name):
            guard accept("(") else { return .field(Value.pathComponents(name)) }
            return try call(name, at: token.position)
        case .symbol, .end:
            throw ExpressionError(position: token.position, reason: "expected an operand, got \(token.text)")
        }
    }

    private mutating func call(_ name: String, at position: Int) throws(ExpressionError) -> Expression {
        guard let function = Expression.Function(rawValue: name) else {
            let known = Expression.Function.allCases.map(\.rawValue).joined(separator: ", ")
            throw ExpressionError(position: position, reason: "unknown function '\(name)' (known: \(known))")
        }
        var arguments: [Expression] = []
        if !accept(")") {
            repeat { arguments.append(try disjunction()) } while accept(",")
            guard accept(")") else {
                throw ExpressionError(position: current.position, reason: "expected ',' or ')', got \(current.text)")
            }
        }
        guard function.arity.contains(arguments.count) else {
            throw ExpressionError(
                position: position,
                reason:
                    "\(name) takes \(function.arity.lowerBound == function.arity.upperBound ? "1 argument" : "1 or more arguments"), got \(arguments.count)"
            )
        }
        return .call(function, arguments)
    }
}
