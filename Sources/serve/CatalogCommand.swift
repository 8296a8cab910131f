import FeatureEnrich
import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// `serve catalog [--store PATH] [--json]`: the store's feature sets with counts, times, versions and statistics.
enum CatalogCommand {
    static let help = """
        USAGE: serve catalog [--store <path.db>] [--json]

        Prints the feature sets registered in the store: versions, rows (logged events), entities, first and
        last event time, last ingest time, per-feature count, null count, mean, stddev, min and max, and
        validator violations per feature and validator (rejected, warned, dropped). --json prints the same
        entries as GET /v2/feature-sets.
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        let storePath: String
        let json: Bool
        do {
            storePath = try arguments.storeOption()
            json = arguments.flag("--json")
            try arguments.finish()
        } catch {
            return CommandArguments.usageError("catalog", error)
        }
        do {
            try OfflineStoreOpenError.requireReadable(storePath)
            let entries = try FeatureSetCatalog(path: storePath).entries()
            if json {
                print(JSONWriter.string(["feature_sets": .array(entries)]))
                return 0
            }
            print(row(["feature set", "version", "rows", "entities", "first event", "last event", "last ingest"]))
            for entry in entries {
                let versions = entry["versions"].flatMap { value -> Int? in
                    if case .array(let list) = value { return list.count }
                    return nil
                }
                print(
                    row([
                        text(entry["name"]), versions.map(String.init) ?? "-", text(entry["rows"]),
                        text(entry["entities"]), time(entry["first_event_ms"]), time(entry["last_event_ms"]),
                        time(entry["last_ingest_ms"]),
                    ]))
                if case .object(let statistics)? = entry["statistics"] {
                    for (feature, stats) in statistics.members {
                        print(
                            "    \(feature): count \(text(stats["count"])) nulls \(text(stats["null_count"])) "
                                + "mean \(text(stats["mean"])) stddev \(text(stats["stddev"])) "
                                + "min \(text(stats["min"])) max \(text(stats["max"]))")
                    }
                }
                if case .object(let violations)? = entry["violations"] {
                    for (feature, byValidator) in violations.members {
                        for (validator, counts) in byValidator.objectValue?.members ?? ValueObject().members {
                            print(
                                "    \(feature) violates \(validator): \(text(counts["count"])) "
                                    + "(rejected \(text(counts["rejected"])), warned \(text(counts["warned"])), "
                                    + "dropped \(text(counts["dropped"])))")
                        }
                    }
                }
            }
            return 0
        } catch {
            printError("serve catalog: \(error)")
            return 1
        }
    }

    private static func row(_ fields: [String]) -> String {
        let widths = [16, 8, 10, 10, 24, 24, 24]
        return zip(fields, widths).map { field, width in
            field.count >= width ? field + " " : field + String(repeating: " ", count: width - field.count)
        }.joined().trimmingSuffixSpaces()
    }

    private static func text(_ value: Value?) -> String {
        switch value {
        case nil, .null?: "-"
        case .string(let text)?: text
        case let other?: JSONWriter.string(other)
        }
    }

    /// Epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    private static func time(_ value: Value?) -> String {
        guard case .int(let milliseconds)? = value else { return "-" }
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return String(milliseconds) }
        func two(_ number: Int32) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

extension String {
    /// The string without trailing spaces.
    fileprivate func trimmingSuffixSpaces() -> String {
        var result = Substring(self)
        while result.last == " " { result = result.dropLast() }
        return String(result)
    }
}
