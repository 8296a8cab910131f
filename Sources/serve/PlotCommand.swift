import ModelServer
import ServingGraph

/// `serve plot graph.json [--format mermaid|dot]`
enum PlotCommand {
    static let help = """
        USAGE: serve plot <graph.json> [--format mermaid|dot]

        Prints the graph (MLRun's plot()): one node per step, a double border on the responder, edges
        from `after` links, route edges labelled with the route name, dashed edges to error handlers.
        The graph is validated first (as `serve run` does); models are not loaded.

        OPTIONS:
          --format <format>   mermaid (a flowchart for Markdown) or dot (Graphviz; default mermaid)
          -h, --help          show this help
        """

    static func main(_ rawArguments: [String]) -> Int32 {
        var arguments = CommandArguments(rawArguments)
        if arguments.showsHelp(help) { return 0 }
        var configuration = ServeConfiguration()
        let format: GraphFilePlot.Format
        do {
            let name = try arguments.option("--format") ?? "mermaid"
            guard let parsed = GraphFilePlot.Format(rawValue: name) else {
                throw CommandLineError.invalidValue(option: "--format", value: name, expected: "mermaid or dot")
            }
            format = parsed
            guard let path = arguments.positional() else { throw CommandLineError.missingArgument("<graph.json>") }
            configuration.graphPath = path
            try arguments.finish()
        } catch {
            return CommandArguments.usageError("plot", error)
        }
        Logger.setLevel(.warning)
        do {
            print(try GraphFilePlot.render(configuration, format: format), terminator: "")
            return 0
        } catch {
            printError("serve plot: \(error)")
            return 1
        }
    }
}
