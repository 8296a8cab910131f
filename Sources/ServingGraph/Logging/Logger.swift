import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Severity of a log line, lowest first.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case trace, debug, info, warning, error

    /// Parses `trace`, `debug`, `info`, `warning` (or `warn`) and `error`.
    public init?(name: String) {
        switch name.lowercased() {
        case "trace": self = .trace
        case "debug": self = .debug
        case "info": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The one logger of the project: one line per event on stderr, `ts level label msg k=v`.
///
/// Messages are `@autoclosure`s, so a line below the threshold costs a comparison. The threshold
/// is process-wide (``Logger/setLevel(_:)``), set once by `serve` from `--log-level`.
public struct Logger: Sendable {
    private static let threshold = Atomic<Int>(LogLevel.info.rawValue)
    private static let writeLock = Mutex<Void>(())

    /// The component that logs (`http`, `store`, `graph`...).
    public let label: String

    /// A logger for one component.
    public init(label: String) {
        self.label = label
    }

    /// Sets the process-wide minimum level.
    public static func setLevel(_ level: LogLevel) {
        threshold.store(level.rawValue, ordering: .relaxed)
    }

    /// The process-wide minimum level.
    public static var level: LogLevel {
        LogLevel(rawValue: threshold.load(ordering: .relaxed)) ?? .info
    }

    /// True when lines at `level` are written.
    public func isEnabled(_ level: LogLevel) -> Bool {
        level.rawValue >= Self.threshold.load(ordering: .relaxed)
    }

    /// Writes `message` and `metadata` (as `k=v` pairs) when `level` is at or above the threshold.
    public func log(
        _ level: LogLevel, _ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []
    ) {
        guard isEnabled(level) else { return }
        var line = "\(Self.timestamp()) \(level) \(label) \(message())"
        for (key, value) in metadata() {
            line += " \(key)=\(value.contains(" ") ? "\"\(value)\"" : value)"
        }
        line += "\n"
        Self.writeLock.withLock { _ in
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(2, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    if n <= 0 {
                        if n < 0 && errno == EINTR { continue }
                        return
                    }
                    offset += n
                }
            }
        }
    }

    public func trace(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.trace, message(), metadata())
    }
    public func debug(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.debug, message(), metadata())
    }
    public func info(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.info, message(), metadata())
    }
    public func warning(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.warning, message(), metadata())
    }
    public func error(_ message: @autoclosure () -> String, _ metadata: @autoclosure () -> [(String, String)] = []) {
        log(.error, message(), metadata())
    }

    /// UTC wall clock as `2026-11-25T09:50:51.123Z`.
    private static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = time_t(ts.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let millis = Int32(ts.tv_nsec / 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}
