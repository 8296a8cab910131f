import FeatureEnrich
import Testing

/// Event values: decimal numbers, empty = no value, everything else an error.
struct IngestNumberParserTests {
    @Test(
        arguments: [
            ("12.5", 12.5), ("-3", -3), ("1e3", 1000), ("1E-2", 0.01), (".5", 0.5), ("5.", 5), ("+7", 7), (" 4 ", 4),
            ("0", 0), ("-0.25", -0.25),
        ] as [(String, Double)])
    func parsesDecimalNumbers(text: String, expected: Double) throws {
        #expect(try NumberParser.double(text) == expected)
    }

    @Test(arguments: ["", "  ", "\t"])
    func emptyCellIsNoValue(text: String) throws {
        #expect(try NumberParser.double(text) == nil)
    }

    @Test(arguments: [
        "12.5x", "nan", "NaN", "inf", "-inf", "Infinity", "0x10", "1e", "e5", ".", "-", "1_000", "1,5", "--1",
    ])
    func rejectsWhatIsNotADecimalNumber(text: String) {
        #expect(throws: ValueParseError.unparsableNumber(text: text)) { try NumberParser.double(text) }
    }

    @Test func rejectsNumbersTooLargeToBeFinite() {
        #expect(throws: ValueParseError.nonFiniteNumber(text: "1e999")) { try NumberParser.double("1e999") }
    }

    @Test func parsesIntegersAndBooleansForPlainFeatures() throws {
        #expect(try NumberParser.int64("-42") == -42)
        #expect(throws: ValueParseError.self) { try NumberParser.int64("4.2") }
        #expect(try NumberParser.bool("TRUE") == true)
        #expect(try NumberParser.bool("0") == false)
        #expect(throws: ValueParseError.self) { try NumberParser.bool("yes") }
    }
}
