/// A parsed request-time feature expression (``ComputeStep``): numbers, strings, `true`/`false`/
/// `null`, field paths, `+ - * /`, unary minus, comparisons, `and`/`or`/`not`, parentheses and
/// the functions of ``Function``. Parsed once at load by ``ExpressionParser``; evaluated per event
/// by ``evaluate(in:)``.
public indirect enum Expression: Sendable, Equatable {
    /// Arithmetic and comparison operators, by increasing precedence group.
    public enum BinaryOperator: String, Sendable, Equatable {
        case or, and
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
        case add = "+", subtract = "-"
        case multiply = "*", divide = "/"
    }

    /// The built-in functions and their arities.
    public enum Function: String, Sendable, Equatable, CaseIterable {
        case log, abs, sqrt, exp, min, max

        /// Accepted argument counts.
        var arity: ClosedRange<Int> {
            switch self {
            case .log, .abs, .sqrt, .exp: 1...1
            case .min, .max: 1...64
            }
        }
    }

    case literal(Value)
    /// A body field by its dotted path, split into keys.
    case field([String])
    case negate(Expression)
    case not(Expression)
    case binary(BinaryOperator, Expression, Expression)
    case call(Function, [Expression])
}
