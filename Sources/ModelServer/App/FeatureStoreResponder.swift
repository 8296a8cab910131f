import FeatureEnrich
import ServingGraph

/// Answers the feature-store endpoints (DESIGN.md, "HTTP surface") for one event loop; ``ServerResponder``
/// delegates to it.
///
/// - `GET /v2/feature-sets[/{set}]`, `GET /v2/feature-vectors[/{vec}]`: the catalog (``CatalogResponder``).
/// - `POST /v2/feature-vectors/{vec}/offline`: point-in-time training rows (``OfflineVectorResponder``).
/// - `POST /v2/feature-sets/{set}/ingest`: a JSON event or an array of events; `{"ingested": N}` once they
///   are committed, all in one transaction (a pending response: the loop never waits), 404 for an unknown
///   set, 400 naming the bad field (nothing of the request is ingested then). With an `X-Event-Id` header
///   seen within the horizon (24 h) the first answer is repeated and nothing is ingested twice (409 while
///   the first request with that id is still in flight).
/// - `GET /v2/feature-sets/{set}/entities/{key}[?at=...][&features=a,b]`: the entity's plain features and
///   aggregation columns as `{"feature_set", "key", "at", "features": {...}}`; `at` is epoch milliseconds or an
///   ISO 8601 time (default now); `key` is the entity value, or the values separated by `,` for a compound
///   key (percent-encoded); 404 when the entity was never ingested. For debugging and tests.
///
/// Loop-confined like its owner; the store it calls is thread-safe.
final class FeatureStoreResponder {
    private let store: (any OnlineStore)?
    private let offline: OfflineVectorResponder
    private let catalog: CatalogResponder

    /// A responder over `store` (nil: no feature sets configured, every set is unknown) serving point-in-time
    /// training rows of `vectors` from the store's file.
    init(store: (any OnlineStore)?, vectors: [FeatureVectorDefinition] = []) {
        self.store = store
        offline = OfflineVectorResponder(storePath: (store as? SQLiteOnlineStore)?.path, vectors: vectors)
        catalog = CatalogResponder(storePath: (store as? SQLiteOnlineStore)?.path, vectors: vectors)
    }

    /// The answer to a feature-store `endpoint` with its path `captures`.
    func respond(to endpoint: ServerEndpoint, captures: [Substring], request: HTTPRequest) -> HTTPResponderResult {
        do {
            switch endpoint {
            case .featureSets:
                return catalog.featureSets(named: nil)
            case .featureSet:
                return catalog.featureSets(named: try Self.decoded(captures, 0))
            case .featureVectors:
                return catalog.featureVectors(named: nil)
            case .featureVector:
                return catalog.featureVectors(named: try Self.decoded(captures, 0))
            case .featureSetIngest:
                return try ingest(
                    into: Self.decoded(captures, 0), body: request.body, eventID: request.headers["X-Event-Id"])
            case .featureSetEntity:
                return .response(try entity(Self.decoded(captures, 0), key: Self.decoded(captures, 1), request.query))
            case .featureVectorOffline:
                return try offline.respond(vector: Self.decoded(captures, 0), body: request.body)
            default:
                throw RoutingError.noRoute(method: request.method.name, path: request.path)
            }
        } catch {
            return .response(ErrorResponse.response(for: error))
        }
    }

    private func ingest(into name: String, body: [UInt8], eventID: String?) throws -> HTTPResponderResult {
        guard let store else { throw OnlineStoreError.unknownFeatureSet(name: name) }
        let parsed = try JSONParser.parse(body)
        let events: [Value]
        if case .array(let array) = parsed { events = array } else { events = [parsed] }
        let pending = HTTPPendingResponse()
        try store.ingest(events, into: name, eventID: eventID) { result in
            switch result {
            case .success(let count):
                pending.complete(.json(.ok, JSONWriter.bytes(["ingested": .int(Int64(count))])))
            case .failure(let error):
                pending.complete(ErrorResponse.response(for: error))
            }
        }
        return .pending(pending)
    }

    private func entity(_ name: String, key text: String, _ query: String?) throws -> HTTPResponse {
        guard let store, let definition = store.featureSets.first(where: { $0.name == name }) else {
            throw OnlineStoreError.unknownFeatureSet(name: name)
        }
        let parameters = try FeatureStoreQuery(query)
        let key = try EntityKey(text: text, featureSet: definition)
        guard let row = try store.read(featureSet: name, key: key, features: parameters.features, at: parameters.at)
        else { throw FeatureStoreRequestError.entityNotFound(featureSet: name, key: text) }
        var body = ValueObject(minimumCapacity: 4)
        body["feature_set"] = .string(name)
        body["key"] = .string(text)
        body["at"] = parameters.at.map { .int($0) } ?? .null
        body["features"] = .object(row)
        return .json(.ok, JSONWriter.bytes(.object(body)))
    }

    private static func decoded(_ captures: [Substring], _ index: Int) throws -> String {
        guard index < captures.count else { throw FeatureStoreRequestError.badPath }
        return try FeatureStoreQuery.percentDecoded(captures[index])
    }
}

@available(*, unavailable)
extension FeatureStoreResponder: Sendable {}
