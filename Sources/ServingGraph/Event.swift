#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One request travelling through a serving graph: its body plus the request metadata steps may read.
///
/// A value type: a step receives an event and returns the event to pass on, so a fan-out gives
/// each branch the event as it left the fork. Field meanings follow MLRun's event
/// (see reference/mlrun.md §3.3).
///
/// ```swift
/// let event = Event(body: ["amount": 12.5], path: "/v2/models/fraud/infer")
/// ```
public struct Event: Sendable {
    /// The request body, decoded from JSON; steps mostly read and replace this.
    public var body: Value
    /// The event id: the request's `id`, an `X-Event-Id` header, or 32 random hex digits.
    public var id: String
    /// The request path, `/` by default.
    public var path: String
    /// The HTTP method in upper case (`GET`, `POST`...).
    public var method: String
    /// Request headers in arrival order; repeated names are kept. Look up with ``header(_:)``.
    public var headers: [(name: String, value: String)]
    /// The request's content type, when it had one.
    public var contentType: String?
    /// When the request arrived, in milliseconds since the Unix epoch.
    public var receivedAt: Int64
    /// The failure that sent this event to an error handler; `nil` on the normal path.
    public var error: (any Error)?
    /// The name of the step whose failure sent this event to an error handler.
    public var originStep: String?
    /// Set by a step to stop the walk of its branch: later steps of the branch do not run.
    public var isTerminated: Bool
    /// Per-request scratch space steps may share (not part of the response).
    public var state: ValueObject

    /// An event; `id` defaults to 32 random hex digits and `receivedAt` to now.
    public init(
        body: Value = .null,
        id: String? = nil,
        path: String = "/",
        method: String = "POST",
        headers: [(name: String, value: String)] = [],
        contentType: String? = nil,
        receivedAt: Int64? = nil
    ) {
        self.body = body
        self.id = id ?? Event.makeID()
        self.path = path
        self.method = method
        self.headers = headers
        self.contentType = contentType
        self.receivedAt = receivedAt ?? Event.nowMilliseconds()
        self.error = nil
        self.originStep = nil
        self.isTerminated = false
        self.state = ValueObject()
    }

    /// The value of the first header named `name`, compared case-insensitively (RFC 9110 §5.1).
    public func header(_ name: String) -> String? {
        for header in headers where Event.equalsIgnoringASCIICase(header.name, name) {
            return header.value
        }
        return nil
    }

    /// 32 random lowercase hex digits, the shape of MLRun's default event id.
    public static func makeID() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    /// The wall clock in milliseconds since the Unix epoch.
    public static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func equalsIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8
        let y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where p != q {
            let lp = p >= 65 && p <= 90 ? p + 32 : p
            let lq = q >= 65 && q <= 90 ? q + 32 : q
            if lp != lq { return false }
        }
        return true
    }
}
