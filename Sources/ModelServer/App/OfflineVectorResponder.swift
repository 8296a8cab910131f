import Dispatch
import FeatureEnrich
import ServingGraph

/// Answers `POST /v2/feature-vectors/{vec}/offline`: point-in-time training rows for the entity rows of the
/// body, built from the store's event log exactly as `serve training-set` builds them (``TrainingSetBuilder``).
///
/// Body: `{"entity_rows": [{"account_id": "a", "timestamp": "2026-01-01T00:00:00Z"}, ...],
/// "timestamp_column": "timestamp", "format": "jsonl" | "csv", "cutoff": "inclusive" | "exclusive"}` (`cutoff`:
/// whether events stamped exactly a row's time are in it, see ``TrainingSetBuilder/Cutoff``; default inclusive). The answer is the training set in that format
/// (JSON Lines by default: one object per row, entity columns as given then features, in input order); 404 for
/// an unknown vector, 400 naming the row and field for a bad timestamp or key, or the vector's unknown feature.
/// The build runs on a global dispatch queue and completes a pending response, so the event loop never waits.
final class OfflineVectorResponder {
    private let storePath: String?
    private let vectors: [String: FeatureVectorDefinition]

    /// A responder for `vectors` over the store file at `storePath` (nil: no store, every vector unknown).
    init(storePath: String?, vectors: [FeatureVectorDefinition]) {
        self.storePath = storePath
        self.vectors = Dictionary(vectors.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The answer for vector `name` and request `body`.
    func respond(vector name: String, body: [UInt8]) throws -> HTTPResponderResult {
        guard let storePath, let vector = vectors[name] else { throw OfflineRequestError.unknownVector(name: name) }
        guard case .object(let request) = try JSONParser.parse(body) else {
            throw OfflineRequestError.badBody(reason: "expected a JSON object")
        }
        guard case .array(let rows)? = request["entity_rows"] else {
            throw OfflineRequestError.badBody(reason: "'entity_rows' must be an array of objects")
        }
        var timestampColumn = "timestamp"
        if case .string(let column)? = request["timestamp_column"] { timestampColumn = column }
        var format = TrainingSetWriter.Format.jsonl
        if case .string(let name)? = request["format"] { format = try TrainingSetWriter.Format(name: name) }
        var cutoff = TrainingSetBuilder.Cutoff.inclusive
        if let value = request["cutoff"], !value.isNull {
            guard case .string(let name) = value, let parsed = TrainingSetBuilder.Cutoff(rawValue: name) else {
                throw OfflineRequestError.badBody(reason: "'cutoff' must be \"inclusive\" or \"exclusive\"")
            }
            cutoff = parsed
        }
        let table = try EntityTable(jsonRows: rows, source: "entity_rows", timestampColumn: timestampColumn)
        let pending = HTTPPendingResponse()
        let cut = cutoff
        let writer = TrainingSetWriter(format: format)
        DispatchQueue.global().async {
            do {
                let builder = try TrainingSetBuilder(
                    vector: vector, store: try OfflineStoreReader(path: storePath), cutoff: cut)
                let set = try builder.build(table)
                var bytes: [UInt8] = []
                writer.write(set) { bytes += $0 }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: writer.format == .csv ? "text/csv" : "application/x-ndjson")
                pending.complete(HTTPResponse(status: .ok, headers: headers, body: bytes))
            } catch {
                pending.complete(ErrorResponse.response(for: error))
            }
        }
        return .pending(pending)
    }
}

@available(*, unavailable)
extension OfflineVectorResponder: Sendable {}
