public import ServingGraph

/// `UpdateAggregates`: the request is an event of a feature set; ingests it (plain features, aggregates, event
/// log, statistics in one commit) and puts a ``CommitTicket`` in the event so the response waits for the commit.
///
/// ```json
/// {"class_name": "UpdateAggregates",
///  "class_args": {"feature_set": "transactions", "fields": {"account_id": "user.account", "amount": "amount"},
///                 "timestamp": "ts", "rows": "inputs"}}
/// ```
/// - `fields`: feature-set column → dotted path in the body (or row); unmapped columns use their own name.
/// - `timestamp`: path of the event time; absent (or absent in the request): the server's receive time.
/// - `rows`: a path to an array of row objects: N rows are N events, in row order; default the body itself.
/// - `update`: `before_fetch` (default) or `after_fetch`: whether a following `EnrichWithFeatures` sees the
///   aggregates with this request's events or without them.
///
/// Place it before `EnrichWithFeatures`: the step takes the touched entities' states under the same shard locks
/// as the update (after it, or with `after_fetch` just before it) and the enrichment reads those, so the fetch
/// and the update of one request are one atomic operation (no other request's event in between). An
/// `EnrichWithFeatures` placed before this step reads the store separately: a concurrent request on the same
/// key may slip in between; use `"update": "after_fetch"` instead. With a client event id (`X-Event-Id`, or
/// body `id`) a retry within the store's horizon is not counted twice.
/// The set's validators apply (``ValidationPolicy``): a rejected event makes the request fail with 400 naming
/// the field, and nothing of it is written.
public struct UpdateAggregatesStep: Step {
    /// When the request's events are applied relative to the fetch of a following `EnrichWithFeatures`.
    public enum UpdateOrder: String, Sendable {
        /// The fetch sees the aggregates including this request.
        case beforeFetch = "before_fetch"
        /// The fetch sees the aggregates as they were just before this request.
        case afterFetch = "after_fetch"
    }

    public let name: String
    private let store: SQLiteOnlineStore
    private let featureSet: FeatureSetDefinition
    private let fields: [(column: String, path: BodyPath)]
    private let entityFields: [(column: EntityColumn, path: BodyPath)]
    private let timestamp: BodyPath?
    private let rows: BodyPath?
    private let order: UpdateOrder
    /// The rows decoded straight into events; nil: through event objects and the store's decoder.
    private let plan: UpdateAggregatesPlan?

    /// A step writing to `featureSet` of `store`.
    public init(
        name: String, store: SQLiteOnlineStore, featureSet: FeatureSetDefinition, fieldPaths: [(String, String)],
        timestamp: String?, rows: String?, order: UpdateOrder = .beforeFetch
    ) {
        self.init(
            name: name, store: store, featureSet: featureSet, fieldPaths: fieldPaths, timestamp: timestamp, rows: rows,
            order: order, decodesRowsDirectly: true)
    }

    /// A step writing to `featureSet` of `store`; with `decodesRowsDirectly` false its rows always go through
    /// event objects and the store's decoder (the general path, which tests compare the plan with).
    init(
        name: String, store: SQLiteOnlineStore, featureSet: FeatureSetDefinition, fieldPaths: [(String, String)],
        timestamp: String?, rows: String?, order: UpdateOrder, decodesRowsDirectly: Bool
    ) {
        self.order = order
        self.name = name
        self.store = store
        self.featureSet = featureSet
        let given = Dictionary(fieldPaths, uniquingKeysWith: { _, last in last })
        let columns =
            featureSet.entities.map(\.name) + featureSet.features.map(\.name)
            + featureSet.aggregations.map(\.column)
        var seen = Set<String>()
        self.fields = columns.filter { seen.insert($0).inserted }.map { ($0, BodyPath(given[$0] ?? $0)) }
        self.entityFields = featureSet.entities.map { ($0, BodyPath(given[$0.name] ?? $0.name)) }
        self.timestamp = timestamp.map(BodyPath.init)
        self.rows = rows.map(BodyPath.init)
        plan =
            decodesRowsDirectly
            ? UpdateAggregatesPlan(store: store, featureSet: featureSet, paths: given, timestamp: timestamp) : nil
    }

