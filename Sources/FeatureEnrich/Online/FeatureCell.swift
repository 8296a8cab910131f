public import ServingGraph

/// One feature value of one entity as served online, with Feast's status and its event time.
public struct FeatureCell: Sendable, Equatable {
    /// Feast's `FieldStatus` of a served value.
    public enum Status: String, Sendable, Equatable {
        /// The entity has a current value.
        case present = "PRESENT"
        /// The entity exists but has no value for the feature (never observed, or an empty window).
        case nullValue = "NULL_VALUE"
        /// The entity was never ingested.
        case notFound = "NOT_FOUND"
        /// The value is older than the feature set's `ttl` (the value is still filled in, as Feast's Go server).
        case outsideMaxAge = "OUTSIDE_MAX_AGE"
    }

    /// The value (`null` when not found or not observed; the stale value when outside max age).
    public var value: Value
    /// Why the value is what it is.
    public var status: Status
    /// Event time of the value, epoch milliseconds (nil when unknown).
    public var eventTime: Int64?

    /// A cell from its parts.
    public init(value: Value, status: Status, eventTime: Int64? = nil) {
        self.value = value
        self.status = status
        self.eventTime = eventTime
    }

    /// The cell of an entity that was never ingested.
    public static let notFound = FeatureCell(value: .null, status: .notFound)
}
