#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends each event body as one JSON line to a file and passes the event on unchanged. The file
/// is opened once (created if missing, `O_APPEND`) when the step is built, so a bad path fails at
/// load; each line is written with one `write(2)`, so it reaches the OS before the next step runs.
///
/// ```json
/// {"kind": "task", "class_name": "AppendJSONL", "class_args": {"path": "/var/log/serve/requests.jsonl"}}
/// ```
/// Loop-confined: each loop's graph opens its own descriptor; `O_APPEND` keeps lines whole.
public struct AppendJSONLStep: Step {
    /// The step's name in the graph.
    public let name: String
    /// The file appended to.
    public let path: String
    private let file: AppendOnlyFile

    /// Opens (creating if needed) `path` for appending; throws ``GraphError`` when it cannot.
    public init(name: String, path: String) throws(GraphError) {
        guard let file = AppendOnlyFile(path: path) else {
            throw .invalidArgument(
                path: "\(name).path", reason: "cannot open '\(path)' for appending: \(AppendOnlyFile.lastError())")
        }
        self.name = name
        self.path = path
        self.file = file
    }

    /// Builds the step from `{"path": "file.jsonl"}`.
    public init(name: String, arguments: StepArguments) throws(GraphError) {
        try arguments.rejectUnknown(["path"])
        guard let path = try arguments.string("path"), !path.isEmpty else {
            throw arguments.invalid("path", "missing required argument")
        }
        guard let file = AppendOnlyFile(path: path) else {
            throw arguments.invalid("path", "cannot open '\(path)' for appending: \(AppendOnlyFile.lastError())")
        }
        self.name = name
        self.path = path
        self.file = file
    }

    /// Applies the step to one event; see the type's documentation for what it does.
    public func run(_ event: Event) throws -> Event {
        var line = JSONWriter.bytes(event.body)
        line.append(UInt8(ascii: "\n"))
        guard file.append(line) else {
            throw ServingError.internalFailure(
                "step '\(name)': cannot append to '\(path)': \(AppendOnlyFile.lastError())")
        }
        return event
    }
}

/// A descriptor opened for appending, closed when the last step holding it goes away.
final class AppendOnlyFile {
    private let descriptor: Int32

    init?(path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Writes all of `bytes`, retrying on EINTR and short writes; false on any other failure.
    func append(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
