/// Where a model is in its life: owned by the server, never set by the model itself.
///
/// `load()` runs once per model (not once per event loop); while it runs the model is `.loading`
/// and answers 503, afterwards `.ready`, or `.failed` with the error `load()` threw (also 503).
public enum ModelState: Sendable, CustomStringConvertible {
    /// `load()` has not finished yet (or has not started).
    case loading
    /// `load()` succeeded; requests are served.
    case ready
    /// `load()` threw this error; requests answer 503 naming it.
    case failed(any Error)

    /// True for `.ready`.
    public var isReady: Bool {
        if case .ready = self { return true }
        return false
    }

    /// `loading`, `ready` or `failed: <error>`.
    public var description: String {
        switch self {
        case .loading: "loading"
        case .ready: "ready"
        case .failed(let error): "failed: \(error)"
        }
    }
}
