/// A Feast feature-server error: its HTTP status and, where Feast has one, the `feast.errors` class the SDK
/// re-raises. The body is Feast's format, a JSON string holding `{"module", "class", "message"}`.
enum FeastError: Error, CustomStringConvertible {
    /// No feature set (feature view) of that name.
    case featureViewNotFound(name: String)
    /// No feature service of that name.
    case featureServiceNotFound(name: String)
    /// No push source (or feature set) of that name.
    case pushSourceNotFound(name: String)
    /// A client mistake (bad JSON, unknown feature of a known view, missing join key, ragged entities).
    case badRequest(message: String)

    /// The HTTP status Feast answers (client mistakes 400, never 500: the SDK retries 5xx).
    var status: HTTPStatus {
        switch self {
        case .featureViewNotFound, .featureServiceNotFound: .notFound
        case .pushSourceNotFound: .unprocessableContent
        case .badRequest: .badRequest
        }
    }

    /// The `feast.errors` class name.
    var className: String {
        switch self {
        case .featureViewNotFound: "FeatureViewNotFoundException"
        case .featureServiceNotFound: "FeatureServiceNotFoundException"
        case .pushSourceNotFound: "PushSourceNotFoundException"
        case .badRequest: "FeastError"
        }
    }

    var description: String {
        switch self {
        case .featureViewNotFound(let name): "Feature view \(name) does not exist"
        case .featureServiceNotFound(let name): "Feature service \(name) does not exist"
        case .pushSourceNotFound(let name): "Unable to find push source '\(name)'."
        case .badRequest(let message): message
        }
    }
}
