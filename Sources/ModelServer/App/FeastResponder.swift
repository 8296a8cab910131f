import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization

/// Feast's feature-server API over the online store (reference/feast.md):
///
/// - `POST /get-online-features`: `{"features": ["view:feature", ...] | "feature_service": name,
///   "entities": {"join_key": [..]}, "full_feature_names": bool}` → column-major
///   `{"metadata": {"feature_names": [...]}, "results": [{"values", "statuses", "event_timestamps"}, ...]}`; join
///   keys first (status PRESENT, epoch 0), then the features in request order (`view__feature` with full names).
///   A view is a feature set, its features are plain features and aggregation columns. Statuses PRESENT /
///   NOT_FOUND / NULL_VALUE / OUTSIDE_MAX_AGE; we honour the set's `ttl` online as Feast's Go server does (the
///   stale value is still returned, status OUTSIDE_MAX_AGE); Feast's Python server ignores TTL online.
/// - `POST /push`: `{"push_source_name", "df": {column: [..]}, "to"}`; the source is a declared push source or a
///   feature set's own name; rows without the timestamp column get the receive time. `to` as Feast: `online`
///   (the default, as Feast's `PushFeaturesRequest`) updates online state and aggregates (beyond Feast, whose
///   push does no aggregation) without appending to the event log; `offline` appends to the event log (our
///   offline store, read by training sets) leaving online state untouched; `online_and_offline` does both in one
///   commit, like `/v2/feature-sets/{set}/ingest`. Any other value is a 400 naming it (Feast answers 500).
///   200 with an empty body after the commit.
/// - `GET /health`: 200.
///
/// Errors are Feast's format: a JSON string holding `{"module": "feast.errors", "class", "message"}`.
final class FeastResponder: Sendable {
    private let store: SQLiteOnlineStore?
    private let featureServices: [String: [String]]
    private let pushSources: [String: String]
    private let plans = FeastReadPlanCache()
    /// The last event time an answer wrote, formatted: a store's values often share one time across requests.
    private let lastTime = Mutex<FeastResponseWriter.FormattedTime?>(nil)

    /// A responder over `store` with the declared feature services and push sources.
    init(store: SQLiteOnlineStore?, featureServices: [String: [String]], pushSources: [String: String]) {
        self.store = store
        self.featureServices = featureServices
        self.pushSources = pushSources
    }

    /// `POST /get-online-features`: the body read by ``FeastOnlineRequestReader`` when it has the common shape,
    /// else parsed and checked by ``FeastOnlineRequest/init(_:featureServices:)`` (which names any problem).
    func onlineFeatures(body: [UInt8]) -> HTTPResponse {
        do {
            let request =
                try FeastOnlineRequestReader.read(body, featureServices: featureServices, plans: plans)
                ?? FeastOnlineRequest(try Self.parse(body), featureServices: featureServices)
            return .json(.ok, try onlineFeatures(request))
        } catch {
            return Self.response(for: error)
        }
    }

    /// `POST /push`: pending until the rows are committed.
    func push(body: [UInt8]) -> HTTPResponderResult {
        do {
            let request = try Self.parse(body)
            guard let name = request["push_source_name"]?.stringValue else {
                throw FeastError.badRequest(message: "push_source_name: missing or not a string")
            }
            let setName = pushSources[name] ?? name
            guard let store, let definition = store.featureSet(named: setName) else {
                throw FeastError.pushSourceNotFound(name: name)
            }
            guard let frame = request["df"]?.objectValue else {
                throw FeastError.badRequest(message: "df: expected an object of columns")
            }
            let target = try Self.pushTarget(request["to"])
            let rows = try Self.rows(of: frame, timestampKey: definition.timestampKey)
            let pending = HTTPPendingResponse()
            try store.ingest(rows, into: setName, target: target) { result in
                switch result {
                case .success: pending.complete(HTTPResponse(status: .ok, headers: HTTPHeaders(), body: []))
                case .failure(let error): pending.complete(Self.response(for: error))
                }
            }
            return .pending(pending)
        } catch {
            return .response(Self.response(for: error))
        }
    }

