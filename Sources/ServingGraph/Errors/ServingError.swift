/// Why a step refused or failed an event; the HTTP layer maps each case to one status code.
///
/// Steps (built-in and user-written) throw these; `ModelServer`'s error mapping turns
/// `.invalidInput` into 400, `.notFound` into 404, `.notReady` into 503, `.unsupported` into 501,
/// `.timeout` into 504 and `.internalFailure` into 500.
public enum ServingError: Error, Equatable, CustomStringConvertible {
    /// The request body or path is not what the step accepts (400).
    case invalidInput(String)
    /// The addressed model, route or entity does not exist (404).
    case notFound(String)
    /// The step or model cannot serve yet, e.g. still loading (503).
    case notReady(String)
    /// The operation is not implemented by this step or model (501).
    case unsupported(String)
    /// The step gave up waiting for something it depends on (504).
    case timeout(String)
    /// A failure of the server itself, not of the request (500).
    case internalFailure(String)

    /// The message without the category prefix.
    public var message: String {
        switch self {
        case .invalidInput(let m), .notFound(let m), .notReady(let m), .unsupported(let m), .timeout(let m),
            .internalFailure(let m):
            m
        }
    }

    /// A message naming the problem and its subject.
    public var description: String {
        switch self {
        case .invalidInput(let message): "invalid input: \(message)"
        case .notFound(let message): "not found: \(message)"
        case .notReady(let message): "not ready: \(message)"
        case .unsupported(let message): "unsupported: \(message)"
        case .timeout(let message): "timeout: \(message)"
        case .internalFailure(let message): "internal failure: \(message)"
        }
    }
}
