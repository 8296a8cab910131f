import Glibc

/// The `Date` field (RFC 9110 §6.6.1: an origin server with a clock must send one), formatted as an
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) at most once per second per loop, without Foundation.
///
/// Loop-confined: each loop keeps its own and refreshes it once per wake-up.
struct HTTPDateCache {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Date: <IMF-fixdate>\r\n`, ready to append to a response head.
    private(set) var field: [UInt8] = []
    private var second: Int = -1

    /// A cache holding the current time.
    init() {
        refresh()
    }

    /// Reformats the field when the wall-clock second changed since the last call.
    mutating func refresh() {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        guard Int(now.tv_sec) != second else { return }
        second = Int(now.tv_sec)
        field = Self.format(epochSeconds: now.tv_sec)
    }

    /// `Date: <IMF-fixdate>\r\n` for `epochSeconds`.
    static func format(epochSeconds: Int) -> [UInt8] {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = "Date: " + days[Int(parts.tm_wday) % 7] + ", " + pad(Int(parts.tm_mday)) + " "
        text += months[Int(parts.tm_mon) % 12] + " " + String(Int(parts.tm_year) + 1900) + " "
        text += pad(Int(parts.tm_hour)) + ":" + pad(Int(parts.tm_min)) + ":" + pad(Int(parts.tm_sec)) + " GMT\r\n"
        return Array(text.utf8)
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}
