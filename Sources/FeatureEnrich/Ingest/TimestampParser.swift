import ServingGraph

/// Converts event timestamps to epoch milliseconds, as `shared/oracle/README.md` defines them.
///
/// ISO 8601 `YYYY-MM-DDTHH:MM[:SS[.fff]]` (a space may replace `T`; `,` may replace `.`) followed by `Z`,
/// `±HH:MM`, `±HHMM`, `±HH` or nothing (= UTC); sub-millisecond digits are dropped (floor). A plain decimal
/// number (`1767225600`, `1767225600.5`) is epoch seconds. `2026-01-01T02:00:00+02:00` is
/// `2026-01-01T00:00:00Z` = 1767225600000.
public enum TimestampParser {
    /// Epoch milliseconds of `text` (surrounding blanks ignored).
    public static func epochMilliseconds(_ text: String) throws(ValueParseError) -> Int64 {
        let parsed = text.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(ValueParseError) in try epochMilliseconds(utf8: bytes, text: text) }
        }
        if let parsed { return try parsed.get() }
        return try Array(text.utf8).withUnsafeBufferPointer { bytes in
            Result { () throws(ValueParseError) in try epochMilliseconds(utf8: bytes, text: text) }
        }.get()
    }

    /// Epoch milliseconds of the UTF-8 `bytes` of `text` (named in errors), read in place: blanks (space, tab,
    /// CR, LF) at either end are skipped.
    static func epochMilliseconds(utf8 bytes: UnsafeBufferPointer<UInt8>, text: String) throws(ValueParseError)
        -> Int64
    {
        var start = 0
        var end = bytes.count
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if let first = trimmed.first, trimmed.count < 10 || trimmed[4] != UInt8(ascii: "-"),
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || isDigit(first) || first == UInt8(ascii: ".")
        {
            return try epochSeconds(trimmed, text: text)
        }
        return try iso8601(trimmed, text: text)
    }

    // MARK: - Epoch seconds

    private static func epochSeconds(_ bytes: UnsafeBufferPointer<UInt8>, text: String) throws(ValueParseError) -> Int64
    {
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var seconds: Int64 = 0
        var integerDigits = 0
        while index < bytes.count, isDigit(bytes[index]) {
            seconds = seconds * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
            integerDigits += 1
            index += 1
            // 10^12 s is about 31,700 years: beyond every plausible event time, and far from overflow.
            guard integerDigits <= 12 else {
                throw .unparsableTimestamp(text: text, reason: "epoch seconds out of range")
            }
        }
        var millis: Int64 = 0
        var fractionDigits = 0
        var droppedNonZero = false
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) {
                let digit = Int64(bytes[index] - UInt8(ascii: "0"))
                if fractionDigits < 3 { millis = millis * 10 + digit } else if digit != 0 { droppedNonZero = true }
                fractionDigits += 1
                index += 1
            }
        }
        guard index == bytes.count, integerDigits + fractionDigits > 0 else {
            throw .unparsableTimestamp(text: text, reason: "expected ISO 8601 or epoch seconds")
        }
        for _ in fractionDigits..<max(fractionDigits, 3) { millis *= 10 }
        let magnitude = seconds * 1000 + millis
        // Floor, as for ISO timestamps: -0.0005 s is -1 ms.
        return negative ? -magnitude - (droppedNonZero ? 1 : 0) : magnitude
    }

    // MARK: - ISO 8601

    private static func iso8601(_ bytes: UnsafeBufferPointer<UInt8>, text: String) throws(ValueParseError) -> Int64 {
        var reader = DigitReader(bytes: bytes)
        let shape = "expected YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM|±HHMM|±HH]"
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
            let day = reader.number(2), reader.skip("T") || reader.skip(" "), let hour = reader.number(2),
            reader.skip(":"), let minute = reader.number(2)
        else { throw .unparsableTimestamp(text: text, reason: shape) }
        var second: Int64 = 0
        var millis: Int64 = 0
        if reader.skip(":") {
            guard let value = reader.number(2) else { throw .unparsableTimestamp(text: text, reason: shape) }
            second = value
            if reader.skip(".") || reader.skip(",") {
                var digits = 0
                while let digit = reader.digit() {
                    if digits < 3 { millis = millis * 10 + digit }
                    digits += 1
                }
                guard digits > 0 else { throw .unparsableTimestamp(text: text, reason: shape) }
                for _ in digits..<max(digits, 3) { millis *= 10 }
            }
        }
        var offsetMinutes: Int64 = 0
        if reader.skip("Z") || reader.skip("z") {
        } else if let sign = reader.sign() {
            guard let hours = reader.number(2) else { throw .unparsableTimestamp(text: text, reason: shape) }
            var minutes: Int64 = 0
            let colon = reader.skip(":")
            if let value = reader.number(2) {
                minutes = value
            } else if colon {
                throw .unparsableTimestamp(text: text, reason: shape)
            }
            guard hours <= 23, minutes <= 59 else {
                throw .unparsableTimestamp(text: text, reason: "UTC offset out of range")
            }
            offsetMinutes = sign * (hours * 60 + minutes)
        }
        guard reader.atEnd else { throw .unparsableTimestamp(text: text, reason: shape) }
        guard year >= 1, (1...12).contains(month), day >= 1,
            day <= CivilTime.daysIn(month: Int(month), year: Int(year)), hour <= 23,
            minute <= 59, second <= 59
        else { throw .unparsableTimestamp(text: text, reason: "date or time out of range") }
        let days = Int64(CivilTime.days(year: Int(year), month: Int(month), day: Int(day)))
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1000 + millis
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n")
    }

    /// A cursor over ASCII bytes for fixed-width fields.
    private struct DigitReader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func digit() -> Int64? {
            guard index < bytes.count, TimestampParser.isDigit(bytes[index]) else { return nil }
            defer { index += 1 }
            return Int64(bytes[index] - UInt8(ascii: "0"))
        }

        /// Exactly `width` digits, or `nil` (consuming nothing).
        mutating func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + width] {
                guard TimestampParser.isDigit(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += width
            return value
        }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func sign() -> Int64? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
