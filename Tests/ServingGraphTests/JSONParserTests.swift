import Testing
import ServingGraph

/// A JSON text that must parse to `expected` (JSONTestSuite's y_ cases).
struct AcceptedJSON: Sendable, CustomTestStringConvertible {
    let text: String
    let expected: Value
    var testDescription: String { text }
}

struct JSONParserTests {
    static let accepted: [AcceptedJSON] = [
        .init(text: "[]", expected: []),
        .init(text: "{}", expected: .object(ValueObject())),
        .init(text: " \t\r\n[ 1 , 2 ]\n\t ", expected: [1, 2]),
        .init(text: #"{ "a" : [ ] , "b" : { } }"#, expected: ["a": [], "b": .object(ValueObject())]),
        .init(text: "true", expected: true),
        .init(text: "false", expected: false),
        .init(text: "null", expected: nil),
        .init(text: #""""#, expected: ""),
        .init(text: #""\"\\\/\b\f\n\r\t""#, expected: "\"\\/\u{8}\u{C}\n\r\t"),
        .init(text: #""\u0041\u00e9\u4E2D""#, expected: "Aé中"),
        .init(text: #""\uD83D\uDE00""#, expected: "😀"),
        .init(text: #""\ud834\udd1e""#, expected: "𝄞"),
        .init(text: #""\u0000""#, expected: "\u{0}"),
        .init(text: #""\uFFFF""#, expected: "\u{FFFF}"),
        .init(text: "\"é中😀\u{7F}\"", expected: "é中😀\u{7F}"),
        .init(text: #""a\u0022b""#, expected: "a\"b"),
        .init(text: "0", expected: .int(0)),
        .init(text: "-0", expected: .int(0)),
        .init(text: "-0.0", expected: .double(-0.0)),
        .init(text: "0.0", expected: .double(0.0)),
        .init(text: "-12", expected: .int(-12)),
        .init(text: "9223372036854775807", expected: .int(.max)),
        .init(text: "-9223372036854775808", expected: .int(.min)),
        .init(text: "9223372036854775808", expected: .double(9_223_372_036_854_775_808)),
        .init(text: "-9223372036854775809", expected: .double(-0x1p63)),
        .init(text: "123456789012345678901234567890", expected: .double(1.2345678901234568e29)),
        .init(text: "1e2", expected: .double(100)),
        .init(text: "1E2", expected: .double(100)),
        .init(text: "1e+2", expected: .double(100)),
        .init(text: "1e-2", expected: .double(0.01)),
        .init(text: "0e0", expected: .double(0)),
        .init(text: "0.1", expected: .double(0.1)),
        .init(text: "0.30000000000000004", expected: .double(0.30000000000000004)),
        .init(text: "-1.5e300", expected: .double(-1.5e300)),
        .init(text: "5e-324", expected: .double(.leastNonzeroMagnitude)),
        .init(text: "2.2250738585072014e-308", expected: .double(.leastNormalMagnitude)),
        .init(text: "1.7976931348623157e308", expected: .double(.greatestFiniteMagnitude)),
        .init(text: "1e-400", expected: .double(0)),
        .init(text: "0.000001234", expected: .double(0.000001234)),
        .init(text: "1.00000000000000000000001", expected: .double(1)),
        .init(text: #"{"a":1,"b":2,"a":3}"#, expected: ["a": 3, "b": 2]),
        .init(text: #"{"a":[1,{"b":null}],"c":"d"}"#, expected: ["a": [1, ["b": nil]], "c": "d"]),
        .init(text: #"[[[]],[{}],"x",-1.25]"#, expected: [[[]], [.object(ValueObject())], "x", -1.25]),
    ]

    @Test(arguments: accepted)
    func parsesValidDocumentToExpectedValue(_ sample: AcceptedJSON) throws {
        let parsed = try JSONParser.parse(sample.text)
        #expect(bitwiseEqual(parsed, sample.expected), "\(parsed) != \(sample.expected)")
    }

    @Test(arguments: accepted)
    func parsesTheSameFromBytesAndRawBuffer(_ sample: AcceptedJSON) throws {
        let bytes = Array(sample.text.utf8)
        let fromBytes = try JSONParser.parse(bytes)
        let fromBuffer = try bytes.withUnsafeBytes { buffer throws(JSONParseError) in try JSONParser.parse(buffer) }
        #expect(bitwiseEqual(fromBytes, sample.expected))
        #expect(bitwiseEqual(fromBuffer, sample.expected))
    }

    @Test func keepsFirstPositionAndLastValueForDuplicateKeys() throws {
        let parsed = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(parsed.objectValue?.keys == ["a", "b"])
        #expect(parsed["a"] == 3)
    }

    @Test func keepsManyMembersInDocumentOrder() throws {
        let keys = (0..<40).map { "k\(($0 * 7) % 40)" }
        let text = "{" + keys.enumerated().map { "\"\($1)\":\($0)" }.joined(separator: ",") + "}"
        let parsed = try JSONParser.parse(text)
        #expect(parsed.objectValue?.keys == keys)
        #expect(parsed["k7"] == 1)
    }

    @Test func keepsFirstPositionAndLastValueForDuplicatesInLargeObjects() throws {
        let members = (0..<20).map { "\"k\($0)\":\($0)" } + ["\"k3\":\"last\"", "\"k19\":null"]
        let parsed = try JSONParser.parse("{" + members.joined(separator: ",") + "}")
        #expect(parsed.objectValue?.keys == (0..<20).map { "k\($0)" })
        #expect(parsed["k3"] == "last")
        #expect(parsed["k19"] == .null)
        #expect(parsed["k4"] == 4)
    }

    // MARK: - Depth

    @Test func accepts512NestedArraysByDefault() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var value = try JSONParser.parse(text)
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            value = elements.first ?? .null
        }
        #expect(depth == 512)
    }

    @Test func rejects513NestedArraysAtTheOffendingBracket() {
        let text = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONParseError(offset: 512, reason: "nesting deeper than 512 levels")) {
            try JSONParser.parse(text)
        }
    }

    @Test func rejects513NestedObjects() {
        let text = String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        let shallow = String(repeating: #"{"a":"#, count: 512) + "1" + String(repeating: "}", count: 512)
        #expect(throws: Never.self) { try JSONParser.parse(shallow) }
    }

    @Test func honoursACustomDepthLimit() {
        #expect(throws: Never.self) { try JSONParser.parse("[[1]]", maxDepth: 2) }
        #expect(throws: JSONParseError(offset: 2, reason: "nesting deeper than 2 levels")) {
            try JSONParser.parse("[[{}]]", maxDepth: 2)
        }
    }

    // MARK: - Numbers

    @Test func readsDecimalsExactlyAsTheStandardLibraryDoes() throws {
        var random = JSONTestRandom(seed: 42)
        for _ in 0..<5000 {
            let digits = (0..<Int.random(in: 1...22, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }
            var text = (Bool.random(using: &random) ? "-" : "") + String(Int.random(in: 1...9, using: &random))
            let split = Int.random(in: 0...digits.count, using: &random)
            text += digits[..<split].joined()
            if split < digits.count { text += "." + digits[split...].joined() }
            if Bool.random(using: &random) { text += "e\(Int.random(in: -40...40, using: &random))" }
            let expected = try #require(Double(text))
            let parsed = try JSONParser.parse(text)
            switch parsed {
            case .double(let number): #expect(number.bitPattern == expected.bitPattern, "\(text)")
            case .int(let integer): #expect(Double(integer) == expected && !text.contains("."), "\(text)")
            default: Issue.record("\(text) parsed as \(parsed)")
            }
        }
    }
}
