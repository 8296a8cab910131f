import FeatureEnrich
import ServingGraph

/// The one place that maps errors to an HTTP status and a JSON body `{"error": "..."}`.
///
/// Add a case here for every new error domain; anything unknown (a bug in a user hook) is a 500.
/// Statuses follow KServe's mapping (STYLE.md): client mistakes 400, unknown model 404, not ready
/// 503, unsupported 501, deadline 504, everything else 500.
enum ErrorResponse {
    /// The HTTP status for `error`.
    static func status(for error: any Error) -> HTTPStatus {
        switch error {
        case let routing as RoutingError:
            switch routing {
            case .noRoute: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            }
        case is JSONParseError, is InferenceProtocolError:
            return .badRequest
        case let serving as ServingError:
            switch serving {
            case .invalidInput: return .badRequest
            case .notFound: return .notFound
            case .notReady: return .serviceUnavailable
            case .unsupported: return .notImplemented
            case .timeout: return .gatewayTimeout
            case .internalFailure: return .internalServerError
            }
        case let store as OnlineStoreError:
            switch store {
            case .unknownFeatureSet: return .notFound
            case .unknownFeature, .badEvent, .rejectedEvent: return .badRequest
            case .precedingWriteFailed: return .serviceUnavailable
            case .eventInFlight: return .conflict
            case .definitionChanged, .duplicateFeatureSet, .storedDefinitionUnreadable, .rebuildFailed,
                .corruptState:
                return .internalServerError
            }
        case is FeatureEventError, is TrainingSetError, is FeatureVectorError, is IngestError:
            return .badRequest
        case let offline as OfflineRequestError:
            switch offline {
            case .unknownVector: return .notFound
            case .badBody: return .badRequest
            }
        case let online as OnlineFeatureError:
            switch online {
            case .unknownVector: return .notFound
            case .featureSetNotServed, .unknownImputeColumn, .unknownImputeStatistic: return .internalServerError
            case .missingEntityKey, .wrongEntityKeyType, .wrongRowLength, .badRequest: return .badRequest
            }
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

    /// The message of the error body: a ``ServingError``'s message without its category prefix.
    static func message(for error: any Error) -> String {
        if let serving = error as? ServingError { return serving.message }
        if let parse = error as? JSONParseError { return "request body is not valid JSON: \(parse)" }
        return String(describing: error)
    }

    /// MLRun's error answer (reference/mlrun.md §1.6), for clients written against MLRun: 400 for
    /// every graph error, `text/plain`, body `<ErrorTypeName>: <message>`.
    static func mlrunResponse(for error: any Error) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain")
        let body = "\(type(of: error)): \(message(for: error))"
        return HTTPResponse(status: .badRequest, headers: headers, body: Array(body.utf8))
    }

    /// A JSON error response for `error`, with `Allow` on 405; a rejected event also names its `row` (index in
    /// the request), `field` and `validator`.
    static func response(for error: any Error) -> HTTPResponse {
        if case .rejectedEvent(_, let row, let violation)? = error as? OnlineStoreError {
            return .json(
                .badRequest,
                JSONWriter.bytes([
                    "error": .string(message(for: error)), "row": .int(Int64(row)), "field": .string(violation.feature),
                    "validator": .string(violation.validator.rawValue),
                ]))
        }
        var response = HTTPResponse.error(status(for: error), message: message(for: error))
        if case RoutingError.methodNotAllowed(_, _, let allowed)? = error as? RoutingError {
            response.headers.replaceOrAdd(name: "Allow", value: allowed.joined(separator: ", "))
        }
        return response
    }
}
