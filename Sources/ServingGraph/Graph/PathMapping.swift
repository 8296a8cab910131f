/// A step's `input_path` and `result_path`, split into keys once and applied around the step per
/// event (MLRun's body handlers; see ``StepOptions``).
struct PathMapping {
    let inputPath: [String]?
    let resultPath: [String]?

    /// The mapping of `options`; `nil` when the step takes the event as is (`full_event`, or no
    /// paths). An empty path means no path, as an absent key does.
    init?(_ options: StepOptions) {
        guard !options.fullEvent else { return nil }
        inputPath = options.inputPath.flatMap { $0.isEmpty ? nil : Value.pathComponents($0) }
        resultPath = options.resultPath.flatMap { $0.isEmpty ? nil : Value.pathComponents($0) }
        if inputPath == nil && resultPath == nil { return nil }
    }

    /// Runs `step` on the body at `inputPath`, writing its output body at `resultPath`.
    func run(_ step: any Step, _ event: Event) throws -> Event {
        var inner = event
        if let inputPath { inner.body = event.body.value(atPath: inputPath) ?? .null }
        var output = try step.run(inner)
        if let resultPath {
            var body = event.body
            try body.setValue(output.body, atPath: resultPath)
            output.body = body
        }
        return output
    }
}

/// A step wrapped with its path options, for places that hold plain steps (a router's routes).
struct PathMappedStep: Step {
    let step: any Step
    let mapping: PathMapping

    var name: String { step.name }

    func run(_ event: Event) throws -> Event {
        try mapping.run(step, event)
    }
}
