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

    /// Parses a template; `{x}` segments become captures.
    init(_ template: String) {
        description = template
        segments = template.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.first == "{", part.last == "}" {
                return .capture(String(part.dropFirst().dropLast()))
            }
            return .literal(Array(part.utf8))
        }
    }

    /// The captured segments in template order, or `nil` when `path` does not match.
    func match(_ path: Substring) -> [Substring]? {
        if let result = path.utf8.withContiguousStorageIfAvailable({ match(utf8: $0, of: path) }) { return result }
        var copy = String(path)
        return copy.withUTF8 { match(utf8: $0, of: path) }
    }

    /// ``match(_:)`` over `utf8`, the bytes of `path` (captures are slices of `path`): byte compares on a
    /// buffer, no index arithmetic of `String.UTF8View` per byte.
    func match(utf8: UnsafeBufferPointer<UInt8>, of path: Substring) -> [Substring]? {
        let slash = UInt8(ascii: "/")
        var captures: [Substring] = []
        var i = 0
        for segment in segments {
            guard i < utf8.count, utf8[i] == slash else { return nil }
            i += 1
            let start = i
            while i < utf8.count, utf8[i] != slash { i += 1 }
            guard start < i else { return nil }
            switch segment {
            case .literal(let bytes):
                guard bytes.count == i - start, bytes.elementsEqual(UnsafeBufferPointer(rebasing: utf8[start..<i]))
                else { return nil }
            case .capture:
                let lower = path.utf8.index(path.utf8.startIndex, offsetBy: start)
                let upper = path.utf8.index(lower, offsetBy: i - start)
                captures.append(path[lower..<upper])
            }
        }
        // A single trailing slash is tolerated (`/v2/` matches `/v2`).
        if i == utf8.count { return captures }
        if utf8[i] == slash, i + 1 == utf8.count { return captures }
        return nil
    }
}
