public import ServingGraph

/// A feature vector: an ordered list of features taken from one or more feature sets, as MLRun defines it.
///
/// ```json
/// {"name": "fraud-vector",
///  "features": ["transactions.amount_avg_1h", "accounts.*", "accounts.age as account_age"],
///  "label_feature": "transactions.is_fraud",
///  "entity_keys": ["account_id"],
///  "impute_policy": {"*": "$mean", "amount_max_1h": 0}}
/// ```
///
/// `set.feature` takes one plain feature or aggregation column (`amount_avg_1h`) of `set`; `set.*` takes
/// every plain feature, then every aggregation column of the set, in definition order; `as` renames the
/// output column. Output columns keep the declared order. Resolve against the declared feature sets with
/// ``resolve(featureSets:)`` before use: unknown sets and features are load-time errors.
public struct FeatureVectorDefinition: Sendable, Hashable {
    /// Vector name (used in `/v2/feature-vectors/{name}/...`).
    public let name: String
    /// Features in declared order.
    public let features: [FeatureReference]
    /// The label column for training sets (`set.feature`); never part of the online vector.
    public let labelFeature: FeatureReference?
    /// Entity key columns a request supplies; `nil` = the entity columns of the referenced sets, in order.
    public let entityKeys: [String]?
    /// Imputing rules: output column (or `*`) to a constant or `$mean`, `$min`, `$max`, `$count`, `$std`.
    public let imputePolicy: ValueObject

    /// A vector from its parts.
    public init(
        name: String, features: [FeatureReference], labelFeature: FeatureReference? = nil,
        entityKeys: [String]? = nil, imputePolicy: ValueObject = ValueObject()
    ) {
        self.name = name
        self.features = features
        self.labelFeature = labelFeature
        self.entityKeys = entityKeys
        self.imputePolicy = imputePolicy
    }
}
