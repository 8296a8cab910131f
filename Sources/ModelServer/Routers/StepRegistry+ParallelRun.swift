import ServingGraph

extension StepRegistry {
    /// Registers `ParallelRun` (MLRun's class name) with MLRun's arguments `executor_type` (`thread`,
    /// `array`; also `sequential`) and `extend_event`, plus `timeout` (seconds), `errors_key` and `url_prefix`.
    mutating func registerParallelRun() {
        register("ParallelRun") { args, context in
            try args.rejectUnknown(["executor_type", "extend_event", "timeout", "errors_key", "url_prefix"])
            let executor: ParallelRun.Executor
            switch try args.string("executor_type") ?? "thread" {
            case "thread": executor = .thread
            case "array", "sequential": executor = .sequential
            case "process":
                throw args.invalid(
                    "executor_type", "'process' is not supported (steps share one process); use thread or array")
            case let other:
                throw args.invalid("executor_type", "expected thread or array, got '\(other)'")
            }
            var timeout = Duration.seconds(5)
            if let value = args.optional("timeout") {
                guard let seconds = value.doubleValue, seconds > 0, seconds <= 3600 else {
                    throw args.invalid(
                        "timeout", "expected a number of seconds in (0, 3600], got \(JSONWriter.string(value))")
                }
                timeout = .nanoseconds(Int64(seconds * 1e9))
            }
            return try ParallelRun(
                name: context.name, routes: context.routes, executor: executor,
                extendsEvent: try args.bool("extend_event") ?? false, timeout: timeout,
                errorsKey: try args.string("errors_key") ?? "errors",
                prefix: try args.string("url_prefix") ?? "/v2/models")
        }
    }
}
