import ServingGraph

/// Formats epoch milliseconds as RFC 3339 UTC text (`2026-11-24T05:00:00Z`, `…:00.250Z` with milliseconds),
/// as Feast writes event timestamps.
public enum RFC3339 {
    /// The RFC 3339 text of `epochMilliseconds` (UTC, `Z`; fractional digits only when not whole seconds).
    public static func string(epochMilliseconds: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(maxLength)
        append(epochMilliseconds: epochMilliseconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Longest text ``append(epochMilliseconds:to:)`` writes for years 0000–9999 (`2026-11-24T05:00:00.250Z`).
    public static let maxLength = 24

    /// Appends the RFC 3339 text of `epochMilliseconds` to `bytes` as ``string(epochMilliseconds:)`` spells it,
    /// composed in a stack buffer and appended once (a served vector formats one per cell).
    public static func append(epochMilliseconds: Int64, to bytes: inout [UInt8]) {
        let (seconds, milliseconds) = epochMilliseconds.quotientAndRemainder(dividingBy: 1000)
        var wholeSeconds = seconds
        var fraction = milliseconds
        if fraction < 0 {
            fraction += 1000
            wholeSeconds -= 1
        }
        let (days, secondOfDay) = floorDivision(wholeSeconds, 86_400)
        let (year, month, day) = RFC3339.civil(fromDays: days)
        guard (0...9999).contains(year) else {
            // Outside four-digit years: the general, padded-digits path.
            appendDigits(year, width: 4, to: &bytes)
            appendTail(month, day, secondOfDay, fraction, to: &bytes)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { text in
            let value = Int(year)
            text[0] = digit(value / 1000)
            text[1] = digit(value / 100 % 10)
            text[2] = digit(value / 10 % 10)
            text[3] = digit(value % 10)
            bytes.append(contentsOf: UnsafeBufferPointer(text))
        }
        appendTail(month, day, secondOfDay, fraction, to: &bytes)
    }

    /// `-MM-DDTHH:MM:SS[.mmm]Z`, written into a stack buffer and appended at once.
    private static func appendTail(
        _ month: Int64, _ day: Int64, _ secondOfDay: Int64, _ fraction: Int64, to bytes: inout [UInt8]
    ) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { text in
            var count = 0
            func put(_ byte: UInt8) {
                text[count] = byte
                count += 1
            }
            func putTwo(_ value: Int64) {
                put(digit(Int(value / 10)))
                put(digit(Int(value % 10)))
            }
            put(UInt8(ascii: "-"))
            putTwo(month)
            put(UInt8(ascii: "-"))
            putTwo(day)
            put(UInt8(ascii: "T"))
            putTwo(secondOfDay / 3600)
            put(UInt8(ascii: ":"))
            putTwo((secondOfDay % 3600) / 60)
            put(UInt8(ascii: ":"))
            putTwo(secondOfDay % 60)
            if fraction != 0 {
                put(UInt8(ascii: "."))
                put(digit(Int(fraction / 100)))
                putTwo(fraction % 100)
            }
            put(UInt8(ascii: "Z"))
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<count]))
        }
    }

    private static func digit(_ value: Int) -> UInt8 {
        UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        if remainder < 0 {
            remainder += divisor
            quotient -= 1
        }
        return (quotient, remainder)
    }

    /// The proleptic Gregorian date of `days` since 1970-01-01 (``CivilTime/civil(fromDays:)``).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let (year, month, day) = CivilTime.civil(fromDays: Int(days))
        return (Int64(year), Int64(month), Int64(day))
    }

    /// Appends `value` in decimal, left-padded with zeros to `width` characters as `String(value)` padded would
    /// be (the sign of a year before 0 counts in the width).
    private static func appendDigits(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        let magnitude = value.magnitude
        var digitCount = 1
        var power: UInt64 = 1
        while digitCount < 19, magnitude / power >= 10 {
            power *= 10
            digitCount += 1
        }
        let length = digitCount + (value < 0 ? 1 : 0)
        for _ in length..<max(length, width) { bytes.append(UInt8(ascii: "0")) }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        while power > 0 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: (magnitude / power) % 10))
            power /= 10
        }
    }
}
