/// A step of a ``CompiledGraph`` with everything the walk needs precomputed: its parent's slot,
/// where its branch ends, split option paths and its error handler's slot.
final class CompiledNode {
    /// Where a step's input comes from, decided at compile time so the walk keeps only fork outputs.
    enum Input: Equatable {
        /// The request event (a start step).
        case request
        /// The output of the step just before in walk order (its parent with one child, or first child).
        case previous
        /// The saved output of a fork (a step with several children), by fork slot.
        case fork(Int)
    }

    let step: any Step
    let name: String
    /// Slot (in walk order) of the step whose output this step receives; -1 for the request event.
    let parent: Int
    /// Walk index just past this step's descendants: where the walk resumes when it skips them.
    var subtreeEnd: Int
    /// True for the responder and the steps leading to it: their failures decide the response.
    let isOnResponsePath: Bool
    /// Slot in ``CompiledGraph``'s handlers of this step's own error handler.
    let errorHandler: Int?
    /// `input_path`/`result_path`, when the step has them and is not `full_event`.
    let mapping: PathMapping?
    /// Where the input comes from.
    var input: Input = .request
    /// The slot this step's output is saved in when it is a fork.
    var forkSlot: Int?
    /// For an error handler with `before`: the walk slot that continues from the handler's output.
    var resumeSlot: Int?
    /// Set on a ``ToTensorStep`` whose only child takes its numbers directly (``TensorInputStep``).
    var tensorProducer: ToTensorStep?
    /// Set on that child.
    var tensorConsumer: (any TensorInputStep)?

    init(
        step: any Step, parent: Int, subtreeEnd: Int, isOnResponsePath: Bool, errorHandler: Int?,
        options: StepOptions
    ) {
        self.step = step
        self.name = step.name
        self.parent = parent
        self.subtreeEnd = subtreeEnd
        self.isOnResponsePath = isOnResponsePath
        self.errorHandler = errorHandler
        self.mapping = PathMapping(options)
    }

    /// Runs the step with `input_path`/`result_path` applied (unless `full_event`).
    func run(_ event: Event) throws -> Event {
        guard let mapping else { return try step.run(event) }
        return try mapping.run(step, event)
    }
}
