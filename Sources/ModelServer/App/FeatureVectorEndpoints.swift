import FeatureEnrich
import ServingGraph

/// Answers `POST /v2/feature-vectors/{vector}/online` from the vectors declared in the service file.
///
/// Body: `{"entity_rows": [{"customer_id": 7}, ...], "as_list": false}`, or a bare array of rows, or one row
/// object. A row is an object of entity key columns, or an array of values in the vector's `entity_keys`
/// order. Answer 200:
/// `{"vector": "fraud-vector", "features": ["amount_avg_1h", ...], "results": [{...} | [...] | null, ...]}`:
/// one result per row, in order, `null` for an entity found in none of the vector's sets (see
/// ``OnlineFeatureService``). 404 for an unknown vector, 400 naming `entity_rows[i].<key>` for a missing or
/// mistyped key.
final class FeatureVectorEndpoints: Sendable {
    private let services: [String: OnlineFeatureService]

    /// Endpoints over the given services (by vector name).
    init(services: [String: OnlineFeatureService]) {
        self.services = services
    }

    /// The answer for vector `name` with request `body`.
    func online(vector name: String, body: [UInt8]) -> HTTPResponse {
        do {
            guard let service = services[name] else { throw OnlineFeatureError.unknownVector(name: name) }
            let parsed = try JSONParser.parse(body)
            var rows: [Value]
            var asList = false
            switch parsed {
            case .array(let array):
                rows = array
            case .object(let object) where object["entity_rows"] != nil:
                guard let array = object["entity_rows"]?.arrayValue else {
                    throw OnlineFeatureError.badRequest(path: "entity_rows", reason: "expected an array of rows")
                }
                rows = array
                if let flag = object["as_list"], !flag.isNull {
                    guard case .bool(let value) = flag else {
                        throw OnlineFeatureError.badRequest(path: "as_list", reason: "expected a boolean")
                    }
                    asList = value
                }
            default:
                rows = [parsed]
            }
            let results = try service.get(rows, asList: asList)
            var answer = ValueObject(minimumCapacity: 3)
            answer["vector"] = .string(name)
            answer["features"] = .array(service.vector.columns.map { .string($0.name) })
            answer["results"] = .array(results)
            return .json(.ok, JSONWriter.bytes(.object(answer)))
        } catch {
            return ErrorResponse.response(for: error)
        }
    }
}
