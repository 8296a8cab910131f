import Glibc

/// Why the open-loop generator cannot start or had to stop.
enum OpenLoopError: Error, Equatable, CustomStringConvertible {
    case missingOption(name: String)
    case missingValue(option: String)
    case unknownOption(String)
    case invalidNumber(option: String, value: String)
    case invalidHeader(String)
    case invalidURL(String, reason: String)
    case nonLoopbackHost(String)
    case unreadableBodyFile(path: String, errno: Int32)
    case connectFailed(host: String, port: UInt16, errno: Int32)
    case systemCallFailed(name: String, errno: Int32)

    var description: String {
        switch self {
        case .missingOption(let name): "missing required option \(name)"
        case .missingValue(let option): "option \(option) needs a value"
        case .unknownOption(let option): "unknown option '\(option)'"
        case .invalidNumber(let option, let value): "option \(option): '\(value)' is not a positive number"
        case .invalidHeader(let header): "header '\(header)' is not of the form 'Name: value'"
        case .invalidURL(let url, let reason): "URL '\(url)': \(reason)"
        case .nonLoopbackHost(let host):
            "host '\(host)' is not a loopback address; OpenLoop only loads 127.0.0.0/8 or localhost"
        case .unreadableBodyFile(let path, let code): "cannot read body file '\(path)': \(errorText(code))"
        case .connectFailed(let host, let port, let code): "connect to \(host):\(port) failed: \(errorText(code))"
        case .systemCallFailed(let name, let code): "\(name) failed: \(errorText(code))"
        }
    }
}

/// `strerror` text with the errno number, for error descriptions.
func errorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return "\(String(cString: text)) (errno \(code))"
}
