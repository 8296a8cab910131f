/// A parsed request-time feature expression (``ComputeStep``): numbers, strings, `true`/`false`/
/// `null`, field paths, `+ - * /`, unary minus, comparisons, `and`/`or`/`not`, parentheses and
/// the functions of ``Function``. Parsed once at load by ``ExpressionParser``; evaluated per event
/// by ``evaluate(in:)``.
public indirect enum Expression: Sendable, Equatable {
    /// Arithmetic and comparison operators, by increasing precedence group.
    public enum BinaryOperator: String, Sendable, Equatable {
        /// Boolean connectives (loosest).
        case or, and
        /// Comparisons, giving booleans.
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="
        /// Additive arithmetic.
        case add = "+", subtract = "-"
        /// Multiplicative arithmetic (tightest).
        case multiply = "*", divide = "/"
    }

    /// The built-in functions and their arities.
    public enum Function: String, Sendable, Equatable, CaseIterable {
        /// Natural log, absolute value, square root, e^x, and the smallest/largest argument.
        case log, abs, sqrt, exp, min, max

        /// Accepted argument counts.
        var arity: ClosedRange<Int> {
            switch self {
            case .log, .abs, .sqrt, .exp: 1...1
            case .min, .max: 1...64
            }
        }
    }

    /// A constant: number, string, boolean or null.
    case literal(Value)
    /// A body field by its dotted path, split into keys.
    case field([String])
    /// Unary minus.
    case negate(Expression)
    /// Boolean negation.
    case not(Expression)
    /// A binary operation.
    case binary(BinaryOperator, Expression, Expression)
    /// A call of a built-in function.
    case call(Function, [Expression])
}
