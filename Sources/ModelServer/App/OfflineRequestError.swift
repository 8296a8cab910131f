/// Why a request to the offline feature-vector endpoint is refused.
enum OfflineRequestError: Error, Equatable, CustomStringConvertible {
    /// No feature vector of that name is configured (`--feature-vector`).
    case unknownVector(name: String)
    /// The body is not the expected shape.
    case badBody(reason: String)

    var description: String {
        switch self {
        case .unknownVector(let name): "unknown feature vector '\(name)'"
        case .badBody(let reason): "offline request body: \(reason)"
        }
    }
}
