import FeatureEnrich
import ServingGraph

/// The one place that maps errors to an HTTP status and a JSON body `{"error": "..."}`.
///
/// Add a case here for every new error domain; anything unknown (a bug in a user hook) is a 500.
enum ErrorResponse {
    /// The HTTP status for `error`.
    static func status(for error: any Error) -> HTTPStatus {
        switch error {
        case let routing as RoutingError:
            switch routing {
            case .noRoute: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            }
        case is JSONParseError:
            return .badRequest
        case let store as OnlineStoreError:
            switch store {
            case .unknownFeatureSet: return .notFound
            case .unknownFeature, .badEvent: return .badRequest
            case .precedingWriteFailed: return .serviceUnavailable
            case .eventInFlight: return .conflict
            case .definitionChanged, .duplicateFeatureSet, .storedDefinitionUnreadable, .rebuildFailed,
                .corruptState:
                return .internalServerError
            }
        case is FeatureEventError:
            return .badRequest
        case let request as FeatureStoreRequestError:
            switch request {
            case .entityNotFound: return .notFound
            case .badQuery, .badEscape, .badPath: return .badRequest
            }
        case let writer as StoreWriterError:
            switch writer {
            case .closed, .queueFull: return .serviceUnavailable
            case .transactionFailed, .calledFromWriterThread, .threadStartFailed: return .internalServerError
            }
        default:
            return .internalServerError
        }
    }

    /// A JSON error response for `error`, with `Allow` on 405.
    static func response(for error: any Error) -> HTTPResponse {
        let status = status(for: error)
        var body = ValueObject(minimumCapacity: 1)
        body["error"] = .string(String(describing: error))
        var response = HTTPResponse.json(status, JSONWriter.bytes(.object(body)))
        if case RoutingError.methodNotAllowed(_, _, let allowed)? = error as? RoutingError {
            response.headers.replaceOrAdd(name: "Allow", value: allowed.joined(separator: ", "))
        }
        return response
    }
}
