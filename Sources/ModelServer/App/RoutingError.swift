/// Why a request matched no endpoint.
enum RoutingError: Error, Equatable, CustomStringConvertible {
    case noRoute(method: String, path: String)
    case methodNotAllowed(method: String, path: String, allowed: [String])

    var description: String {
        switch self {
        case .noRoute(let method, let path):
            "no endpoint for \(method) \(path)"
        case .methodNotAllowed(let method, let path, let allowed):
            "method \(method) is not allowed on \(path) (allowed: \(allowed.joined(separator: ", ")))"
        }
    }
}
