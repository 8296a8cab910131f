/// Why the online store refused or failed an operation; every case names its feature set.
public enum OnlineStoreError: Error, Equatable, CustomStringConvertible {
    /// No feature set of that name is registered with the store.
    case unknownFeatureSet(name: String)
    /// A requested feature is neither a plain feature nor an aggregation column of the set.
    case unknownFeature(featureSet: String, name: String)
    /// Event `index` of a request cannot be ingested (nothing of the request was ingested).
    case badEvent(featureSet: String, index: Int, FeatureEventError)
    /// Event `index` of a request fails a validator of a set whose policy is `reject` (nothing was ingested).
    case rejectedEvent(featureSet: String, index: Int, ValidationViolation)
    /// The stored definition differs from the one given at open, and no rebuild was asked for.
    case definitionChanged(name: String, differences: [String])
    /// The same feature-set name was given twice at open.
    case duplicateFeatureSet(name: String)
    /// The `feature_sets` row of `name` cannot be read back as a definition.
    case storedDefinitionUnreadable(name: String, reason: String)
    /// Rebuilding `name` from the event log failed at event-log row `seq` (nothing was changed).
    case rebuildFailed(name: String, seq: Int64, reason: String)
    /// A stored entity state cannot be decoded for its feature set.
    case corruptState(featureSet: String, key: String, reason: String)
    /// A request with this event id is still being ingested; retry once it has been answered.
    case eventInFlight(id: String)
    /// An earlier write of the same entity failed; this update was built on it and is refused too.
    case precedingWriteFailed(featureSet: String, key: String)

    /// A message naming the feature set and the problem.
    public var description: String {
        switch self {
        case .unknownFeatureSet(let name):
            "unknown feature set '\(name)'"
        case .unknownFeature(let featureSet, let name):
            "feature set '\(featureSet)' has no feature '\(name)'"
        case .badEvent(let featureSet, let index, let error):
            "feature set '\(featureSet)': event \(index): \(error)"
        case .rejectedEvent(let featureSet, let index, let violation):
            "feature set '\(featureSet)': event \(index) rejected: \(violation)"
        case .definitionChanged(let name, let differences):
            "feature set '\(name)' differs from the stored definition (\(differences.joined(separator: "; "))); "
                + "start with --rebuild to recompute its state from the event log"
        case .duplicateFeatureSet(let name):
            "feature set '\(name)' is given twice"
        case .storedDefinitionUnreadable(let name, let reason):
            "stored definition of feature set '\(name)' is unreadable: \(reason)"
        case .rebuildFailed(let name, let seq, let reason):
            "cannot rebuild feature set '\(name)' from the event log (row \(seq)): \(reason)"
        case .corruptState(let featureSet, let key, let reason):
            "stored state of entity \(key) in feature set '\(featureSet)' is unreadable: \(reason)"
        case .eventInFlight(let id):
            "event id '\(id)' is being ingested by another request; retry"
        case .precedingWriteFailed(let featureSet, let key):
            "an earlier write of entity \(key) in feature set '\(featureSet)' failed; retry"
        }
    }
}
