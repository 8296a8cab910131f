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
