/// A window, period or TTL length as storey's `parse_duration` accepts it: a positive integer followed by exactly
/// one unit `s`, `m`, `h` or `d` (`30s`, `10m`, `1h`, `1d`). Nothing else (`1h30m`, `1.5h`, `1w`) is a duration.
///
/// The text is kept as written because output feature names use it (`amount_sum_24h`, not `amount_sum_1d`).
public struct FeatureDuration: Sendable, Hashable, CustomStringConvertible {
    /// The duration as written in the feature set (`"10m"`).
    public let text: String
    /// The length in milliseconds.
    public let milliseconds: Int64

    /// Parses `text`; `nil` when it is not a positive integer followed by one of `s`, `m`, `h`, `d`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, let unit = bytes.last else { return nil }
        let unitMilliseconds: Int64
        switch unit {
        case UInt8(ascii: "s"): unitMilliseconds = 1_000
        case UInt8(ascii: "m"): unitMilliseconds = 60_000
        case UInt8(ascii: "h"): unitMilliseconds = 3_600_000
        case UInt8(ascii: "d"): unitMilliseconds = 86_400_000
        default: return nil
        }
        var amount: Int64 = 0
        for byte in bytes.dropLast() {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = amount.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            amount = next
        }
        let (total, overflow) = amount.multipliedReportingOverflow(by: unitMilliseconds)
        // Cap at about 290 years so bucket arithmetic on epoch milliseconds never overflows.
        guard amount > 0, !overflow, total <= FeatureDuration.maximumMilliseconds else { return nil }
        self.text = text
        self.milliseconds = total
    }

    /// Longest accepted duration (10^13 ms, about 317 years): keeps every bucket computation inside `Int64`.
    public static let maximumMilliseconds: Int64 = 10_000_000_000_000

    /// The text as written.
    public var description: String { text }
}
