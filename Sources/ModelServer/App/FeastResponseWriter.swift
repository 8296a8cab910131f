import FeatureEnrich
import ServingGraph

/// Writes the `/get-online-features` answer straight to JSON bytes:
/// `{"metadata":{"feature_names":[...]},"results":[{"values":[...],"statuses":[...],"event_timestamps":[...]},...]}`,
/// join keys first (PRESENT, epoch 0), then the features in request order.
///
/// The same bytes as building the answer as a ``Value`` tree and writing it, without the tree: the start comes
/// pre-written from the cached ``FeastReadPlan``, punctuation and statuses are literals merged where they meet
/// (each append costs a call), values are written one by one from the request's columns and the cells, and an
/// event time is formatted once while it repeats.
struct FeastResponseWriter: ~Copyable {
    /// An event time and its quoted RFC 3339 text, kept while the next cells have the same time (a row's
    /// features of one set share one time; a store loaded in one batch shares one across rows and requests).
    struct FormattedTime: Sendable {
        /// Epoch milliseconds.
        let milliseconds: Int64
        /// `"…Z"`, quotes included.
        let text: [UInt8]
        /// `,"…Z"`: the text after an earlier element.
        let separatedText: [UInt8]

        /// The text of `milliseconds`.
        init(_ milliseconds: Int64) {
            var text: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\"")]
            text.reserveCapacity(RFC3339.maxLength + 3)
            RFC3339.append(epochMilliseconds: milliseconds, to: &text)
            text.append(UInt8(ascii: "\""))
            self.milliseconds = milliseconds
            self.separatedText = text
            self.text = Array(text.dropFirst())
        }
    }

    private var writer: JSONTokenWriter
    /// The last event time written (a caller's, from an earlier answer, at first).
    private var lastTime: FormattedTime?

    private init(plan: FeastReadPlan, rowCount: Int, lastTime: FormattedTime?) {
        writer = JSONTokenWriter(capacity: 128 + (plan.columns.count + plan.joinKeys.count) * (96 + rowCount * 48))
        self.lastTime = lastTime
    }

    /// The answer to `request` read through `plan`: `keyColumns[k]` is the position in `request.entities` of the
    /// plan's join key `k`; `cells` holds each row's cells (`plan.cellOffsets` places column `j` in a row).
    /// `lastTime` is a time formatted before and comes back as the last one this answer wrote.
    static func body(
        request: FeastOnlineRequest, plan: FeastReadPlan, keyColumns: [Int], cells: [FeatureCell],
        lastTime: inout FormattedTime?
    ) -> [UInt8] {
        let rowCount = request.rowCount
        var output = FeastResponseWriter(plan: plan, rowCount: rowCount, lastTime: lastTime)
        output.writer.raw(request.fullNames ? plan.head.fullNames : plan.head.plain)
        var first = true
        for position in keyColumns {
            output.writer.raw(first ? #"{"values":["# : #"},{"values":["#)
            first = false
            output.values(request.entities[position].values)
            if rowCount == 1 {
                output.writer.raw(#"],"statuses":["PRESENT"],"event_timestamps":["1970-01-01T00:00:00Z"]"#)
            } else {
                output.writer.raw(#"],"statuses":["#)
                output.repeated(#""PRESENT""#, count: rowCount)
                output.writer.raw(#"],"event_timestamps":["#)
                output.repeated(#""1970-01-01T00:00:00Z""#, count: rowCount)
                output.writer.raw("]")
            }
        }
        let stride = plan.columns.count
        for offset in plan.cellOffsets {
            output.writer.raw(first ? #"{"values":["# : #"},{"values":["#)
            first = false
            for row in 0..<rowCount {
                if row > 0 { output.writer.raw(UInt8(ascii: ",")) }
                output.writer.value(cells[row &* stride &+ offset].value)
            }
            for row in 0..<rowCount {
                output.append(cells[row &* stride &+ offset].status, first: row == 0)
            }
            if rowCount == 0 { output.writer.raw(#"],"statuses":["#) }
            output.writer.raw(#"],"event_timestamps":["#)
            for row in 0..<rowCount {
                output.appendTime(cells[row &* stride &+ offset].eventTime ?? 0, first: row == 0)
            }
            output.writer.raw("]")
        }
        output.writer.raw(first ? "]}" : "}]}")
        lastTime = output.lastTime
        return output.writer.bytes()
    }

    /// Appends `values`, comma-separated.
    private mutating func values(_ values: [Value]) {
        var first = true
        for value in values {
            if first { first = false } else { writer.raw(UInt8(ascii: ",")) }
            writer.value(value)
        }
    }

    /// Appends `milliseconds` as a quoted RFC 3339 string (after a comma unless `first`), reusing the previous
    /// text when the time repeats.
    private mutating func appendTime(_ milliseconds: Int64, first: Bool) {
        let time: FormattedTime
        if let lastTime, lastTime.milliseconds == milliseconds {
            time = lastTime
        } else {
            time = FormattedTime(milliseconds)
            lastTime = time
        }
        writer.raw(first ? time.text : time.separatedText)
    }

    private mutating func repeated(_ text: StaticString, count: Int) {
        for index in 0..<count {
            if index > 0 { writer.raw(UInt8(ascii: ",")) }
            writer.raw(text)
        }
    }

    /// Appends `status`; the first closes the values and opens the statuses, the others follow a comma.
    private mutating func append(_ status: FeatureCell.Status, first: Bool) {
        switch (status, first) {
        case (.present, true): writer.raw(#"],"statuses":["PRESENT""#)
        case (.present, false): writer.raw(#","PRESENT""#)
        case (.nullValue, true): writer.raw(#"],"statuses":["NULL_VALUE""#)
        case (.nullValue, false): writer.raw(#","NULL_VALUE""#)
        case (.notFound, true): writer.raw(#"],"statuses":["NOT_FOUND""#)
        case (.notFound, false): writer.raw(#","NOT_FOUND""#)
        case (.outsideMaxAge, true): writer.raw(#"],"statuses":["OUTSIDE_MAX_AGE""#)
        case (.outsideMaxAge, false): writer.raw(#","OUTSIDE_MAX_AGE""#)
        }
    }
}
