import FeatureEnrich
import ServingGraph

/// Writes the `/get-online-features` answer straight to JSON bytes:
/// `{"metadata":{"feature_names":[...]},"results":[{"values":[...],"statuses":[...],"event_timestamps":[...]},...]}`,
/// join keys first (PRESENT, epoch 0), then the features in request order.
///
/// The same bytes as building the answer as a ``Value`` tree and writing it, without the tree: names come
/// pre-encoded from the cached ``FeastReadPlan``, statuses are constants and event times are formatted in place.
struct FeastResponseWriter {
    private var bytes: [UInt8] = []
    /// The last event time written and its quoted text (a row's features of one set share one time).
    private var lastTime: (milliseconds: Int64, text: [UInt8])?

    /// An empty answer with room for `rowCount` rows of `plan`.
    private init(plan: FeastReadPlan, rowCount: Int) {
        bytes.reserveCapacity(128 + (plan.columns.count + plan.joinKeys.count) * (96 + rowCount * 48))
    }

    /// The answer: `keyColumns[i]` is the request's column of join key `i` of `plan`; `cells[j]` are the rows'
    /// cells of the plan's column `j`.
    static func body(
        plan: FeastReadPlan, fullNames: Bool, keyColumns: [[Value]], cells: [[FeatureCell]], rowCount: Int
    ) -> [UInt8] {
        var writer = FeastResponseWriter(plan: plan, rowCount: rowCount)
        writer.append(#"{"metadata":{"feature_names":["#)
        var first = true
        for name in plan.joinKeyJSON {
            writer.separator(&first)
            writer.bytes.append(contentsOf: name)
        }
        for column in plan.columns {
            writer.separator(&first)
            writer.bytes.append(contentsOf: fullNames ? column.fullNameJSON : column.nameJSON)
        }
        writer.append(#"]},"results":["#)
        first = true
        for values in keyColumns {
            writer.separator(&first)
            writer.append(#"{"values":"#)
            JSONWriter.write(.array(values), into: &writer.bytes)
            writer.append(#","statuses":["#)
            writer.repeated(#""PRESENT""#, count: rowCount)
            writer.append(#"],"event_timestamps":["#)
            writer.repeated(#""1970-01-01T00:00:00Z""#, count: rowCount)
            writer.append("]}")
        }
        for column in cells {
            writer.separator(&first)
            writer.append(#"{"values":"#)
            JSONWriter.write(.array(column.map(\.value)), into: &writer.bytes)
            writer.append(#","statuses":["#)
            var firstCell = true
            for cell in column {
                writer.separator(&firstCell)
                writer.append(cell.status)
            }
            writer.append(#"],"event_timestamps":["#)
            firstCell = true
            for cell in column {
                writer.separator(&firstCell)
                writer.appendTime(cell.eventTime ?? 0)
            }
            writer.append("]}")
        }
        writer.append("]}")
        return writer.bytes
    }

    private mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `milliseconds` as a quoted RFC 3339 string, copying the previous text when the time repeats.
    private mutating func appendTime(_ milliseconds: Int64) {
        if let lastTime, lastTime.milliseconds == milliseconds {
            bytes.append(contentsOf: lastTime.text)
            return
        }
        var text: [UInt8] = [UInt8(ascii: "\"")]
        text.reserveCapacity(RFC3339.maxLength + 2)
        RFC3339.append(epochMilliseconds: milliseconds, to: &text)
        text.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: text)
        lastTime = (milliseconds, text)
    }

    private mutating func separator(_ first: inout Bool) {
        if first { first = false } else { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func repeated(_ text: StaticString, count: Int) {
        var first = true
        for _ in 0..<count {
            separator(&first)
            append(text)
        }
    }

    private mutating func append(_ status: FeatureCell.Status) {
        switch status {
        case .present: append(#""PRESENT""#)
        case .nullValue: append(#""NULL_VALUE""#)
        case .notFound: append(#""NOT_FOUND""#)
        case .outsideMaxAge: append(#""OUTSIDE_MAX_AGE""#)
        }
    }
}