    public func run(_ event: Event) throws -> Event {
        let eventID = event.header("X-Event-Id") ?? event.body["id"]?.stringValue
        let ticket = CommitTicket()
        let snapshot: EntityStateSnapshot?
        if let plan {
            let events =
                if let rows {
                    try plan.events(try rowList(event.body, at: rows), rowsPath: rows, receivedAt: event.receivedAt)
                } else {
                    try plan.events(CollectionOfOne(event.body), rowsPath: nil, receivedAt: event.receivedAt)
                }
            do {
                snapshot = try store.ingestAndSnapshot(
                    decoded: events, position: plan.position, eventID: eventID.map { "\(name):\($0)" },
                    moment: order == .beforeFetch ? .afterUpdate : .beforeUpdate
                ) { result in
                    ticket.complete(result)
                }
            } catch {
                throw ServingError.invalidInput(error.description)
            }
        } else {
            let sources = try rows.map { try rowList(event.body, at: $0) } ?? [event.body]
            snapshot = try ingestThroughObjects(sources, event: event, eventID: eventID, ticket: ticket)
        }
        var output = event
        if let snapshot {
            if var snapshots = event[EntityStateSnapshotKey.self] {
                snapshots.append(snapshot)
                output[EntityStateSnapshotKey.self] = snapshots
            } else {
                output[EntityStateSnapshotKey.self] = [snapshot]
            }
        }
        if let earlier = event[CommitTicketKey.self] {
            output[CommitTicketKey.self] = CommitTicket.all([earlier, ticket])
        } else {
            output[CommitTicketKey.self] = ticket
        }
        return output
    }

    /// The general path: an event object per row, decoded by the store (when no ``UpdateAggregatesPlan`` applies).
    private func ingestThroughObjects(
        _ sources: [Value], event: Event, eventID: String?, ticket: CommitTicket
    ) throws -> EntityStateSnapshot? {
        let receivedAt = Value.string(RFC3339.string(epochMilliseconds: event.receivedAt))
        var events: [Value] = []
        events.reserveCapacity(sources.count)
        for (index, source) in sources.enumerated() {
            try checkEntityKeys(in: source, rowPath: rows.map { "\($0)[\(index)]" } ?? "body")
            var object = ValueObject(minimumCapacity: fields.count + 1)
            for (column, path) in fields {
                if let value = path.value(in: source) { object[column] = value }
            }
            object[featureSet.timestampKey] = timestamp.flatMap { $0.value(in: source) } ?? receivedAt
            events.append(.object(object))
        }
        do {
            return try store.ingestAndSnapshot(
                events, into: featureSet.name, eventID: eventID.map { "\(name):\($0)" },
                moment: order == .beforeFetch ? .afterUpdate : .beforeUpdate
            ) { result in
                ticket.complete(result)
            }
        } catch {
            throw ServingError.invalidInput(error.description)
        }
    }

    /// The rows of a request at `path`; a 400 when they are not an array.
    private func rowList(_ body: Value, at path: BodyPath) throws -> [Value] {
        guard case .array(let list)? = path.value(in: body) else {
            throw ServingError.invalidInput("\(path): expected an array of rows")
        }
        return list
    }

    /// A 400 naming the body path of an entity key that `source` lacks or holds with the wrong type.
    private func checkEntityKeys(in source: Value, rowPath: String) throws {
        for (column, path) in entityFields {
            guard let value = path.value(in: source), !value.isNull else {
                throw ServingError.invalidInput("\(rowPath).\(path): missing entity key '\(column.name)'")
            }
            do {
                _ = try EntityKeyReader.part(value, column.type, path: "\(rowPath).\(path)")
            } catch {
                throw ServingError.invalidInput(error.description)
            }
        }
    }
}
