/// A path template such as `/v2/models/{model}/versions/{version}/infer`.
///
/// Literal segments must match exactly; `{name}` segments capture one non-empty segment.
/// Matching walks the path's UTF-8 bytes once, comparing literals byte by byte against one flat copy of
/// the template's literal bytes (no per-segment enum or array to retain); it allocates only the captures,
/// and only when asked for them.
struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case capture(String)
    }

    /// Where one segment's literal bytes are in ``literalBytes``; `count` -1 marks a capture.
    private struct Span: Sendable {
        let start: Int
        let count: Int
    }

    let segments: [Segment]
    let description: String
    /// Every literal segment's bytes, concatenated in template order.
    private let literalBytes: [UInt8]
    /// One span per segment, in template order.
    private let spans: [Span]

    /// Parses a template; `{x}` segments become captures.
    init(_ template: String) {
        description = template
        segments = template.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.first == "{", part.last == "}" {
                return .capture(String(part.dropFirst().dropLast()))
            }
            return .literal(Array(part.utf8))
        }
        var bytes: [UInt8] = []
        var spans: [Span] = []
        for segment in segments {
            switch segment {
            case .literal(let literal):
                spans.append(Span(start: bytes.count, count: literal.count))
                bytes.append(contentsOf: literal)
            case .capture:
                spans.append(Span(start: 0, count: -1))
            }
        }
        literalBytes = bytes
        self.spans = spans
    }

    /// The captured segments in template order, or `nil` when `path` does not match.
    func match(_ path: Substring) -> [Substring]? {
        if let result = path.utf8.withContiguousStorageIfAvailable({ match(utf8: $0, of: path) }) { return result }
        var copy = String(path)
        return copy.withUTF8 { match(utf8: $0, of: path) }
    }

    /// ``match(_:)`` over `utf8`, the bytes of `path` (captures are slices of `path`); with `capturing`
    /// false a match returns no captures (and builds none).
    func match(utf8: UnsafeBufferPointer<UInt8>, of path: Substring, capturing: Bool = true) -> [Substring]? {
        let slash = UInt8(ascii: "/")
        var captures: [Substring] = []
        var i = 0
        let matched = literalBytes.withUnsafeBufferPointer { literals -> Bool in
            for span in spans {
                guard i < utf8.count, utf8[i] == slash else { return false }
                i += 1
                let start = i
                while i < utf8.count, utf8[i] != slash { i += 1 }
                guard start < i else { return false }
                if span.count >= 0 {
                    guard span.count == i - start else { return false }
                    for offset in 0..<span.count where literals[span.start + offset] != utf8[start + offset] {
                        return false
                    }
                } else if capturing {
                    let lower = path.utf8.index(path.utf8.startIndex, offsetBy: start)
                    let upper = path.utf8.index(lower, offsetBy: i - start)
                    captures.append(path[lower..<upper])
                }
            }
            return true
        }
        guard matched else { return nil }
        // A single trailing slash is tolerated (`/v2/` matches `/v2`).
        if i == utf8.count { return captures }
        if utf8[i] == slash, i + 1 == utf8.count { return captures }
        return nil
    }
}
