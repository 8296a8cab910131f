import Dispatch
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
///
/// With `"as_of"` (an RFC 3339 / ISO 8601 string or epoch seconds, as event times) the results are the vectors
/// as they were at that time, computed from the store's offline event log by the training set's code
/// (``OnlineFeatureService/get(_:asList:asOf:)``: not imputed, `null` for an entity with no event by then), on a
/// global queue behind a pending response; a bad `as_of` is a 400 naming it.
final class FeatureVectorEndpoints: Sendable {
    private let services: [String: OnlineFeatureService]

    /// Endpoints over the given services (by vector name).
    init(services: [String: OnlineFeatureService]) {
        self.services = services
    }

    /// The answer for vector `name` with request `body`.
    func online(vector name: String, body: [UInt8]) -> HTTPResponderResult {
        do {
            guard let service = services[name] else { throw OnlineFeatureError.unknownVector(name: name) }
            let parsed = try JSONParser.parse(body)
            var rows: [Value]
            var asList = false
            var asOf: Int64?
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
                if let time = object["as_of"], !time.isNull {
                    asOf = try FeatureEventDecoder.epochMilliseconds(time, field: "as_of")
                }
            default:
                rows = [parsed]
            }
            guard let asOf else { return .response(Self.answer(service, try service.get(rows, asList: asList))) }
            let pending = HTTPPendingResponse()
            let entityRows = rows
            let list = asList
            DispatchQueue.global().async {
                do {
                    pending.complete(Self.answer(service, try service.get(entityRows, asList: list, asOf: asOf)))
                } catch {
                    pending.complete(ErrorResponse.response(for: error))
                }
            }
            return .pending(pending)
        } catch {
            return .response(ErrorResponse.response(for: error))
        }
    }

    private static func answer(_ service: OnlineFeatureService, _ results: [Value]) -> HTTPResponse {
        var answer = ValueObject(minimumCapacity: 3)
        answer["vector"] = .string(service.vector.definition.name)
        answer["features"] = .array(service.vector.columns.map { .string($0.name) })
        answer["results"] = .array(results)
        return .json(.ok, JSONWriter.bytes(.object(answer)))
    }
}