    private func onlineFeatures(_ request: FeastOnlineRequest) throws -> [UInt8] {
        let plan =
            try request.plan
            ?? plans.plan(for: request.features) { () throws(FeastError) in
                switch request.features {
                case .service(let name):
                    guard let features = featureServices[name] else { throw .featureServiceNotFound(name: name) }
                    return try FeastReadPlan(references: features, store: store)
                case .features(let list):
                    return try FeastReadPlan(references: try list.references(), store: store)
                }
            }
        let keyColumns = try plan.joinKeyColumns(in: request.entities)
        let count = request.rowCount
        var cells: [FeatureCell] = []
        cells.reserveCapacity(count * plan.columns.count)
        for row in 0..<count {
            for group in plan.groups {
                let key: EntityKey
                do {
                    key = try EntityKeyReader.key(entities: group.entities, path: "entities") {
                        request.entities[keyColumns[group.joinKeyIndices[$0]]].values[row]
                    }
                } catch {
                    throw FeastError.badRequest(message: "\(error)")
                }
                let found = try store?.appendCells(group.cells, key: key, at: nil, to: &cells) ?? false
                if !found {
                    for _ in 0..<group.cells.count { cells.append(.notFound) }
                }
            }
        }
        let previous = self.lastTime.withLock { $0 }
        var lastTime = previous
        let body = FeastResponseWriter.body(
            request: request, plan: plan, keyColumns: keyColumns, cells: cells, lastTime: &lastTime)
        if let lastTime, lastTime.milliseconds != previous?.milliseconds { self.lastTime.withLock { $0 = lastTime } }
        return body
    }

    private static func parse(_ body: [UInt8]) throws(FeastError) -> Value {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw .badRequest(message: "request body is not valid JSON: \(error)")
        }
    }

    /// The stores `to` names; Feast's default `online` when absent or null.
    private static func pushTarget(_ value: Value?) throws(FeastError) -> IngestTarget {
        guard let value, !value.isNull else { return .online }
        let expected = IngestTarget.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        guard let text = value.stringValue else {
            throw .badRequest(message: "to: expected one of \(expected), got \(value.typeName)")
        }
        guard let target = IngestTarget(rawValue: text) else {
            throw .badRequest(message: "to: '\(text)' is not a supported push format; expected one of \(expected)")
        }
        return target
    }

    /// Column-major `df` to row objects; the receive time fills a missing timestamp column.
    private static func rows(of frame: ValueObject, timestampKey: String) throws(FeastError) -> [Value] {
        var count: Int?
        for (name, column) in frame.members {
            guard let values = column.arrayValue else { throw .badRequest(message: "df.\(name): expected a list") }
            if let count, count != values.count {
                throw .badRequest(message: "df: columns differ in length (\(count) and \(values.count) for '\(name)')")
            }
            count = values.count
        }
        let now = Value.string(RFC3339.string(epochMilliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
        return (0..<(count ?? 0)).map { row in
            var object = ValueObject(minimumCapacity: frame.count + 1)
            for (name, column) in frame.members { object[name] = column.arrayValue?[row] ?? .null }
            if object[timestampKey] == nil || object[timestampKey]?.isNull == true { object[timestampKey] = now }
            return .object(object)
        }
    }

    /// Feast's error body (a JSON string of `{"module", "class", "message"}`) for a Feast error; the server's
    /// usual mapping otherwise, still as Feast's format.
    static func response(for error: any Error) -> HTTPResponse {
        let status: HTTPStatus
        let className: String
        if let feast = error as? FeastError {
            status = feast.status
            className = feast.className
        } else {
            status = ErrorResponse.status(for: error)
            className = "FeastError"
        }
        let detail = JSONWriter.string([
            "module": "feast.errors", "class": .string(className),
            "message": .string(ErrorResponse.message(for: error)),
        ])
        return .json(status, JSONWriter.bytes(.string(detail)))
    }
}
