public import ServingGraph

/// The checks declared for one feature in the feature-set file, under `features[i].validators`:
///
/// ```json
/// {"name": "amount", "type": "double",
///  "validators": {"min": 0, "max": 1e6, "not_null": true, "max_age": "7d"}}
/// ```
///
/// - `min`, `max`: inclusive bounds of a numeric (double, int64) value.
/// - `allowed`: the only values accepted, of the feature's own type (strings, numbers or booleans).
/// - `not_null`: an event must carry a value for the feature.
/// - `max_age`: the event timestamp may be at most this old relative to the time the store received the event
///   (an MLRun/storey duration: `30s`, `10m`, `1h`, `7d`); checked on events that carry the feature.
///
/// `min`, `max`, `allowed` and `max_age` pass an absent value: absence is `not_null`'s concern.
public struct FeatureValidators: Sendable, Hashable {
    /// Smallest accepted value (inclusive).
    public var min: Double?
    /// Largest accepted value (inclusive).
    public var max: Double?
    /// The accepted values; nil = any.
    public var allowed: [Value]?
    /// True when an event must carry a value.
    public var notNull: Bool
    /// Oldest accepted event timestamp, relative to the receive time.
    public var maxAge: FeatureDuration?

    /// Validators from their parts; all default to "not checked".
    public init(
        min: Double? = nil, max: Double? = nil, allowed: [Value]? = nil, notNull: Bool = false,
        maxAge: FeatureDuration? = nil
    ) {
        self.min = min
        self.max = max
        self.allowed = allowed
        self.notNull = notNull
        self.maxAge = maxAge
    }

    /// True when nothing is checked.
    public var isEmpty: Bool { min == nil && max == nil && allowed == nil && !notNull && maxAge == nil }

    /// The validators in the feature-set file format (only those declared).
    public var jsonValue: Value {
        var object = ValueObject(minimumCapacity: 5)
        if let min { object["min"] = .double(min) }
        if let max { object["max"] = .double(max) }
        if let allowed { object["allowed"] = .array(allowed) }
        if notNull { object["not_null"] = .bool(true) }
        if let maxAge { object["max_age"] = .string(maxAge.text) }
        return .object(object)
    }

    /// One canonical line fragment for the definition identity (declared validators only, fixed order).
    var canonicalText: String {
        var parts: [String] = []
        if let min { parts.append("min=\(min)") }
        if let max { parts.append("max=\(max)") }
        if let allowed { parts.append("allowed=\(JSONWriter.string(.array(allowed)))") }
        if notNull { parts.append("not_null") }
        if let maxAge { parts.append("max_age=\(maxAge.text)") }
        return parts.joined(separator: ";")
    }
}
