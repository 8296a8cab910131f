/// Counters and latency distribution of one open-loop run, and their printed forms.
struct OpenLoopReport {
    /// Requests whose scheduled time came and that were handed to a connection.
    var sent = 0
    /// Responses received, whatever their status.
    var completed = 0
    /// Responses with a status outside 200...299.
    var non2xx = 0
    /// Requests lost to a closed or broken connection or an unparseable response.
    var connectionErrors = 0
    /// Requests still unanswered when the drain timeout ran out.
    var unfinished = 0
    /// Times a connection was re-opened after the server closed it or sent garbage.
    var reconnects = 0
    /// Why the last connection was re-opened, for the summary; `nil` if none was.
    var lastConnectionError: String?
    /// Nanoseconds from the first scheduled send to the last response (or to the end of the schedule).
    var elapsedNanoseconds: UInt64 = 0
    /// Latency of every completed request, measured from its scheduled send time.
    var latency = LatencyHistogram()
    /// How late each request was handed to the socket compared with its schedule (generator health).
    var sendLag = LatencyHistogram()

    /// Non-2xx responses, connection errors and unfinished requests together.
    var errors: Int { non2xx + connectionErrors + unfinished }

    /// Completed responses per second of elapsed time.
    var achievedRate: Double {
        elapsedNanoseconds == 0 ? 0 : Double(completed) / (Double(elapsedNanoseconds) / 1e9)
    }

    /// The human-readable summary followed by the one `RESULT ...` line scripts parse.
    func render(configuration: OpenLoopConfiguration) -> String {
        let percentiles: [(String, Double)] = [("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9)]
        let microseconds = percentiles.map { ($0.0, Self.microseconds(latency.value(atPercentile: $0.1))) }
        let max = Self.microseconds(latency.maximum)
        var lines = [
            "target           \(configuration.method) http://\(configuration.url.host):\(configuration.url.port)"
                + "\(configuration.url.path)",
            "schedule         \(Self.fixed(configuration.rate, 1)) req/s for \(Self.fixed(configuration.duration, 1)) s"
                + " over \(configuration.connections) connections",
            "requests sent    \(sent)",
            "completed        \(completed)",
            "errors           \(errors) (non-2xx \(non2xx), connection \(connectionErrors), unfinished \(unfinished);"
                + " reconnects \(reconnects))",
            "achieved rate    \(Self.fixed(achievedRate, 1)) req/s",
            "latency (µs, from scheduled send time)  "
                + microseconds.map { "\($0.0) \($0.1)" }.joined(separator: "  ") + "  max \(max)"
                + "  mean \(Self.fixed(latency.mean / 1000, 1))",
            "send lag (µs)    p50 \(Self.microseconds(sendLag.value(atPercentile: 50)))"
                + "  p99 \(Self.microseconds(sendLag.value(atPercentile: 99)))"
                + "  max \(Self.microseconds(sendLag.maximum))",
        ]
        if let lastConnectionError { lines.append("last reconnect   \(lastConnectionError)") }
        let fields = microseconds.map { "\($0.0)_us=\($0.1)" }.joined(separator: " ")
        lines.append(
            "RESULT rate=\(Self.fixed(achievedRate, 1)) \(fields) max_us=\(max) sent=\(sent) completed=\(completed)"
                + " errors=\(errors)")
        return lines.joined(separator: "\n")
    }

    /// Nanoseconds as microseconds with one decimal.
    static func microseconds(_ nanoseconds: UInt64) -> String {
        fixed(Double(nanoseconds) / 1000, 1)
    }

    /// `value` with exactly `decimals` digits after the point (no Foundation needed).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        let whole = scaled / Int64(scale)
        guard decimals > 0 else { return "\(sign)\(whole)" }
        let fraction = String(scaled % Int64(scale))
        return "\(sign)\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
