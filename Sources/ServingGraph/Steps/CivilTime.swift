/// A wall-clock date and time as written in a timestamp (its own UTC offset kept), with the
/// calendar arithmetic ``DateExtractorStep`` needs (proleptic Gregorian, as pandas uses); the feature store's
/// timestamp parsing and RFC 3339 formatting share the calendar functions.
package struct CivilTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int = 0
    var minute: Int = 0
    var second: Int = 0
    var microsecond: Int = 0

    /// Parses `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH[:MM]]`; the parts are those written
    /// (local to the given offset, as pandas reports them). `nil` when malformed.
    init?(iso8601 text: String) {
        var reader = DigitReader(bytes: Array(text.utf8))
        guard let y = reader.number(digits: 4), reader.skip(UInt8(ascii: "-")),
            let m = reader.number(digits: 2), reader.skip(UInt8(ascii: "-")),
            let d = reader.number(digits: 2), (1...12).contains(m), d >= 1, d <= CivilTime.daysIn(month: m, year: y)
        else { return nil }
        (year, month, day) = (y, m, d)
        if reader.skip(UInt8(ascii: "T")) || reader.skip(UInt8(ascii: " ")) {
            guard let h = reader.number(digits: 2), reader.skip(UInt8(ascii: ":")), let mi = reader.number(digits: 2),
                h < 24, mi < 60
            else { return nil }
            (hour, minute) = (h, mi)
            if reader.skip(UInt8(ascii: ":")) {
                guard let s = reader.number(digits: 2), s < 61 else { return nil }
                second = s
                if reader.skip(UInt8(ascii: ".")) || reader.skip(UInt8(ascii: ",")) {
                    var scale = 100_000
                    var digits = 0
                    while let digit = reader.digit() {
                        microsecond += digit * scale
                        scale /= 10
                        digits += 1
                    }
                    guard digits > 0 else { return nil }
                }
            }
        }
        // The offset only says which zone the parts are in; they are reported as written.
        if reader.skip(UInt8(ascii: "Z")) {
        } else if reader.skip(UInt8(ascii: "+")) || reader.skip(UInt8(ascii: "-")) {
            guard reader.number(digits: 2) != nil else { return nil }
            _ = reader.skip(UInt8(ascii: ":"))
            _ = reader.number(digits: 2)
        }
        guard reader.atEnd else { return nil }
    }

    /// The UTC time `seconds` after the Unix epoch.
    init(epochSeconds seconds: Double) {
        let whole = seconds.rounded(.down)
        let days = Int((whole / 86_400).rounded(.down))
        var rest = Int(whole - Double(days) * 86_400)
        (year, month, day) = CivilTime.civil(fromDays: days)
        hour = rest / 3600
        rest %= 3600
        minute = rest / 60
        second = rest % 60
        microsecond = Int(((seconds - whole) * 1_000_000).rounded(.down))
    }

    /// Whether `year` has a 29 February.
    package static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    /// The number of days of `month` (1–12) in `year`.
    package static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    package static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Monday = 0 ... Sunday = 6 (pandas' `dayofweek`).
    var dayOfWeek: Int {
        CivilTime.weekday(days: CivilTime.days(year: year, month: month, day: day))
    }

    /// 1-based day of the year.
    var dayOfYear: Int {
        CivilTime.days(year: year, month: month, day: day) - CivilTime.days(year: year, month: 1, day: 1) + 1
    }

    /// Monday = 0 for a day count since 1970-01-01 (a Thursday).
    static func weekday(days: Int) -> Int { ((days % 7) + 7 + 3) % 7 }

    var quarter: Int { (month - 1) / 3 + 1 }

    /// ISO 8601 week number (pandas' `week`).
    var isoWeek: Int {
        let week = (dayOfYear - (dayOfWeek + 1) + 10) / 7
        if week < 1 { return CivilTime.isoWeeks(in: year - 1) }
        if week > CivilTime.isoWeeks(in: year) { return 1 }
        return week
    }

    private static func isoWeeks(in year: Int) -> Int {
        let jan1 = weekday(days: days(year: year, month: 1, day: 1))
        return jan1 == 3 || (jan1 == 2 && isLeap(year)) ? 53 : 52
    }
}

/// Reads fixed-width decimal fields from ASCII bytes.
private struct DigitReader {
    let bytes: [UInt8]
    var offset = 0

    var atEnd: Bool { offset == bytes.count }

    mutating func digit() -> Int? {
        guard offset < bytes.count, bytes[offset] >= 48, bytes[offset] <= 57 else { return nil }
        offset += 1
        return Int(bytes[offset - 1] - 48)
    }

    mutating func number(digits: Int) -> Int? {
        var value = 0
        for _ in 0..<digits {
            guard let d = digit() else { return nil }
            value = value * 10 + d
        }
        return value
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard offset < bytes.count, bytes[offset] == byte else { return false }
        offset += 1
        return true
    }
}
