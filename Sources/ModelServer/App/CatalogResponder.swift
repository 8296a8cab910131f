import Dispatch
import FeatureEnrich
import ServingGraph

/// Answers the catalog endpoints from the store file, off the event loop (counts scan the event log):
///
/// - `GET /v2/feature-sets`: `{"feature_sets": [entry...]}`; `GET /v2/feature-sets/{set}`: one entry, 404 when
///   unknown. An entry is ``FeatureSetCatalog/entry(named:)``: definition, hash, version history, row and
///   entity counts, first/last event time, last ingest time, statistics.
/// - `GET /v2/feature-vectors`: `{"feature_vectors": [...]}`; `GET /v2/feature-vectors/{vec}`: the vector's
///   name, entity keys, label and each feature resolved to its set (`{"name", "feature_set", "feature"}`).
final class CatalogResponder {
    private let storePath: String?
    private let vectors: [FeatureVectorDefinition]

    /// A responder over the store at `storePath` (nil: no store; empty catalog) and the served `vectors`.
    init(storePath: String?, vectors: [FeatureVectorDefinition]) {
        self.storePath = storePath
        self.vectors = vectors
    }

    /// The feature-set catalog, or one set's entry when `name` is given.
    func featureSets(named name: String?) -> HTTPResponderResult {
        answer { catalog throws -> Value in
            guard let name else { return ["feature_sets": .array(try catalog?.entries() ?? [])] }
            guard let entry = try catalog?.entry(named: name) else {
                throw OnlineStoreError.unknownFeatureSet(name: name)
            }
            return entry
        }
    }

    /// The served vectors resolved against the catalog, or one of them when `name` is given.
    func featureVectors(named name: String?) -> HTTPResponderResult {
        let vectors = self.vectors
        let storePath = self.storePath
        return answer { _ throws -> Value in
            let sets = try storePath.map { try OfflineStoreReader(path: $0).featureSets() } ?? []
            let described = try vectors.filter { name == nil || $0.name == name }.map {
                try Self.describe($0.resolve(featureSets: sets))
            }
            guard let name else { return ["feature_vectors": .array(described)] }
            guard let vector = described.first else { throw OfflineRequestError.unknownVector(name: name) }
            return vector
        }
    }

    private func answer(_ body: @escaping @Sendable (FeatureSetCatalog?) throws -> Value) -> HTTPResponderResult {
        let pending = HTTPPendingResponse()
        let storePath = self.storePath
        DispatchQueue.global().async {
            do {
                let catalog = try storePath.map { try FeatureSetCatalog(path: $0) }
                pending.complete(.json(.ok, JSONWriter.bytes(try body(catalog))))
            } catch {
                pending.complete(ErrorResponse.response(for: error))
            }
        }
        return .pending(pending)
    }

    private static func describe(_ vector: ResolvedFeatureVector) -> Value {
        let column = { (column: ResolvedFeatureVector.Column) -> Value in
            [
                "name": .string(column.name), "feature_set": .string(column.featureSet),
                "feature": .string(column.feature),
            ]
        }
        return [
            "name": .string(vector.definition.name), "entity_keys": .array(vector.entityKeys.map { .string($0) }),
            "features": .array(vector.columns.map(column)), "label": vector.label.map(column) ?? .null,
        ]
    }
}

@available(*, unavailable)
extension CatalogResponder: Sendable {}
