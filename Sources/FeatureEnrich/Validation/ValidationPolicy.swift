import ServingGraph

/// What the store does with an event that fails a feature validator (`"validation_policy"` of a feature set).
///
/// The default is ``reject`` whenever validators are declared: a validator states what the data must be, and a
/// feature store that silently writes (``warn``) or rewrites (``dropFeature``) data that contradicts it turns
/// a visible client error into invisible training/serving skew. Refusing keeps the store exactly as trustworthy
/// as the declaration, tells the producer at once which row and field is wrong, and is the only policy that
/// loses nothing irreversibly (the producer can fix and resend; a dropped value is gone). Sets that prefer
/// availability opt into `warn` or `drop_feature` explicitly.
public enum ValidationPolicy: String, Sendable, Hashable, CaseIterable {
    /// The event (and its whole request or file) is refused: nothing is written; the error names row and field.
    case reject
    /// The event is written unchanged; the violation is counted and logged at most once per interval.
    case warn
    /// The event is written with the violating feature set to null (aggregations skip it); counted.
    case dropFeature = "drop_feature"
}

extension ValidationPolicy {
    /// Decodes `validation_policy` (absent or null: ``reject``).
    static func decode(_ value: Value?, path: String) throws(FeatureSetError) -> ValidationPolicy {
        guard let value, !value.isNull else { return .reject }
        guard case .string(let text) = value else {
            throw .wrongType(path: path, expected: "a string", got: value.typeName)
        }
        guard let policy = ValidationPolicy(rawValue: text) else { throw .unknownPolicy(path: path, name: text) }
        return policy
    }
}
