import Testing

@testable import ServingGraph

struct ExpressionTests {
    private func eval(_ text: String, _ body: Value = ["a": 2, "b": 3, "c": 4.5, "z": 0, "n": nil, "s": "US"]) throws
        -> Value
    {
        try ExpressionParser.parse(text).evaluate(in: body)
    }

    @Test(arguments: [
        ("1 + 2 * 3", Value.int(7)),
        ("(1 + 2) * 3", Value.int(9)),
        ("10 - 4 - 3", Value.int(3)),
        ("12 / 3 / 2", Value.double(2)),
        ("-a * b", Value.int(-6)),
        ("- -a", Value.int(2)),
        ("2 * -3 + 1", Value.int(-5)),
        ("a + b > 4", Value.bool(true)),
        ("(a < b) == true", Value.bool(true)),
        ("not a > b and b > a or false", Value.bool(true)),
        ("a > b or b > a and false", Value.bool(false)),
        ("c * 2", Value.double(9)),
        ("1.5e1 + .5", Value.double(15.5)),
    ])
    func respectsPrecedenceAndAssociativity(text: String, expected: Value) throws {
        #expect(try eval(text) == expected)
    }

    @Test(arguments: [
        "n + 1", "missing * 2", "a / z", "-n", "not n", "n > 1", "max(a, n)", "log(n)", "user.avg_1h + 1",
    ])
    func isNullSafe(text: String) throws {
        #expect(try eval(text) == .null)
    }

    @Test func readsDottedFieldPaths() throws {
        #expect(try eval("user.avg_1h * 2", ["user": ["avg_1h": 1.25]]) == .double(2.5))
    }

    @Test(arguments: [
        ("abs(-a)", Value.int(2)),
        ("abs(-2.5)", Value.double(2.5)),
        ("sqrt(16)", Value.double(4)),
        ("sqrt(-1)", Value.null),
        ("log(1)", Value.double(0)),
        ("log(0)", Value.null),
        ("exp(0)", Value.double(1)),
        ("exp(1000)", Value.null),
        ("min(a, b, c)", Value.int(2)),
        ("max(a, b, c)", Value.double(4.5)),
    ])
    func computesFunctionsWithoutProducingNonFiniteNumbers(text: String, expected: Value) throws {
        #expect(try eval(text) == expected)
    }

    @Test func comparesStringsAndMixesIntegersWithDoublesNumerically() throws {
        #expect(try eval("s == 'US'") == true)
        #expect(try eval(#"s != "US""#) == false)
        #expect(try eval("s < 'ZZ'") == true)
        #expect(try eval("a == 2.0") == true)
        #expect(try eval("s == 1") == false)
    }

    @Test func fallsBackToDoublesOnIntegerOverflow() throws {
        #expect(try eval("9223372036854775807 + 1") == .double(9_223_372_036_854_775_808))
    }

    @Test func rejectsOperandsOfTheWrongTypeWhenEvaluated() {
        #expect(throws: ServingError.invalidInput("'*' needs numbers, got string and integer")) { try eval("s * 2") }
        #expect(throws: ServingError.invalidInput("'and' needs booleans, got integer and boolean")) {
            try eval("a and true")
        }
        #expect(throws: ServingError.invalidInput("cannot compare string with integer using '<'")) { try eval("s < 1") }
    }

    @Test(arguments: [
        ("amount / )", 10, "expected an operand, got ')'"),
        ("(a + b", 7, "expected ')', got end of expression"),
        ("a + ", 5, "expected an operand, got end of expression"),
        ("a $ b", 3, "unexpected character '$'"),
        ("a = b", 3, "unexpected '=' (did you mean '=='?)"),
        ("a b", 3, "unexpected 'b' after a complete expression"),
        ("foo(a)", 1, "unknown function 'foo' (known: log, abs, sqrt, exp, min, max)"),
        ("log(a, b)", 1, "log takes 1 argument, got 2"),
        ("max()", 1, "max takes 1 or more arguments, got 0"),
        ("'open", 1, "unterminated string"),
        ("user. x", 5, "a field path cannot end with '.'"),
        ("1e", 1, "malformed number '1e'"),
        ("a and or b", 7, "expected an operand, got 'or'"),
        ("a < b < c", 7, "comparisons cannot be chained; use 'and' to combine them"),
    ])
    func reportsTheCharacterPositionOfAParseError(text: String, position: Int, reason: String) {
        #expect(throws: ExpressionError(position: position, reason: reason)) { try ExpressionParser.parse(text) }
    }

    @Test func describesAParseErrorWithItsPosition() {
        #expect("\(ExpressionError(position: 4, reason: "oops"))" == "at character 4: oops")
    }
}
