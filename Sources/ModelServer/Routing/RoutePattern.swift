/// A path template such as `/v2/models/{model}/versions/{version}/infer`.
///
/// Literal segments must match exactly; `{name}` segments capture one non-empty segment.
/// Matching splits on `/` without allocating per segment beyond the captures.
struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
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
            return .literal(String(part))
        }
    }

    /// The captured segments in template order, or `nil` when `path` does not match.
    func match(_ path: Substring) -> [Substring]? {
        var captures: [Substring] = []
        var rest = path.utf8[...]
        for segment in segments {
            guard rest.first == UInt8(ascii: "/") else { return nil }
            rest = rest.dropFirst()
            let end = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
            let part = Substring(rest[rest.startIndex..<end])
            guard !part.isEmpty else { return nil }
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .capture:
                captures.append(part)
            }
            rest = rest[end...]
        }
        // A single trailing slash is tolerated (`/v2/` matches `/v2`).
        if rest.isEmpty || (rest.count == 1 && rest.first == UInt8(ascii: "/")) {
            return captures
        }
        return nil
    }
}
