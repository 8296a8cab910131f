/// Writes the model metrics of a ``ModelCatalog`` in the Prometheus text exposition format
/// (`GET /metrics`): `serve_model_requests_total{model,outcome}` and the histogram
/// `serve_model_stage_seconds{model,stage}`, plus `serve_model_ready{model}`.
enum PrometheusWriter {
    /// The exposition text for every model of `catalog`.
    static func text(_ catalog: ModelCatalog) -> String {
        let models = catalog.metrics
        var out = "# HELP serve_model_ready Whether the model has loaded (1) or not (0).\n"
        out += "# TYPE serve_model_ready gauge\n"
        for (key, state) in catalog.states {
            out += "serve_model_ready{model=\"\(escape(key))\"} \(state.isReady ? 1 : 0)\n"
        }
        out += "# HELP serve_model_requests_total Inference requests by outcome.\n"
        out += "# TYPE serve_model_requests_total counter\n"
        for (key, metrics) in models {
            for outcome in ModelMetrics.Outcome.allCases {
                out += "serve_model_requests_total{model=\"\(escape(key))\",outcome=\"\(outcome.label)\"} "
                out += "\(metrics.count(outcome))\n"
            }
        }
        out += "# HELP serve_model_stage_seconds Time spent in each inference stage.\n"
        out += "# TYPE serve_model_stage_seconds histogram\n"
        for (key, metrics) in models {
            for stage in ModelMetrics.Stage.allCases {
                let labels = "model=\"\(escape(key))\",stage=\"\(stage.label)\""
                let (cumulative, sum, count) = metrics.histogram(stage)
                for (bound, value) in zip(ModelMetrics.bucketBounds, cumulative) {
                    out += "serve_model_stage_seconds_bucket{\(labels),le=\"\(bound)\"} \(value)\n"
                }
                out += "serve_model_stage_seconds_bucket{\(labels),le=\"+Inf\"} \(count)\n"
                out += "serve_model_stage_seconds_sum{\(labels)} \(sum)\n"
                out += "serve_model_stage_seconds_count{\(labels)} \(count)\n"
            }
        }
        return out
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
