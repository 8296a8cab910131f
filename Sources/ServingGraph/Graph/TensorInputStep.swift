/// A step that can take the numbers of a ``ToTensorStep`` it directly follows (a model), instead of decoding the
/// `{"inputs": [...]}` body that step writes. The compiled graph hands them over only where nothing else could
/// see that body: the tensor step's only child, no error handler on the graph or either step, no path mapping
/// (``CompiledGraph``'s tensor hand-over).
package protocol TensorInputStep: Step {
    /// The output of ``Step/run(_:)`` for `event` with the body the tensor step writes for `tensor`, which
    /// `body()` builds for a path that needs it; `event`'s own body is the tensor step's input and is not read.
    func run(_ event: Event, tensor: TensorRows, body: () -> Value) throws -> Event
}
