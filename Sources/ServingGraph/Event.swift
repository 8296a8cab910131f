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
    /// Set by a step to stop the walk of its branch: later steps of the branch do not run.
    public var isTerminated: Bool
    /// Everything but the body, boxed so passing an event from step to step costs two retains
    /// instead of one per field; copied on write.
    @usableFromInline var metadata: EventMetadata

    /// The event id: the request's `id`, an `X-Event-Id` header, or 32 random hex digits.
    public var id: String {
        get { metadata.id }
        set { uniqueMetadata().id = newValue }
    }
    /// The request path, `/` by default.
    public var path: String {
        get { metadata.path }
        set { uniqueMetadata().path = newValue }
    }
    /// The HTTP method in upper case (`GET`, `POST`...).
    public var method: String {
        get { metadata.method }
        set { uniqueMetadata().method = newValue }
    }
    /// Request headers in arrival order; repeated names are kept. Look up with ``header(_:)``.
    public var headers: [(name: String, value: String)] {
        get { metadata.headers }
        set { uniqueMetadata().headers = newValue }
    }
    /// The request's content type, when it had one.
    public var contentType: String? {
        get { metadata.contentType }
        set { uniqueMetadata().contentType = newValue }
    }
    /// When the request arrived, in milliseconds since the Unix epoch.
    public var receivedAt: Int64 {
        get { metadata.receivedAtMicroseconds / 1000 }
        set { uniqueMetadata().receivedAtMicroseconds = newValue * 1000 }
    }
    /// When the request arrived, in microseconds since the Unix epoch (MLRun's `timestamp` precision).
    public var receivedAtMicroseconds: Int64 {
        get { metadata.receivedAtMicroseconds }
        set { uniqueMetadata().receivedAtMicroseconds = newValue }
    }
    /// The failure that sent this event to an error handler; `nil` on the normal path.
    public var error: (any Error)? {
        get { metadata.error }
        set { uniqueMetadata().error = newValue }
    }
    /// The name of the step whose failure sent this event to an error handler.
    public var originStep: String? {
        get { metadata.originStep }
        set { uniqueMetadata().originStep = newValue }
    }
    /// Per-request scratch space steps may share (not part of the response).
    public var state: ValueObject {
        get { metadata.state }
        set { uniqueMetadata().state = newValue }
    }

    /// A typed per-request value that is not JSON (a pending store commit, a model's raw output...),
    /// addressed by a key type; later steps and the server read it back with the same key.
    ///
    /// ```swift
    /// enum CommitTicketKey: EventStorageKey { typealias Value = CommitTicket }
    /// event[CommitTicketKey.self] = ticket
    /// ```
    @inlinable public subscript<Key: EventStorageKey>(key: Key.Type) -> Key.Value? {
        get {
            // The common read ("is there an earlier ticket?") finds an empty storage; a miss costs no dynamic cast.
            guard let index = metadata.storageIndex(of: ObjectIdentifier(key)) else { return nil }
            return metadata.storage[index].value as? Key.Value
        }
        set {
            let index = metadata.storageIndex(of: ObjectIdentifier(key))
            // Clearing a key the event does not hold changes nothing: no copy of shared metadata for it.
            if newValue == nil && index == nil { return }
            let metadata = uniqueMetadata()
            switch (index, newValue) {
            case (let index?, let value?): metadata.storage[index].value = value
            case (let index?, nil): metadata.storage.remove(at: index)
            case (nil, let value?):
                // Room for the few values a request's steps store, so the second one does not grow the array.
                if metadata.storage.isEmpty { metadata.storage.reserveCapacity(EventMetadata.storageCapacity) }
                metadata.storage.append(EventStorageEntry(key: ObjectIdentifier(key), value: value))
            case (nil, nil): return
            }
        }
    }

    /// An event; `id` defaults to 32 random hex digits and `receivedAt` (milliseconds) to now, to the microsecond.
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
        self.isTerminated = false
        self.metadata = EventMetadata(
            id: id ?? Event.makeID(), path: path, method: method, headers: headers, contentType: contentType,
            receivedAtMicroseconds: receivedAt.map { $0 * 1000 } ?? Event.nowMicroseconds())
    }

    @usableFromInline mutating func uniqueMetadata() -> EventMetadata {
        if !isKnownUniquelyReferenced(&metadata) { metadata = metadata.copy() }
        return metadata
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
        nowMicroseconds() / 1000
    }

    /// The wall clock in microseconds since the Unix epoch.
    public static func nowMicroseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
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

/// The copy-on-write box behind ``Event``'s fields other than its body.
///
/// `@unchecked Sendable` because it is mutated only through `Event.uniqueMetadata()`, which copies
/// it first unless the event holds the only reference; a shared box is never written. For the same reason no
/// two accesses to one box's fields can overlap, so its fields skip the runtime's exclusivity checks
/// (`@exclusivity(unchecked)`: about twenty `swift_beginAccess` calls per request on the serving path).
@usableFromInline final class EventMetadata: @unchecked Sendable {
    @exclusivity(unchecked) var id: String
    @exclusivity(unchecked) var path: String
    @exclusivity(unchecked) var method: String
    @exclusivity(unchecked) var headers: [(name: String, value: String)]
    @exclusivity(unchecked) var contentType: String?
    @exclusivity(unchecked) var receivedAtMicroseconds: Int64
    @exclusivity(unchecked) var error: (any Error)?
    @exclusivity(unchecked) var originStep: String?
    @exclusivity(unchecked) var state: ValueObject
    /// The typed values of ``Event/subscript(_:)``, one per key type, in the order first stored: a request holds
    /// a handful, so a linear scan of identifiers costs less than hashing them.
    @usableFromInline @exclusivity(unchecked) var storage: [EventStorageEntry] = []
    /// Values reserved for at the first store into ``storage`` (a commit ticket, a snapshot, a deferred response...).
    @inlinable static var storageCapacity: Int { 4 }

    /// The position of `key`'s value in ``storage``, or nil.
    @inlinable func storageIndex(of key: ObjectIdentifier) -> Int? {
        for index in storage.indices where storage[index].key == key { return index }
        return nil
    }

    init(
        id: String, path: String, method: String, headers: [(name: String, value: String)], contentType: String?,
        receivedAtMicroseconds: Int64, error: (any Error)? = nil, originStep: String? = nil,
        state: ValueObject = ValueObject()
    ) {
        self.id = id
        self.path = path
        self.method = method
        self.headers = headers
        self.contentType = contentType
        self.receivedAtMicroseconds = receivedAtMicroseconds
        self.error = error
        self.originStep = originStep
        self.state = state
    }

    @usableFromInline func copy() -> EventMetadata {
        let copy = EventMetadata(
            id: id, path: path, method: method, headers: headers, contentType: contentType,
            receivedAtMicroseconds: receivedAtMicroseconds, error: error, originStep: originStep, state: state)
        copy.storage = storage
        return copy
    }
}

/// One typed per-request value of an ``Event`` and the identifier of its key type (a struct, not a tuple,
/// so copying one runs compiled code rather than the runtime's generic tuple witnesses).
@usableFromInline struct EventStorageEntry: Sendable {
    @usableFromInline var key: ObjectIdentifier
    @usableFromInline var value: any Sendable

    @inlinable init(key: ObjectIdentifier, value: any Sendable) {
        self.key = key
        self.value = value
    }
}

/// The key of a typed per-request value in an ``Event`` (see ``Event/subscript(_:)``).
public protocol EventStorageKey {
    /// The type of the value stored under this key.
    associatedtype Value: Sendable
}
