public import ServingGraph

/// Serves many models by URL (MLRun's `ModelRouter`, reference/mlrun.md §2.1, with the Open
/// Inference Protocol paths): `/v2/models/{m}[/versions/{v}][/{operation}]` picks route `m` or
/// `m:v` and gives it the operation (`infer` by default) as its path; `GET /v2/models` lists the
/// routes. A path without a version gets the model's default version: the one named in
/// `default_versions`, else the unversioned route `m`, else the latest registered `m:v`.
/// Outside the prefix (`POST /`), the body's `model` member picks the route, else the first one.
/// The children of a ``VotingEnsemble`` route are addressable by their own names too.
///
/// In a graph spec it is the default router (`"class_name": ""`) and `ModelRouter`:
/// ```json
/// {"kind": "router", "class_name": "ModelRouter",
///  "class_args": {"default_versions": {"fraud": "2"}},
///  "routes": {"fraud:1": {...}, "fraud:2": {...}, "iris": {...}}}
/// ```
public struct ModelRouter: Step {
    /// The step name.
    public let name: String
    /// Routes in declaration order, keyed `m` or `m:v`.
    public let routes: [(name: String, step: any Step)]
    /// The URL prefix models live under.
    public let prefix: String
    /// What each slot runs: the routes, then the children of ensemble routes (addressable by name).
    private let targets: [(name: String, step: any Step)]
    private let slotByKey: [String: Int]
    private let defaultSlotByModel: [String: Int]

    /// A router over `routes`; `defaultVersions` maps a model name to its default version.
    public init(
        name: String, routes: [(name: String, step: any Step)], defaultVersions: [String: String] = [:],
        prefix: String = "/v2/models"
    ) throws(GraphError) {
        guard !routes.isEmpty else { throw .noRoutes(path: name) }
        self.name = name
        self.routes = routes
        self.prefix = prefix
        var targets = routes
        for case let ensemble as VotingEnsemble in routes.map(\.step) {
            for child in ensemble.routes where !targets.contains(where: { $0.name == child.name }) {
                targets.append(child)
            }
        }
        var slots: [String: Int] = [:]
        var defaults: [String: Int] = [:]
        for (i, route) in targets.enumerated() {
            slots[route.name] = i
            let model = Self.modelName(of: route.name)
            if route.name == model || defaults[model].map({ targets[$0].name != model }) ?? true {
                defaults[model] = i  // the unversioned route wins, else the latest registered
            }
        }
        for (model, version) in defaultVersions {
            guard let slot = slots["\(model):\(version)"] else {
                throw .invalidArgument(
                    path: "\(name).class_args.default_versions.\(model)", reason: "no route '\(model):\(version)'")
            }
            defaults[model] = slot
        }
        self.targets = targets
        self.slotByKey = slots
        self.defaultSlotByModel = defaults
    }

    /// The model part of a route key (`fraud:2` → `fraud`).
    static func modelName(of key: String) -> String {
        guard let colon = key.firstIndex(of: ":") else { return key }
        return String(key[..<colon])
    }

    /// Route keys in declaration order, then the children of ensemble routes, as `GET /v2/models` lists them.
    public var modelKeys: [String] { targets.map(\.name) }

    /// Routes the event, or answers the model list.
    public func run(_ event: Event) throws -> Event {
        let bodyOperation = event.body["operation"]?.stringValue
        guard event.path.hasPrefix(prefix) else {
            guard event.path == "/" || event.path.isEmpty else {
                throw ServingError.invalidInput("illegal path prefix \(event.path), must start with \(prefix)")
            }
            let key = event.body["model"]?.stringValue
            let slot = try key.map { key throws in try resolve(key) } ?? 0
            return try forward(event, to: slot, operation: bodyOperation ?? "infer")
        }
        guard let (slot, operation) = try route(prefixedPath: event.path) else {
            var list = event
            list.body = ["models": .array(modelKeys.map { .string($0) })]
            return list
        }
        return try forward(event, to: slot, operation: bodyOperation ?? String(operation))
    }

    /// The model `run(_:)` forwards a request for `path` to when its body names no `operation`, and the
    /// operation it passes on (`infer`); nil for a path outside the prefix, the model list, an unknown
    /// model or a route that is not a model (an ensemble). Lets the server skip the event for inference.
    func model(forPath path: String) -> (model: V2ModelServer, operation: Substring)? {
        guard path.hasPrefix(prefix), let routed = try? route(prefixedPath: path),
            let model = targets[routed.slot].step as? V2ModelServer
        else { return nil }
        return (model, routed.operation)
    }

    /// The slot and operation of `path` (which starts with the prefix): `{m}[/versions/{v}][/{operation}]`;
    /// nil when no model is named (the model list).
    private func route(prefixedPath path: String) throws -> (slot: Int, operation: Substring)? {
        // `hasPrefix` matched whole characters, so the prefix's bytes end on a character boundary.
        var rest = path[path.utf8.index(path.startIndex, offsetBy: prefix.utf8.count)...]
        guard let model = Self.nextSegment(&rest).map(String.init) else { return nil }
        let slot: Int
        var operation = rest
        if Self.nextSegment(&operation) == "versions", let version = Self.nextSegment(&operation) {
            slot = try resolve("\(model):\(version)")
        } else {
            slot = try resolve(model)
            operation = rest
        }
        Self.trimSlashes(&operation)
        return (slot, operation)
    }

    /// Removes and returns the next non-empty `/`-separated segment of `path`, without allocating.
    /// Scans UTF-8 bytes (`/` is ASCII, so every index found is a character boundary).
    private static func nextSegment(_ path: inout Substring) -> Substring? {
        let bytes = path.utf8
        guard let start = bytes.firstIndex(where: { $0 != slash }) else {
            path = path[path.endIndex...]
            return nil
        }
        let end = bytes[start...].firstIndex(of: slash) ?? bytes.endIndex
        defer { path = path[end...] }
        return path[start..<end]
    }

    /// Removes leading and trailing `/` from `path`, scanning UTF-8 bytes.
    private static func trimSlashes(_ path: inout Substring) {
        let bytes = path.utf8
        let start = bytes.firstIndex { $0 != slash } ?? bytes.endIndex
        let end = bytes.lastIndex { $0 != slash }.map { bytes.index(after: $0) } ?? start
        path = path[start..<end]
    }

    private static let slash = UInt8(ascii: "/")

    private func forward(_ event: Event, to slot: Int, operation: String) throws -> Event {
        var routed = event
        routed.path = operation
        return try targets[slot].step.run(routed)
    }

    /// The slot of a route key `m` or `m:v` (a bare model name gets its default version).
    private func resolve(_ key: String) throws -> Int {
        if let slot = slotByKey[key] { return slot }
        let model = Self.modelName(of: key)
        if model == key, let slot = defaultSlotByModel[model] { return slot }
        if model != key, defaultSlotByModel[model] != nil {
            let versions = targets.map(\.name).filter { Self.modelName(of: $0) == model }
            throw ServingError.notFound(
                "unknown version '\(key.dropFirst(model.count + 1))' of model '\(model)' (versions: \(versions.joined(separator: " | ")))"
            )
        }
        throw ServingError.notFound(
            "unknown model '\(model)', available models: \(targets.map(\.name).joined(separator: " | "))")
    }
}
