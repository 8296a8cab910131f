/// A path template such as `/v2/models/{model}/versions/{version}/infer`.
///
/// Literal segments must match exactly; `{name}` segments capture one non-empty segment.
/// Matching walks the path's UTF-8 bytes once, comparing literals byte by byte; it allocates only
/// the captures.
struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case capture(String)
    }

    let segments: [Segment]
    let description: String
    /// How many `{x}` segments the template has.
    private let captureCount: Int

    /// Parses a template; `{x}` segments become captures.
    init(_ template: String) {
        description = template
        segments = template.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.first == "{", part.last == "}" {
                return .capture(String(part.dropFirst().dropLast()))
            }
            return .literal(Array(part.utf8))
        }
        captureCount = segments.filter { if case .capture = $0 { true } else { false } }.count
    }

    /// The captured segments in template order, or `nil` when `path` does not match.
    ///
    /// Native strings are matched over their contiguous UTF-8 with integer offsets (most patterns a
    /// lookup tries do not match, and those cost no allocation); others walk `String.Index`es.
    func match(_ path: Substring) -> [Substring]? {
        let matched: [Substring]?? = path.utf8.withContiguousStorageIfAvailable { bytes in
            matches(bytes) ? captures(of: path, in: bytes) : nil
        }
        return matched ?? matchByIndices(path)
    }

    /// The captured segments of `path` (whose contiguous UTF-8 is `bytes`), which matches.
    func captures(of path: Substring, in bytes: UnsafeBufferPointer<UInt8>) -> [Substring] {
        guard captureCount > 0 else { return [] }
        var captures: [Substring] = []
        captures.reserveCapacity(captureCount)
        let utf8 = path.utf8
        var i = 0
        for segment in segments {
            i += 1  // the slash `matches` found
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "/") { i += 1 }
            if case .capture = segment {
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                captures.append(Substring(utf8[lower..<utf8.index(lower, offsetBy: i - start)]))
            }
        }
        return captures
    }

    /// Whether `bytes` (a path's UTF-8) matches the template.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        var i = 0
        for segment in segments {
            guard i < bytes.count, bytes[i] == slash else { return false }
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != slash { i += 1 }
            guard start < i else { return false }
            if case .literal(let literal) = segment {
                guard literal.count == i - start else { return false }
                let equal = literal.withUnsafeBufferPointer { expected in
                    for k in 0..<expected.count where expected[k] != bytes[start + k] { return false }
                    return true
                }
                guard equal else { return false }
            }
        }
        // A single trailing slash is tolerated (`/v2/` matches `/v2`).
        return i == bytes.count || (bytes[i] == slash && i + 1 == bytes.count)
    }

    /// ``match(_:)`` over `String.Index`es, for strings without contiguous UTF-8.
    private func matchByIndices(_ path: Substring) -> [Substring]? {
        let slash = UInt8(ascii: "/")
        let utf8 = path.utf8
        var captures: [Substring] = []
        var i = utf8.startIndex
        for segment in segments {
            guard i < utf8.endIndex, utf8[i] == slash else { return nil }
            i = utf8.index(after: i)
            let start = i
            while i < utf8.endIndex, utf8[i] != slash { i = utf8.index(after: i) }
            guard start < i else { return nil }
            switch segment {
            case .literal(let bytes):
                guard utf8[start..<i].elementsEqual(bytes) else { return nil }
            case .capture:
                captures.append(Substring(utf8[start..<i]))
            }
        }
        // A single trailing slash is tolerated (`/v2/` matches `/v2`).
        if i == utf8.endIndex { return captures }
        if utf8[i] == slash, utf8.index(after: i) == utf8.endIndex { return captures }
        return nil
    }
}
