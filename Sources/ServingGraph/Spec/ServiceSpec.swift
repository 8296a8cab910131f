/// A service file: the graph plus the sections later modules read
/// (`{"graph": {...}, "feature_sets": [...], "feature_vectors": [...], "store": {...}, "models": ...}`).
///
/// Only `graph` is interpreted here; the other sections are kept as raw ``Value``s for
/// `FeatureEnrich` and `ModelServer` to decode.
public struct ServiceSpec: Sendable, Equatable {
    /// The serving graph (`graph`).
    public var graph: GraphSpec
    /// `feature_sets`, when present.
    public var featureSets: Value?
    /// `feature_vectors`, when present.
    public var featureVectors: Value?
    /// `store`, when present.
    public var store: Value?
    /// `models`, when present.
    public var models: Value?
    /// The whole file, for sections this version does not know.
    public var raw: ValueObject

    /// Parses a service file's top-level object.
    public init(_ value: Value) throws(GraphError) {
        guard let object = value.objectValue else {
            throw .invalidSpec(path: "$", reason: "expected an object, got \(value.typeName)")
        }
        guard let graphValue = object["graph"] else {
            throw .invalidSpec(path: "graph", reason: "missing required section")
        }
        graph = try GraphSpec(graphValue, path: "graph")
        featureSets = object["feature_sets"]
        featureVectors = object["feature_vectors"]
        store = object["store"]
        models = object["models"]
        raw = object
    }
}

extension ServiceSpec {
    /// Parses a service file from JSON text.
    public init(json: String) throws(GraphError) {
        let value: Value
        do {
            value = try JSONParser.parse(json)
        } catch {
            throw .invalidSpec(path: "$", reason: "not valid JSON: \(error)")
        }
        try self.init(value)
    }
}
