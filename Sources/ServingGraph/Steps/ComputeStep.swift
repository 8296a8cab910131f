/// Adds request-time features computed from body fields by small expressions, evaluated in order
/// (a later expression may use an earlier result). See ``ExpressionParser`` for the language and
/// ``Expression/evaluate(in:)`` for null safety.
///
/// ```json
/// {"kind": "task", "class_name": "Compute",
///  "class_args": {"expressions": {"amount_vs_avg": "amount / amount_avg_1h", "is_big": "amount > 1000"}}}
/// ```
/// `{"amount": 50, "amount_avg_1h": 25}` gains `"amount_vs_avg": 2.0, "is_big": false`.
public struct ComputeStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// Output field → parsed expression, in evaluation order.
    public let expressions: [(field: String, expression: Expression)]

    /// A step from already parsed expressions.
    public init(name: String, expressions: [(field: String, expression: Expression)]) {
        self.name = name
        self.expressions = expressions
    }

    /// A step parsing `expressions` (field, text); a bad expression throws ``GraphError`` naming the
    /// step, the field and the character position.
    public init(name: String, expressions: [(String, String)]) throws(GraphError) {
        try self.init(name: name, expressions: expressions, path: "\(name).expressions")
    }

    /// Builds the step from `{"expressions": {"field": "expression"}}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["expressions"])
        guard let pairs = try arguments.stringMap("expressions") else {
            throw arguments.invalid("expressions", "missing required argument")
        }
        try self.init(name: name, expressions: pairs, path: "\(arguments.path).expressions")
    }

    private init(name: String, expressions: [(String, String)], path: String) throws(GraphError) {
        var parsed: [(field: String, expression: Expression)] = []
        for (field, text) in expressions {
            do {
                parsed.append((field, try ExpressionParser.parse(text)))
            } catch {
                throw .invalidArgument(path: "\(path).\(field)", reason: "\(error) in \"\(text)\"")
            }
        }
        self.init(name: name, expressions: parsed)
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        guard case .object = event.body else {
            throw ServingError.invalidInput("step '\(name)' expects an object body, got \(event.body.typeName)")
        }
        var body = event.body
        for (field, expression) in expressions {
            let value: Value
            do {
                value = try expression.evaluate(in: body)
            } catch {
                throw ServingError.invalidInput("step '\(name)', feature '\(field)': \(error.message)")
            }
            if case .object(var object) = body {
                body = .null
                object[field] = value
                body = .object(object)
            }
        }
        var output = event
        output.body = body
        return output
    }
}
