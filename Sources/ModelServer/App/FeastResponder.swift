import FeatureEnrich
import Foundation
import ServingGraph

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

    /// A responder over `store` with the declared feature services and push sources.
    init(store: SQLiteOnlineStore?, featureServices: [String: [String]], pushSources: [String: String]) {
        self.store = store
        self.featureServices = featureServices
        self.pushSources = pushSources
    }

    /// `POST /get-online-features`.
    func onlineFeatures(body: [UInt8]) -> HTTPResponse {
        do {
            return .json(.ok, try onlineFeatures(try Self.parse(body)))
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

    private func onlineFeatures(_ request: Value) throws -> [UInt8] {
        let planRequest: FeastReadPlanCache.Request
        if let service = request["feature_service"], !service.isNull {
            guard let name = service.stringValue else {
                throw FeastError.badRequest(message: "feature_service: expected a string")
            }
            guard featureServices[name] != nil else { throw FeastError.featureServiceNotFound(name: name) }
            planRequest = .service(name)
        } else {
            guard let list = request["features"]?.arrayValue else {
                throw FeastError.badRequest(message: "expected 'features' (a list) or 'feature_service'")
            }
            planRequest = .features(
                try list.map { item throws(FeastError) in
                    guard let text = item.stringValue else {
                        throw .badRequest(message: "features: expected strings")
                    }
                    return text
                })
        }
        guard let entities = request["entities"]?.objectValue else {
            throw FeastError.badRequest(message: "entities: expected an object of join key columns")
        }
        let fullNames = request["full_feature_names"]?.boolValue ?? false
        var rowCount: Int?
        for (name, column) in entities.members {
            guard let values = column.arrayValue else {
                throw FeastError.badRequest(message: "entities.\(name): expected a list")
            }
            if let rowCount, rowCount != values.count {
                throw FeastError.badRequest(
                    message: "entities: columns differ in length (\(rowCount) and \(values.count) for '\(name)')")
            }
            rowCount = values.count
        }
        let plan = try plans.plan(for: planRequest) { () throws(FeastError) in
            switch planRequest {
            case .service(let name):
                guard let features = featureServices[name] else { throw .featureServiceNotFound(name: name) }
                return try FeastReadPlan(references: features, store: store)
            case .features(let references):
                return try FeastReadPlan(references: references, store: store)
            }
        }
        try plan.checkJoinKeys(in: entities)
        let count = rowCount ?? 0
        var columns = plan.columns.map { _ in [FeatureCell]() }
        for index in columns.indices { columns[index].reserveCapacity(count) }
        for row in 0..<count {
            var keyValues = ValueObject(minimumCapacity: entities.count)
            for (name, column) in entities.members { keyValues[name] = column.arrayValue?[row] ?? .null }
            for group in plan.groups {
                let key: EntityKey
                do {
                    key = try EntityKeyReader.key(of: group.set, from: keyValues, path: "entities")
                } catch {
                    throw FeastError.badRequest(message: "\(error)")
                }
                let cells = try store?.cells(featureSet: group.set.name, key: key, columns: group.columns)
                for (offset, position) in group.positions.enumerated() {
                    columns[position].append(cells?[offset] ?? .notFound)
                }
            }
        }
        return FeastResponseWriter.body(
            plan: plan, fullNames: fullNames,
            keyColumns: plan.joinKeys.map { entities[$0.name]?.arrayValue ?? [] }, cells: columns, rowCount: count)
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
