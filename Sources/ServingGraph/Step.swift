/// One node of a serving graph. Loop-confined: every event loop builds its own graph, so a step
/// needs no locks.
///
/// A step receives the whole ``Event`` and returns the event to pass on. Graph options decide
/// what it sees: with `input_path` its event's body is that part of the request body, and with
/// `result_path` its output body is written back into the request body at that path (see
/// ``StepOptions``).
///
/// ```swift
/// struct Double: Step {
///     let name = "double"
///     func run(_ event: Event) throws -> Event {
///         guard let x = event.body["x"]?.doubleValue else { throw ServingError.invalidInput("x must be a number") }
///         var out = event
///         out.body = ["x": .double(x * 2)]
///         return out
///     }
/// }
/// ```
public protocol Step {
    /// Unique within the graph; named in `after:` links and in error messages.
    var name: String { get }
    /// Returns the event to pass on. Throw to send the event to the step's or the graph's error handler.
    func run(_ event: Event) throws -> Event
}

/// How a graph feeds a step and stores its result (MLRun's `input_path`, `result_path`, `full_event`).
public struct StepOptions: Sendable, Equatable {
    /// Dotted path into the body given to the step as its body; `nil` gives the whole body.
    public var inputPath: String?
    /// Dotted path where the step's output body is written into the request body (objects are
    /// created on the way); `nil` makes the output body the new body.
    public var resultPath: String?
    /// When true the step gets the event untouched and `inputPath`/`resultPath` are ignored.
    public var fullEvent: Bool

    /// Options; the defaults give the step the whole body and take its output as the new body.
    public init(inputPath: String? = nil, resultPath: String? = nil, fullEvent: Bool = false) {
        self.inputPath = inputPath
        self.resultPath = resultPath
        self.fullEvent = fullEvent
    }
}
