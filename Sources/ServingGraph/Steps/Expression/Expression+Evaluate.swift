#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Expression {
    /// Evaluates against `body`. Null-safe: a missing field or any null operand gives null, as do
    /// division by zero and results that are not finite (JSON has no NaN or infinity). Integers stay
    /// exact under `+ - *` unless they overflow; `/` gives a double. Operands of the wrong type
    /// (`"a" * 2`) throw ``ServingError/invalidInput(_:)``.
    public func evaluate(in body: Value) throws(ServingError) -> Value {
        switch self {
        case .literal(let value): return value
        case .field(let path): return body.value(atPath: path) ?? .null
        case .negate(let operand):
            switch try operand.evaluate(in: body) {
            case .null: return .null
            case .int(let i): return i == .min ? .double(-Double(i)) : .int(-i)
            case .double(let d): return .double(-d)
            case let other: throw .invalidInput("cannot negate a \(other.typeName)")
            }
        case .not(let operand):
            switch try operand.evaluate(in: body) {
            case .null: return .null
            case .bool(let b): return .bool(!b)
            case let other: throw .invalidInput("'not' needs a boolean, got \(other.typeName)")
            }
        case .binary(let op, let lhs, let rhs):
            return try Self.apply(op, try lhs.evaluate(in: body), try rhs.evaluate(in: body))
        case .call(let function, let arguments):
            var values: [Value] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try argument.evaluate(in: body)) }
            return try Self.call(function, values)
        }
    }

    private static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value) throws(ServingError) -> Value {
        if a.isNull || b.isNull { return .null }
        switch op {
        case .and, .or:
            guard case .bool(let x) = a, case .bool(let y) = b else {
                throw .invalidInput("'\(op.rawValue)' needs booleans, got \(a.typeName) and \(b.typeName)")
            }
            return .bool(op == .and ? x && y : x || y)
        case .equal, .notEqual:
            let same: Bool
            if let x = a.doubleValue, let y = b.doubleValue { same = x == y } else { same = a == b }
            return .bool(op == .equal ? same : !same)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let order: Bool?
            if let x = a.doubleValue, let y = b.doubleValue {
                order = compare(op, x, y)
            } else if case .string(let x) = a, case .string(let y) = b {
                order = compare(op, x, y)
            } else {
                order = nil
            }
            guard let order else {
                throw .invalidInput("cannot compare \(a.typeName) with \(b.typeName) using '\(op.rawValue)'")
            }
            return .bool(order)
        case .add, .subtract, .multiply, .divide:
            guard let x = a.doubleValue, let y = b.doubleValue else {
                throw .invalidInput("'\(op.rawValue)' needs numbers, got \(a.typeName) and \(b.typeName)")
            }
            if case .int(let i) = a, case .int(let j) = b, op != .divide {
                let (result, overflow) =
                    switch op {
                    case .add: i.addingReportingOverflow(j)
                    case .subtract: i.subtractingReportingOverflow(j)
                    default: i.multipliedReportingOverflow(by: j)
                    }
                if !overflow { return .int(result) }
            }
            switch op {
            case .add: return finite(x + y)
            case .subtract: return finite(x - y)
            case .multiply: return finite(x * y)
            default: return y == 0 ? .null : finite(x / y)
            }
        }
    }

    private static func compare<T: Comparable>(_ op: BinaryOperator, _ x: T, _ y: T) -> Bool {
        switch op {
        case .less: x < y
        case .lessOrEqual: x <= y
        case .greater: x > y
        default: x >= y
        }
    }

    private static func call(_ function: Function, _ values: [Value]) throws(ServingError) -> Value {
        if values.contains(where: \.isNull) { return .null }
        var numbers: [Double] = []
        for value in values {
            guard let number = value.doubleValue else {
                throw .invalidInput("\(function.rawValue) needs numbers, got \(value.typeName)")
            }
            numbers.append(number)
        }
        guard let x = numbers.first else { return .null }
        switch function {
        case .log: return x > 0 ? finite(Self.naturalLog(x)) : .null
        case .sqrt: return x >= 0 ? finite(x.squareRoot()) : .null
        case .exp: return finite(Self.exponential(x))
        case .abs:
            if case .int(let i) = values[0], i != .min { return .int(Swift.abs(i)) }
            return finite(Swift.abs(x))
        case .min, .max:
            var best = 0
            for i in numbers.indices.dropFirst()
            where function == .min ? numbers[i] < numbers[best] : numbers[i] > numbers[best] {
                best = i
            }
            return values[best]
        }
    }

    private static func finite(_ x: Double) -> Value {
        x.isFinite ? .double(x) : .null
    }
}

extension Expression {
    fileprivate static func naturalLog(_ x: Double) -> Double { log(x) }
    fileprivate static func exponential(_ x: Double) -> Double { exp(x) }
}
