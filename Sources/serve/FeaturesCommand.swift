import FeatureEnrich
import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// `serve features FEATURE_SET --as-of TIME [--keys k1,k2] [--store PATH] [--json]`: time travel, each entity's
/// features and aggregates as they were at TIME, computed from the offline event log like a training row.
enum FeaturesCommand {
    static let help = """
        USAGE: serve features <feature-set> --as-of <time> [--keys <k1,k2,...>] [--store <path.db>] [--json]

        Time travel: every entity's plain features and aggregation columns as they were at <time> (ISO 8601 /
        RFC 3339, or epoch seconds), computed from the store's event log by the training set's code: plain
        features are the latest event with event_ts <= time (within the set's ttl; ties to the later arrival),
        aggregates replay the key's events with event_ts <= time in ingestion order and read the windows at time.
        Nothing is imputed. Without --keys every entity with an event by then, in key order (streamed).

        OPTIONS:
          --as-of <time>     the instant to read at (required)
          --keys <list>      only these entities, comma-separated; a compound key joins its column values with
                             '/' in the set's entity order (--keys 'acct1/EUR,acct2/USD')
          --store <path.db>  the SQLite store (default ./features.db)
          --json             one JSON object per line (entity columns, then features) instead of a table
          -h, --help         show this help
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        let storePath: String
        let featureSet: String
        let time: Int64
        let keyList: String?
        let json: Bool
        do {
            storePath = try arguments.storeOption()
            keyList = try arguments.option("--keys")
            json = arguments.flag("--json")
            guard let asOf = try arguments.timeOption("--as-of") else {
                throw CommandLineError.missingArgument("--as-of")
            }
            time = asOf
            guard let name = arguments.positional() else { throw CommandLineError.missingArgument("<feature-set>") }
            try arguments.finish()
            featureSet = name
        } catch {
            return CommandArguments.usageError("features", error)
        }
        do {
            try OfflineStoreOpenError.requireReadable(storePath)
            let reader = try TimeTravelReader(store: try OfflineStoreReader(path: storePath))
            let definition = try reader.definition(of: featureSet)
            let columns = definition.features.map(\.name) + definition.aggregations.flatMap(\.outputNames)
            let table = FeatureTable(definition: definition, columns: columns, json: json)
            if !json { print(table.header) }
            if let keyList {
                for text in keyList.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                    let key = try Self.key(text, of: definition)
                    guard let row = try reader.row(featureSet: featureSet, key: key, at: time, features: columns) else {
                        printError(
                            "serve features: '\(text)' has no event at or before \(RFC3339.string(epochMilliseconds: time))"
                        )
                        continue
                    }
                    print(table.line(key: key, row: row))
                }
            } else {
                try reader.forEachEntity(featureSet: featureSet, at: time, features: columns) { key, row in
                    print(table.line(key: key, row: row))
                }
            }
            return 0
        } catch {
            printError("serve features: \(error)")
            return 1
        }
    }

    /// The key `text` spells for `definition`: the value itself, or the column values joined by `/`.
    private static func key(_ text: String, of definition: FeatureSetDefinition) throws -> EntityKey {
        let pieces =
            definition.entities.count == 1
            ? [text] : text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count == definition.entities.count else {
            throw CommandLineError.invalidValue(
                option: "--keys", value: text,
                expected: "a key of \(definition.entities.map(\.name).joined(separator: "/")) (values joined by '/')")
        }
        var parts: [String] = []
        for (entity, piece) in zip(definition.entities, pieces) {
            parts.append(try EntityKeyReader.part(.string(piece), entity.type, path: "--keys \(entity.name)"))
        }
        return EntityKey(parts: parts)
    }
}
