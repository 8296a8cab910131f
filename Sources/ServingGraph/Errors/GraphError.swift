/// Why a graph (built in Swift or loaded from JSON) cannot be compiled into a runnable graph.
///
/// Every case names its subject; `path` is the JSON path of the offending key for graphs loaded
/// from a spec (`graph.steps.enrich.after`) or the step name for graphs built in Swift. All of
/// these are raised at load, before any port is bound.
public enum GraphError: Error, Equatable, CustomStringConvertible {
    /// A spec key holds the wrong JSON type or an invalid value.
    case invalidSpec(path: String, reason: String)
    /// `class_name` (or `handler`) names nothing registered in the ``StepRegistry``.
    case unknownClass(path: String, className: String)
    /// An `after`, `on_error` or error-handler link names no step of the graph.
    case unknownStep(path: String, name: String)
    /// Two steps share one name.
    case duplicateStep(name: String)
    /// The `after` links form a cycle through these steps.
    case cycle(steps: [String])
    /// More than one step is marked as the responder.
    case multipleResponders(first: String, second: String)
    /// A router has no routes.
    case noRoutes(path: String)
    /// A flow has no steps.
    case emptyFlow
    /// `class_args` (or another step argument) is invalid; `path` ends at the argument.
    case invalidArgument(path: String, reason: String)
    /// A valid MLRun construct this implementation does not support (nested flows, joins...).
    case unsupported(path: String, reason: String)

    /// A message naming the problem and its subject.
    public var description: String {
        switch self {
        case .invalidSpec(let path, let reason): "\(path): \(reason)"
        case .unknownClass(let path, let className): "\(path): unknown class '\(className)'"
        case .unknownStep(let path, let name): "\(path): no step named '\(name)'"
        case .duplicateStep(let name): "two steps are named '\(name)'"
        case .cycle(let steps): "cycle between steps \(steps.joined(separator: " -> "))"
        case .multipleResponders(let first, let second):
            "two responders: '\(first)' and '\(second)' (at most one step may respond)"
        case .noRoutes(let path): "\(path): router has no routes"
        case .emptyFlow: "flow has no steps"
        case .invalidArgument(let path, let reason): "\(path): \(reason)"
        case .unsupported(let path, let reason): "\(path): unsupported: \(reason)"
        }
    }
}
