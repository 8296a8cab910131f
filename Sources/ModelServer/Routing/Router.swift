/// Maps a method and a path to a route identifier and its captured path segments.
///
/// `Route` is the caller's enum of endpoints, so dispatch is a switch, not string comparison.
/// A path that matches a template under another method gives ``RouteLookup/methodNotAllowed(allowed:)``
/// (the caller answers 405 with `Allow`).
struct Router<Route: Sendable>: Sendable {
    private struct Entry: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        let route: Route
        /// Whether the caller reads this route's captures (building them costs substrings and an array).
        let capturing: Bool
    }

    /// The outcome of a lookup.
    enum RouteLookup {
        case found(Route, captures: [Substring])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private var entries: [Entry] = []

    /// Adds `route` for `method` on `template`. `GET` routes also answer `HEAD`. With `capturing` false
    /// the route is found with no captures (for callers that do not read them).
    mutating func add(_ method: HTTPMethod, _ template: String, _ route: Route, capturing: Bool = true) {
        entries.append(Entry(method: method, pattern: RoutePattern(template), route: route, capturing: capturing))
    }

    /// Finds the route for `method` on `path`.
    func lookup(_ method: HTTPMethod, _ path: Substring) -> RouteLookup {
        // Native strings: every pattern is tried on the same contiguous bytes.
        let fast: RouteLookup? = path.utf8.withContiguousStorageIfAvailable { bytes in
            var allowed: [HTTPMethod] = []
            for entry in entries where entry.pattern.matches(bytes) {
                if entry.method == method || (method == .head && entry.method == .get) {
                    return .found(
                        entry.route, captures: entry.capturing ? entry.pattern.captures(of: path, in: bytes) : [])
                }
                if !allowed.contains(entry.method) { allowed.append(entry.method) }
            }
            return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
        }
        if let fast { return fast }
        var allowed: [HTTPMethod] = []
        for entry in entries {
            guard let captures = entry.pattern.match(path) else { continue }
            if entry.method == method || (method == .head && entry.method == .get) {
                return .found(entry.route, captures: entry.capturing ? captures : [])
            }
            if !allowed.contains(entry.method) { allowed.append(entry.method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }
}
