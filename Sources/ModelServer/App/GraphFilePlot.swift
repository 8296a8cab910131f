import ServingGraph

/// `serve plot`: the graph of a graph file as Mermaid or Graphviz DOT text (MLRun's `plot()`).
package enum GraphFilePlot {
    /// The text formats a plot is written in.
    package enum Format: String, CaseIterable, Sendable {
        /// A Mermaid `flowchart TD`.
        case mermaid
        /// Graphviz DOT.
        case dot
    }

    /// The plot of `configuration`'s graph; throws, naming the file, the step and the field, when the
    /// graph is invalid (models are built but not loaded).
    package static func render(_ configuration: ServeConfiguration, format: Format) throws -> String {
        let loader = try GraphLoader(configuration: configuration)
        let graph = try loader.makeGraph(catalog: ModelCatalog())
        switch format {
        case .mermaid: return GraphPlot.mermaid(graph)
        case .dot: return GraphPlot.dot(graph)
        }
    }
}
