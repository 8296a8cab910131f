/// A failure inside a model hook that is not a client mistake: a bug in the model (HTTP 500).
///
/// Errors a hook throws that are ``ServingError`` or ``InferenceProtocolError`` keep their meaning
/// (400, 404, 503...); anything else is wrapped in this so the response names the model and hook.
public struct ModelHookError: Error, CustomStringConvertible {
    /// The model's name.
    public let model: String
    /// The hook that threw (`load`, `preprocess`, `predict`...).
    public let hook: String
    /// What it threw.
    public let underlying: any Error

    /// A hook failure.
    public init(model: String, hook: String, underlying: any Error) {
        self.model = model
        self.hook = hook
        self.underlying = underlying
    }

    /// `model '<m>' failed in <hook>: <error>`.
    public var description: String { "model '\(model)' failed in \(hook): \(underlying)" }
}
