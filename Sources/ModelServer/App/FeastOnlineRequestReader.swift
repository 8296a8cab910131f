import ServingGraph

/// Reads a `/get-online-features` body straight from its bytes into a ``FeastOnlineRequest``, with no `Value`
/// tree for the body: the `features` list is kept as the JSON text it is (the plan cache's key; its strings are
/// checked, not built, and a list the cache saw recently is matched byte for byte with its plan) and entity
/// values are read one by one.
///
/// It takes the common shape only and returns nil for anything else: a repeated key, a feature service that
/// is not declared, a `features` member that is not a list of strings, `entities` that are not an object of
/// lists of one length, and every malformed body. The caller then takes the general path (``JSONParser`` and
/// ``FeastOnlineRequest/init(_:featureServices:)``), which gives the canonical answer or error. For a body it
/// accepts, the request equals the one the general path decodes (members it does not know are skipped, as the
/// general path ignores them).
enum FeastOnlineRequestReader {
    /// Why the reader hands a body to the general path (never reported: the general path explains).
    private struct NotTaken: Error {}

    /// The body members the reader knows, by index.
    private static let bodyKeys: [StaticString] = ["features", "entities", "feature_service", "full_feature_names"]

    /// The request in `body`, or nil for the general path.
    static func read(
        _ body: [UInt8], featureServices: [String: [String]], plans: FeastReadPlanCache
    ) -> FeastOnlineRequest? {
        body.withUnsafeBytes { bytes -> FeastOnlineRequest? in
            guard var reader = JSONTokenReader(bytes), !reader.startsWithByteOrderMark else { return nil }
            do {
                let request = try readBody(&reader, featureServices: featureServices, plans: plans)
                return reader.isAtEnd() ? request : nil
            } catch {
                return nil
            }
        }
    }

    private static func readBody(
        _ reader: inout JSONTokenReader, featureServices: [String: [String]], plans: FeastReadPlanCache
    ) throws -> FeastOnlineRequest {
        guard reader.consume(UInt8(ascii: "{")) else { throw NotTaken() }
        let depth = JSONParser.defaultMaxDepth - 1
        var list: (request: FeastReadPlanCache.Request, plan: FeastReadPlan?)?
        var entities: [FeastOnlineRequest.EntityColumn]?
        var service: (request: FeastReadPlanCache.Request, plan: FeastReadPlan?)?
        var fullNames = false
        var seen: UInt8 = 0
        if reader.consume(UInt8(ascii: "}")) { throw NotTaken() }
        repeat {
            let key = try reader.readKey(among: bodyKeys)
            guard reader.consume(UInt8(ascii: ":")) else { throw NotTaken() }
            if let key {
                let bit: UInt8 = 1 << key
                guard seen & bit == 0 else { throw NotTaken() }
                seen |= bit
            }
            switch key {
            case 0?: list = try readFeatureList(&reader, plans: plans)
            case 1?: entities = try readEntities(&reader)
            case 2?:
                if reader.peek() == UInt8(ascii: "\"") {
                    service = try readService(&reader, plans: plans)
                } else {
                    guard try reader.readValue(maxDepth: depth).isNull else { throw NotTaken() }
                }
            case 3?: fullNames = try reader.readValue(maxDepth: depth).boolValue ?? false
            default: _ = try reader.readValue(maxDepth: depth)
            }
        } while reader.consume(UInt8(ascii: ","))
        guard reader.consume(UInt8(ascii: "}")) else { throw NotTaken() }
        guard let entities else { throw NotTaken() }
        guard let chosen = service ?? list else { throw NotTaken() }
        if chosen.plan == nil, case .service(let name) = chosen.request, featureServices[name] == nil {
            throw NotTaken()  // a planned service is a declared one; another gets its 404 from the general path
        }
        return FeastOnlineRequest(
            features: chosen.request, entities: entities, fullNames: fullNames, plan: chosen.plan)
    }

    /// `["view:feature", ...]` as its text, with its plan when the cache saw the same bytes recently; the
    /// strings of another list are checked, not built.
    private static func readFeatureList(
        _ reader: inout JSONTokenReader, plans: FeastReadPlanCache
    ) throws -> (request: FeastReadPlanCache.Request, plan: FeastReadPlan?) {
        guard reader.peek() == UInt8(ascii: "[") else { throw NotTaken() }
        let start = reader.remainingBytes
        if let recent = plans.recent(prefixOf: start), case .features = recent.request {
            reader.skip(matched: recent.text.count)
            return (recent.request, recent.plan)
        }
        _ = reader.consume(UInt8(ascii: "["))
        if !reader.consume(UInt8(ascii: "]")) {
            repeat {
                try reader.skipString()
            } while reader.consume(UInt8(ascii: ","))
            guard reader.consume(UInt8(ascii: "]")) else { throw NotTaken() }
        }
        let length = start.count - reader.remainingBytes.count
        return (.features(FeastReadPlanCache.FeatureListText(bytes: Array(start[..<length]))), nil)
    }

    /// A `feature_service` name (the reader is at its `"`), with its plan when the cache saw the same text lately.
    private static func readService(
        _ reader: inout JSONTokenReader, plans: FeastReadPlanCache
    ) throws -> (request: FeastReadPlanCache.Request, plan: FeastReadPlan?) {
        if let recent = plans.recent(prefixOf: reader.remainingBytes), case .service = recent.request {
            reader.skip(matched: recent.text.count)
            return (recent.request, recent.plan)
        }
        return (.service(try reader.readString()), nil)
    }

    /// `{"join_key": [v, ...], ...}`: lists of one length, keys not repeated.
    private static func readEntities(_ reader: inout JSONTokenReader) throws -> [FeastOnlineRequest.EntityColumn] {
        guard reader.consume(UInt8(ascii: "{")) else { throw NotTaken() }
        var columns: [FeastOnlineRequest.EntityColumn] = []
        columns.reserveCapacity(1)
        if reader.consume(UInt8(ascii: "}")) { return columns }
        repeat {
            let name = try reader.readString()
            guard reader.consume(UInt8(ascii: ":")), !columns.contains(where: { $0.name == name }) else {
                throw NotTaken()
            }
            let values = try readColumn(&reader, count: columns.first?.values.count)
            columns.append(FeastOnlineRequest.EntityColumn(name: name, values: values))
        } while reader.consume(UInt8(ascii: ","))
        guard reader.consume(UInt8(ascii: "}")) else { throw NotTaken() }
        return columns
    }

    /// `[v, ...]`, of `count` values when given; numbers and strings are read without the general reader.
    private static func readColumn(_ reader: inout JSONTokenReader, count: Int?) throws -> [Value] {
        guard reader.consume(UInt8(ascii: "[")) else { throw NotTaken() }
        var values: [Value] = []
        values.reserveCapacity(count ?? 1)
        if !reader.consume(UInt8(ascii: "]")) {
            let depth = JSONParser.defaultMaxDepth - 3
            repeat {
                switch reader.peek() ?? 0 {
                case UInt8(ascii: "\""): values.append(.string(try reader.readString()))
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(try reader.readNumber())
                default: values.append(try reader.readValue(maxDepth: depth))
                }
            } while reader.consume(UInt8(ascii: ","))
            guard reader.consume(UInt8(ascii: "]")) else { throw NotTaken() }
        }
        if let count, count != values.count { throw NotTaken() }
        return values
    }
}
