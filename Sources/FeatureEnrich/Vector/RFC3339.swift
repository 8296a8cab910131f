/// Formats epoch milliseconds as RFC 3339 UTC text (`2026-11-24T05:00:00Z`, `…:00.250Z` with milliseconds),
/// as Feast writes event timestamps.
public enum RFC3339 {
    /// The RFC 3339 text of `epochMilliseconds` (UTC, `Z`; fractional digits only when not whole seconds).
    public static func string(epochMilliseconds: Int64) -> String {
        let (seconds, milliseconds) = epochMilliseconds.quotientAndRemainder(dividingBy: 1000)
        var wholeSeconds = seconds
        var fraction = milliseconds
        if fraction < 0 {
            fraction += 1000
            wholeSeconds -= 1
        }
        let (days, secondOfDay) = floorDivision(wholeSeconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        let hour = secondOfDay / 3600
        let minute = (secondOfDay % 3600) / 60
        let second = secondOfDay % 60
        var text = "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T"
        text += "\(padded(hour, 2)):\(padded(minute, 2)):\(padded(second, 2))"
        if fraction != 0 { text += ".\(padded(fraction, 3))" }
        return text + "Z"
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        var (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        if remainder < 0 {
            remainder += divisor
            quotient -= 1
        }
        return (quotient, remainder)
    }

    /// Howard Hinnant's days-from-civil inverse: proleptic Gregorian date of `days` since 1970-01-01.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
