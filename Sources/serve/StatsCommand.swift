import FeatureEnrich
import ServingGraph

#if canImport(Glibc)
    import Glibc
#endif

/// `serve stats FEATURE_SET [--from T] [--to T] [--store PATH]`: statistics from the offline event log.
enum StatsCommand {
    static let help = """
        USAGE: serve stats <feature-set> [--from <time>] [--to <time>] [--store <path.db>]

        Per feature of the set, over the logged events with from <= event time < to (ISO 8601 or epoch
        seconds; default: all): events, nulls, numeric count, min, max, mean and sample standard deviation.
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.wantsHelp {
            print(help)
            return 0
        }
        let storePath: String
        let featureSet: String
        let from: Int64?
        let to: Int64?
        do {
            storePath = try arguments.option("--store") ?? "features.db"
            from = try time(try arguments.option("--from"), option: "--from")
            to = try time(try arguments.option("--to"), option: "--to")
            guard let name = arguments.positional() else { throw CommandLineError.missingArgument("<feature-set>") }
            try arguments.finish()
            featureSet = name
        } catch {
            printError("serve stats: \(error)\nRun 'serve stats --help' for usage.")
            return 2
        }
        do {
            guard access(storePath, R_OK) == 0 else {
                throw OfflineStoreOpenError(path: storePath, reason: String(cString: strerror(errno)))
            }
            let statistics = try OfflineStatistics(path: storePath, featureSet: featureSet, from: from, to: to)
            print("feature,events,nulls,count,min,max,mean,stddev")
            for column in statistics.columns {
                let numbers = [column.min, column.max, column.mean, column.stddev].map { value in
                    value.map { JSONWriter.string(.double($0)) } ?? ""
                }
                print(
                    ([column.name, String(column.events), String(column.nulls), String(column.count)] + numbers)
                        .joined(separator: ","))
            }
            return 0
        } catch {
            printError("serve stats: \(error)")
            return 1
        }
    }

    private static func time(_ text: String?, option: String) throws(CommandLineError) -> Int64? {
        guard let text else { return nil }
        do {
            return try TimestampParser.epochMilliseconds(text)
        } catch {
            throw .invalidValue(option: option, value: text, expected: "an ISO 8601 time or epoch seconds")
        }
    }
}
