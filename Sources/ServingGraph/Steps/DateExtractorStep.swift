/// Adds date parts of a timestamp field as `<timestamp_col>_<part>` fields (MLRun's
/// `DateExtractor`, pandas part names). The timestamp is an ISO 8601 string (parts are read in
/// its own offset, as pandas does) or a number of seconds since the Unix epoch (UTC).
///
/// ```json
/// {"kind": "task", "class_name": "DateExtractor",
///  "class_args": {"parts": ["hour", "day_of_week"], "timestamp_col": "timestamp"}}
/// ```
/// `{"timestamp": "2026-01-01T00:06:16+00:00"}` gains `"timestamp_hour": 0, "timestamp_day_of_week": 3`.
///
/// Parts: `year month day hour minute second microsecond quarter day_of_week dayofweek weekday
/// day_of_year dayofyear days_in_month daysinmonth week weekofyear is_leap_year is_month_start
/// is_month_end is_quarter_start is_quarter_end is_year_start is_year_end`.
public struct DateExtractorStep: Step {
    /// The supported date parts.
    public static let supportedParts: Set<String> = [
        "year", "month", "day", "hour", "minute", "second", "microsecond", "quarter", "day_of_week", "dayofweek",
        "weekday", "day_of_year", "dayofyear", "days_in_month", "daysinmonth", "week", "weekofyear", "is_leap_year",
        "is_month_start", "is_month_end", "is_quarter_start", "is_quarter_end", "is_year_start", "is_year_end",
    ]

    /// The step's name in the graph.
    public let name: String
    /// Parts to add, in order.
    public let parts: [String]
    /// The timestamp field (`timestamp` by default, as in MLRun).
    public let timestampColumn: String

    /// A step adding `parts` of `timestampColumn`; unknown parts are a ``GraphError``.
    public init(name: String, parts: [String], timestampColumn: String = "timestamp") throws(GraphError) {
        for part in parts where !Self.supportedParts.contains(part) {
            throw .invalidArgument(path: "\(name).parts", reason: "unsupported date part '\(part)'")
        }
        self.name = name
        self.parts = parts
        self.timestampColumn = timestampColumn
    }

    /// Builds the step from `{"parts": [...], "timestamp_col": "timestamp"}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["parts", "timestamp_col"])
        guard let parts = try arguments.strings("parts") else {
            throw arguments.invalid("parts", "missing required argument")
        }
        for part in parts where !Self.supportedParts.contains(part) {
            throw arguments.invalid("parts", "unsupported date part '\(part)'")
        }
        try self.init(name: name, parts: parts, timestampColumn: try arguments.string("timestamp_col") ?? "timestamp")
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        var object = try event.bodyObject(for: name)
        let time: CivilTime
        switch object[timestampColumn] {
        case .string(let text)?:
            guard let parsed = CivilTime(iso8601: text) else {
                throw ServingError.invalidInput("step '\(name)': '\(timestampColumn)' is not an ISO 8601 timestamp")
            }
            time = parsed
        case .int(let seconds)?: time = CivilTime(epochSeconds: Double(seconds))
        case .double(let seconds)? where seconds.isFinite: time = CivilTime(epochSeconds: seconds)
        default:
            throw ServingError.invalidInput("step '\(name)': '\(timestampColumn)' does not exist in the event")
        }
        for part in parts { object["\(timestampColumn)_\(part)"] = Self.value(of: part, in: time) }
        return event.replacingBody(with: object)
    }

    static func value(of part: String, in t: CivilTime) -> Value {
        let lastDay = CivilTime.daysIn(month: t.month, year: t.year)
        switch part {
        case "year": return .int(Int64(t.year))
        case "month": return .int(Int64(t.month))
        case "day": return .int(Int64(t.day))
        case "hour": return .int(Int64(t.hour))
        case "minute": return .int(Int64(t.minute))
        case "second": return .int(Int64(t.second))
        case "microsecond": return .int(Int64(t.microsecond))
        case "quarter": return .int(Int64(t.quarter))
        case "day_of_week", "dayofweek", "weekday": return .int(Int64(t.dayOfWeek))
        case "day_of_year", "dayofyear": return .int(Int64(t.dayOfYear))
        case "days_in_month", "daysinmonth": return .int(Int64(lastDay))
        case "week", "weekofyear": return .int(Int64(t.isoWeek))
        case "is_leap_year": return .bool(CivilTime.isLeap(t.year))
        case "is_month_start": return .bool(t.day == 1)
        case "is_month_end": return .bool(t.day == lastDay)
        case "is_quarter_start": return .bool(t.day == 1 && t.month % 3 == 1)
        case "is_quarter_end": return .bool(t.day == lastDay && t.month % 3 == 0)
        case "is_year_start": return .bool(t.day == 1 && t.month == 1)
        case "is_year_end": return .bool(t.day == 31 && t.month == 12)
        default: return .null
        }
    }
}
