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
        if arguments.showsHelp(help) { return 0 }
        let storePath: String
        let featureSet: String
        let from: Int64?
        let to: Int64?
        do {
            storePath = try arguments.storeOption()
            from = try arguments.timeOption("--from")
            to = try arguments.timeOption("--to")
            guard let name = arguments.positional() else { throw CommandLineError.missingArgument("<feature-set>") }
            try arguments.finish()
            featureSet = name
        } catch {
            return CommandArguments.usageError("stats", error)
        }
        do {
            try OfflineStoreOpenError.requireReadable(storePath)
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
}
