import FeatureEnrich
import Testing

/// ISO 8601 and epoch-seconds timestamps → epoch milliseconds (`shared/oracle/README.md`, "Input").
struct TimestampParserTests {
    /// 2026-01-01T00:00:00Z.
    static let newYear: Int64 = 1_767_225_600_000

    @Test(
        arguments: [
            ("2026-01-01T00:00:00Z", newYear), ("2026-01-01T00:00:00z", newYear), ("2026-01-01T00:00:00", newYear),
            ("2026-01-01T00:00", newYear), ("2026-01-01 00:00:00", newYear), ("2026-01-01T02:00:00+02:00", newYear),
            ("2026-01-01T02:00:00+0200", newYear), ("2026-01-01T02:00:00+02", newYear),
            ("2025-12-31T22:30:00-01:30", newYear), ("2025-12-31T19:00-0500", newYear),
            ("2025-12-31T21:00-03", newYear),
            ("2026-01-01T00:00:00+00:00", newYear), ("2026-01-01T00:00:00.123Z", newYear + 123),
            ("2026-01-01T00:00:00.1Z", newYear + 100), ("2026-01-01T00:00:00.123999+00:00", newYear + 123),
            ("2026-01-01T00:00:00,5", newYear + 500), ("  2026-01-01T00:00:00Z ", newYear),
            ("1970-01-01T00:00:00Z", 0), ("1969-12-31T23:59:59.999Z", -1), ("2024-02-29T00:00:00Z", 1_709_164_800_000),
            ("1767225600", newYear), ("1767225600.5", newYear + 500), ("1767225600.1239", newYear + 123), ("0", 0),
            ("-1.5", -1_500), ("-0.0005", -1), ("\t1767225600\r\n", newYear), ("2026-01-01T00:00:00Z\n", newYear),
        ] as [(String, Int64)])
    func parsesEveryAcceptedForm(text: String, expected: Int64) throws {
        #expect(try TimestampParser.epochMilliseconds(text) == expected)
    }

    @Test(arguments: [
        "", "2026-01-01", "2026-1-01T00:00:00Z", "2026-01-01T0:00:00Z", "2026-01-01T00:00:00ZZ", "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", "2026-01-32T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+2", "2026-01-01T00:00:00+02:",
        "2026-01-01T00:00:00+24:00", "2026-01-01t00:00:00Z", "yesterday", "1e9", "12.5x", "--1", "0000-01-01T00:00:00Z",
        "9999999999999999", " \t\r\n", "2026-01-01T00:00:00Zé", "é1767225600", "1767225600 5",
    ])
    func rejectsEverythingElse(text: String) {
        #expect(throws: ValueParseError.self) { try TimestampParser.epochMilliseconds(text) }
    }

    @Test func errorNamesTheText() {
        #expect(throws: ValueParseError.self) { try TimestampParser.epochMilliseconds("soon") }
        do {
            _ = try TimestampParser.epochMilliseconds("2026-02-30T00:00:00Z")
        } catch {
            #expect(error.description == "unparsable timestamp '2026-02-30T00:00:00Z' (date or time out of range)")
        }
    }
}
