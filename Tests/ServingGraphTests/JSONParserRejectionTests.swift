import Testing
import ServingGraph

/// Bytes that are not JSON (JSONTestSuite's n_ cases), with a name for the test report.
struct RejectedJSON: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]

    init(_ name: String, _ text: String) {
        self.name = name
        bytes = Array(text.utf8)
    }

    init(_ name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    var testDescription: String { name }
}

struct JSONParserRejectionTests {
    static let rejected: [RejectedJSON] = [
        .init("empty input", ""),
        .init("whitespace only", " \n\t"),
        .init("trailing comma in array", "[1,]"),
        .init("double comma in array", "[1,,2]"),
        .init("leading comma in array", "[,1]"),
        .init("trailing comma in object", #"{"a":1,}"#),
        .init("comma only object", "{,}"),
        .init("single-quoted key", "{'a':1}"),
        .init("single-quoted string", "['a']"),
        .init("unquoted key", "{a:1}"),
        .init("numeric key", "{1:1}"),
        .init("missing colon", #"{"a" 1}"#),
        .init("missing member value", #"{"a":}"#),
        .init("key without value", #"{"a"}"#),
        .init("key without value after member", #"{"a":1,"b"}"#),
        .init("missing comma between members", #"{"a":1 "b":2}"#),
        .init("missing comma between elements", "[1 2]"),
        .init("colon in array", #"["a":1]"#),
        .init("line comment", "[1] // comment"),
        .init("block comment", "/* comment */ [1]"),
        .init("hash comment", "[1]#"),
        .init("NaN", "NaN"),
        .init("NaN in array", "[NaN]"),
        .init("Infinity", "Infinity"),
        .init("negative Infinity", "[-Infinity]"),
        .init("leading zero", "[01]"),
        .init("negative leading zero", "[-01]"),
        .init("bare fraction", "[.5]"),
        .init("dot without fraction digits", "[1.]"),
        .init("dot before exponent", "[1.e1]"),
        .init("exponent without digits", "[1e]"),
        .init("signed exponent without digits", "[1e+]"),
        .init("fraction in exponent", "[1e1.5]"),
        .init("plus sign", "[+1]"),
        .init("minus alone", "-"),
        .init("minus in array", "[-]"),
        .init("space after minus", "[- 1]"),
        .init("hex number", "[0x10]"),
        .init("space inside number", "[1 000]"),
        .init("double out of range", "[1e400]"),
        .init("lone high surrogate", #"["\uD800"]"#),
        .init("swapped surrogates", #"["\uDC00\uD800"]"#),
        .init("lone low surrogate", #"["\uDC00"]"#),
        .init("high surrogate then ASCII escape", #"["\uD800\u0041"]"#),
        .init("two high surrogates", #"["\uD800\uD800"]"#),
        .init("high surrogate then raw text", #"["\uD800abc"]"#),
        .init("invalid escape x", #"["\x"]"#),
        .init("invalid escape a", #"["\a"]"#),
        .init("escaped single quote", #"["\'"]"#),
        .init("short unicode escape", #"["\u12"]"#),
        .init("non-hex unicode escape", #"["\u12G4"]"#),
        .init("unterminated string", #"["a"#),
        .init("unterminated escape", #"["\"#),
        .init("raw tab in string", "[\"a\tb\"]"),
        .init("raw newline in string", "[\"a\nb\"]"),
        .init("raw NUL in string", "[\"a\u{0}b\"]"),
        .init("raw 0x1F in string", "[\"\u{1F}\"]"),
        .init("invalid UTF-8 byte FF", bytes: Array(#"[""#.utf8) + [0xFF] + Array(#""]"#.utf8)),
        .init("overlong slash C0 AF", bytes: Array(#"[""#.utf8) + [0xC0, 0xAF] + Array(#""]"#.utf8)),
        .init("overlong three bytes E0 80 AF", bytes: Array(#"[""#.utf8) + [0xE0, 0x80, 0xAF] + Array(#""]"#.utf8)),
        .init("encoded surrogate ED A0 80", bytes: Array(#"[""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""]"#.utf8)),
        .init("above U+10FFFF F4 90 80 80", bytes: Array(#"[""#.utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(#""]"#.utf8)),
        .init("truncated sequence E4 B8", bytes: Array(#"[""#.utf8) + [0xE4, 0xB8] + Array(#""]"#.utf8)),
        .init("lone continuation byte", bytes: Array(#"[""#.utf8) + [0x80] + Array(#""]"#.utf8)),
        .init("invalid UTF-8 in key", bytes: Array(#"{""#.utf8) + [0xFE] + Array(#"":1}"#.utf8)),
        .init("byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array("[]".utf8)),
        .init("truncated true", "tru"),
        .init("capitalised True", "[True]"),
        .init("truncated null", "nul"),
        .init("overlong null", "[nulll]"),
        .init("extra closing bracket", "[1]]"),
        .init("unclosed array", "[[1]"),
        .init("extra closing brace", #"{"a":1}}"#),
        .init("two documents", "[1] [2]"),
        .init("vertical tab as whitespace", "[\u{B}1]"),
        .init("form feed as whitespace", "[1\u{C}]"),
        .init("no-break space as whitespace", "[\u{A0}1]"),
        .init("NUL outside string", "[\u{0}]"),
        .init("unclosed array after comma", "[1,"),
        .init("unclosed object", #"{"a":1"#),
        .init("mismatched brackets", #"{"a":1]"#),
        .init("array closed by brace", "[1}"),
        .init("bare word", "hello"),
        .init("undefined", "[undefined]"),
    ]

    @Test(arguments: rejected)
    func rejectsInvalidDocument(_ sample: RejectedJSON) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(sample.bytes) }
    }

    /// Every proper prefix of an object document is incomplete, so each one must be rejected.
    static let sampleDocument =
        #"{"id":"1","inputs":[{"name":"x","shape":[1,4],"data":[0.1,-2.5e3,true,false,null,"\u00e9\n😀"]}],"o":{}}"#

    @Test(arguments: 0..<Array(sampleDocument.utf8).count)
    func rejectsDocumentTruncatedAtEveryPosition(_ length: Int) {
        let prefix = Array(Array(Self.sampleDocument.utf8)[..<length])
        #expect(throws: JSONParseError.self) { try JSONParser.parse(prefix) }
    }

    @Test func acceptsTheUntruncatedSampleDocument() throws {
        let parsed = try JSONParser.parse(Self.sampleDocument)
        #expect(parsed["inputs"]?.arrayValue?.first?["data"]?.arrayValue?.count == 6)
    }

    // MARK: - Offsets and reasons

    @Test func reportsMissingCommaInObjectWithOffsetAndReason() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(#"{"a":1,"b":[true] "c":2}"#) }
        #expect(error?.offset == 18)
        #expect(error?.description == "invalid JSON at byte 18: expected ',' or '}' after object member")
    }

    @Test func reportsTrailingCommaAtTheClosingBracket() {
        #expect(throws: JSONParseError(offset: 3, reason: "expected a value")) { try JSONParser.parse("[1,]") }
    }

    @Test func reportsEmptyInputAtOffsetZero() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse("") }
        #expect(error?.offset == 0)
    }

    @Test func reportsLeadingZeroAtTheSecondDigit() {
        #expect(throws: JSONParseError(offset: 2, reason: "leading zeros are not allowed in numbers")) {
            try JSONParser.parse("[01]")
        }
    }

    @Test func reportsInvalidUTF8AtTheBadByte() {
        let bytes: [UInt8] = Array(#"["ab"#.utf8) + [0xED, 0xA0, 0x80] + Array(#""]"#.utf8)
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
        #expect(error?.offset == 5)
    }

    @Test func reportsLoneSurrogateAtItsEscape() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(#"["x\uDC00"]"#) }
        #expect(error?.offset == 3)
        #expect(error?.reason.contains("surrogate") == true)
    }

    @Test func reportsTrailingGarbageAfterTheValue() {
        #expect(throws: JSONParseError(offset: 4, reason: "unexpected data after the JSON value")) {
            try JSONParser.parse("[1] x")
        }
    }

    @Test func reportsPrematureEndAtTheInputLength() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(#"{"a":"#) }
        #expect(error?.offset == 5)
    }
}
