/// Maps a method and a path to a route identifier and its captured path segments.
///
/// `Route` is the caller's enum of endpoints, so dispatch is a switch, not string comparison.
/// A path that matches a template under another method gives ``RouteLookup/methodNotAllowed(allowed:)``
/// (the caller answers 405 with `Allow`).
///
/// Templates are tried in the order added, but only those whose first segment can match the path's: the
/// entries are grouped by their first literal segment (`v2`, `get-online-features`, ...) once, so a lookup
/// compares one short segment per group instead of walking every template (a template starting with a capture,
/// or the root, is a candidate for every path).
struct Router<Route: Sendable>: Sendable {
    private struct Entry: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        let route: Route
        /// Whether the lookup returns the captures (false: callers that do not read them).
        let capturing: Bool
    }

    /// The outcome of a lookup.
    enum RouteLookup {
        case found(Route, captures: [Substring])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private var entries: [Entry] = []
    /// Indices into `entries`, in order, of the templates a path with this first segment may match.
    private var groups: [(firstSegment: [UInt8], candidates: [Int])] = []
    /// Indices of the templates whose first segment is not a literal: candidates for any path.
    private var anyFirstSegment: [Int] = []

    /// Adds `route` for `method` on `template`. `GET` routes also answer `HEAD`. With `capturing` false
    /// the route is found with no captures (for callers that do not read them).
    mutating func add(_ method: HTTPMethod, _ template: String, _ route: Route, capturing: Bool = true) {
        let pattern = RoutePattern(template)
        let index = entries.count
        entries.append(Entry(method: method, pattern: pattern, route: route, capturing: capturing))
        guard case .literal(let first)? = pattern.segments.first else {
            anyFirstSegment.append(index)
            for group in groups.indices { groups[group].candidates.append(index) }
            return
        }
        if let group = groups.firstIndex(where: { $0.firstSegment == first }) {
            groups[group].candidates.append(index)
        } else {
            groups.append((first, anyFirstSegment + [index]))
        }
    }

    /// Finds the route for `method` on `path`.
    func lookup(_ method: HTTPMethod, _ path: Substring) -> RouteLookup {
        if let result = path.utf8.withContiguousStorageIfAvailable({ lookup(method, utf8: $0, of: path) }) {
            return result
        }
        var copy = String(path)
        return copy.withUTF8 { lookup(method, utf8: $0, of: path) }
    }

    /// ``lookup(_:_:)`` over `utf8`, the bytes of `path`. Templates of the request's method are tried first,
    /// in order (the first match wins, as if all were tried in order); only when none matches are the others
    /// matched, to tell 405 from 404. So a request never pays for the patterns of other methods.
    private func lookup(_ method: HTTPMethod, utf8: UnsafeBufferPointer<UInt8>, of path: Substring) -> RouteLookup {
        let candidates = candidates(for: utf8)
        // Entries are read in place through the buffer: no copy (and no retains) of a pattern per candidate.
        return entries.withUnsafeBufferPointer { entries in
            for index in candidates where Self.answers(entries[index].method, method) {
                let capturing = entries[index].capturing
                guard let captures = entries[index].pattern.match(utf8: utf8, of: path, capturing: capturing) else {
                    continue
                }
                return .found(entries[index].route, captures: captures)
            }
            var allowed: [HTTPMethod] = []
            for index in candidates where !Self.answers(entries[index].method, method) {
                guard entries[index].pattern.match(utf8: utf8, of: path, capturing: false) != nil else { continue }
                if !allowed.contains(entries[index].method) { allowed.append(entries[index].method) }
            }
            return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
        }
    }

    /// Whether a template added for `routeMethod` answers a `requestMethod` request (`GET` ones answer `HEAD`).
    @inline(__always) private static func answers(_ routeMethod: HTTPMethod, _ requestMethod: HTTPMethod) -> Bool {
        routeMethod == requestMethod || (requestMethod == .head && routeMethod == .get)
    }

    /// The entries a path may match: its first segment's group, else those not starting with a literal.
    private func candidates(for utf8: UnsafeBufferPointer<UInt8>) -> [Int] {
        var start = 0
        if start < utf8.count, utf8[start] == UInt8(ascii: "/") { start += 1 }
        var end = start
        while end < utf8.count, utf8[end] != UInt8(ascii: "/") { end += 1 }
        let count = end - start
        for group in groups where group.firstSegment.count == count {
            let equal = group.firstSegment.withUnsafeBufferPointer { segment in
                for offset in 0..<count where segment[offset] != utf8[start + offset] { return false }
                return true
            }
            if equal { return group.candidates }
        }
        return anyFirstSegment
    }
}
