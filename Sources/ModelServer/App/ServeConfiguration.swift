package import ServingGraph

/// Everything `serve run` needs to start: HTTP settings, logging and what to serve.
package struct ServeConfiguration: Sendable {
    /// Listener, loops and limits of the HTTP server.
    package var http = HTTPServerConfiguration()
    /// Minimum level of log lines.
    package var logLevel: LogLevel = .info
    /// A graph file to serve; `nil` serves only health and metadata.
    package var graphPath: String?

    package init() {}
}
