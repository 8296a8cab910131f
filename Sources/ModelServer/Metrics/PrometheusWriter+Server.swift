import ServingGraph

extension PrometheusWriter {
    /// The server-wide families of ``ServerMetrics``: `serve_http_requests_total{route,status}`,
    /// `serve_http_requests_in_flight`, `serve_http_connections_open`,
    /// `serve_http_connections_accepted_total{loop}`, the histogram `serve_step_seconds{step}`,
    /// `serve_step_errors_total{step}` and `serve_graph_branch_failures_total`.
    static func serverText(_ metrics: ServerMetrics) -> String {
        let (inFlight, answers) = metrics.requests()
        var out = "# HELP serve_http_requests_total Requests answered, by route and status.\n"
        out += "# TYPE serve_http_requests_total counter\n"
        for (key, count) in answers {
            out += "serve_http_requests_total{route=\"\(escape(key.route))\",status=\"\(key.status)\"} \(count)\n"
        }
        out += "# HELP serve_http_requests_in_flight Requests received and not answered yet.\n"
        out += "# TYPE serve_http_requests_in_flight gauge\n"
        out += "serve_http_requests_in_flight \(inFlight)\n"
        if let connections = metrics.connectionCounts() {
            out += "# HELP serve_http_connections_open Client connections open now.\n"
            out += "# TYPE serve_http_connections_open gauge\n"
            out += "serve_http_connections_open \(connections.open)\n"
            out += "# HELP serve_http_connections_accepted_total Connections accepted, by event loop.\n"
            out += "# TYPE serve_http_connections_accepted_total counter\n"
            for (loop, count) in connections.acceptedPerLoop.enumerated() {
                out += "serve_http_connections_accepted_total{loop=\"\(loop)\"} \(count)\n"
            }
        }
        guard let steps = metrics.steps() else { return out }
        out += "# HELP serve_step_seconds Time spent in each graph step (error handlers included).\n"
        out += "# TYPE serve_step_seconds histogram\n"
        for step in steps.steps {
            let label = "step=\"\(escape(step.name))\""
            var running: UInt64 = 0
            for (bound, count) in zip(GraphMetrics.bucketBounds, step.buckets) {
                running &+= count
                out += "serve_step_seconds_bucket{\(label),le=\"\(bound)\"} \(running)\n"
            }
            out += "serve_step_seconds_bucket{\(label),le=\"+Inf\"} \(step.runs)\n"
            out += "serve_step_seconds_sum{\(label)} \(Double(step.totalNanoseconds) / 1e9)\n"
            out += "serve_step_seconds_count{\(label)} \(step.runs)\n"
        }
        out += "# HELP serve_step_errors_total Runs of a step that threw.\n"
        out += "# TYPE serve_step_errors_total counter\n"
        for step in steps.steps {
            out += "serve_step_errors_total{step=\"\(escape(step.name))\"} \(step.failures)\n"
        }
        out +=
            "# HELP serve_graph_branch_failures_total Failures on branches that do not respond (logged, never answered).\n"
        out += "# TYPE serve_graph_branch_failures_total counter\n"
        out += "serve_graph_branch_failures_total \(steps.branchFailures)\n"
        return out
    }
}
