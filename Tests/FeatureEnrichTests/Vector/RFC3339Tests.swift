import FeatureEnrich
import Foundation
import Testing

/// `RFC3339.string` and `RFC3339.append` against Foundation's ISO 8601 formatter (UTC, milliseconds only when
/// the time is not a whole second).
struct RFC3339Tests {
    private static func foundationText(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if milliseconds % 1000 != 0 { formatter.formatOptions.insert(.withFractionalSeconds) }
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    @Test(arguments: [
        Int64(0), 1, 250, 999, 1_000, 59_999, 86_399_999, 951_782_400_000, 951_868_799_500, 1_764_028_800_000,
        1_795_564_800_123, 4_102_444_799_999, -1, -1_000, -86_400_001, -2_208_988_800_000,
    ])
    func formatsAsFoundationsISO8601FormatterDoes(milliseconds: Int64) {
        #expect(RFC3339.string(epochMilliseconds: milliseconds) == Self.foundationText(milliseconds))
    }

    @Test func appendWritesTheSameTextAfterWhatTheBufferHolds() {
        var bytes = Array("at ".utf8)
        RFC3339.append(epochMilliseconds: 1_795_564_800_123, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "at " + Self.foundationText(1_795_564_800_123))
        #expect(bytes.count - 3 <= RFC3339.maxLength)
    }
}
