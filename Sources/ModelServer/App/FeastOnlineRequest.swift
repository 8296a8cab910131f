import ServingGraph

/// A `/get-online-features` body, decoded: the features asked for, the entity columns and the name form.
///
/// Two readers make it: ``FeastOnlineRequestReader`` straight from the bytes for the common shape, and
/// ``init(_:featureServices:)`` from a parsed ``Value`` for every body (the general path, which owns the error
/// messages and their order). For a body both accept they give equal requests, so the rest of the answer is one
/// code path.
struct FeastOnlineRequest {
    /// One join key column of `entities`.
    struct EntityColumn {
        /// The join key.
        let name: String
        /// Its values, one per row.
        let values: [Value]
    }

    /// The features: a declared feature service, or a list (the plan cache's key).
    let features: FeastReadPlanCache.Request
    /// The `entities` columns in request order, all of ``rowCount`` values.
    let entities: [EntityColumn]
    /// `full_feature_names`: names are `view__feature`.
    let fullNames: Bool
    /// Rows asked for (0 without entity columns).
    let rowCount: Int
    /// The plan of ``features`` when the reader found it already (a recent list matched in place).
    let plan: FeastReadPlan?

    /// A request from its parts; the columns must be of one length; `plan`, when known, is that of `features`.
    init(
        features: FeastReadPlanCache.Request, entities: [EntityColumn], fullNames: Bool, plan: FeastReadPlan? = nil
    ) {
        self.features = features
        self.entities = entities
        self.fullNames = fullNames
        self.rowCount = entities.first?.values.count ?? 0
        self.plan = plan
    }

    /// The request of `body`, checked in this order: the feature service is declared (404) or `features` is a
    /// list of strings, `entities` is an object of lists of one length, else 400 naming the problem.
    init(_ body: Value, featureServices: [String: [String]]) throws(FeastError) {
        let features: FeastReadPlanCache.Request
        if let service = body["feature_service"], !service.isNull {
            guard let name = service.stringValue else {
                throw FeastError.badRequest(message: "feature_service: expected a string")
            }
            guard featureServices[name] != nil else { throw FeastError.featureServiceNotFound(name: name) }
            features = .service(name)
        } else {
            guard let list = body["features"]?.arrayValue else {
                throw FeastError.badRequest(message: "expected 'features' (a list) or 'feature_service'")
            }
            features = .featureList(
                try list.map { item throws(FeastError) in
                    guard let text = item.stringValue else {
                        throw .badRequest(message: "features: expected strings")
                    }
                    return text
                })
        }
        guard let object = body["entities"]?.objectValue else {
            throw FeastError.badRequest(message: "entities: expected an object of join key columns")
        }
        var entities: [EntityColumn] = []
        entities.reserveCapacity(object.count)
        for (name, column) in object.members {
            guard let values = column.arrayValue else {
                throw FeastError.badRequest(message: "entities.\(name): expected a list")
            }
            if let rowCount = entities.first?.values.count, rowCount != values.count {
                throw FeastError.badRequest(
                    message: "entities: columns differ in length (\(rowCount) and \(values.count) for '\(name)')")
            }
            entities.append(EntityColumn(name: name, values: values))
        }
        self.init(features: features, entities: entities, fullNames: body["full_feature_names"]?.boolValue ?? false)
    }
}
