/// What a request asks of a model, resolved once from the event path (MLRun's `op`), so dispatch
/// is a switch rather than string comparison (reference/mlrun.md §1.4).
enum ModelOperation: Equatable {
    case infer
    /// `infer_dict` / `predict_dict`: object rows become lists ordered by the model's feature names, then infer.
    case inferDict
    case explain
    case ready
    case metadata
    /// `op_<name>`: an operation hook or a registered operation.
    case custom(String)

    /// The operation of `path` for a model named `modelName`: the router leaves only the operation
    /// (`infer`); a full path (`/v2/models/m/versions/1/infer`) is reduced to its last part. An empty
    /// operation is metadata for GET and infer otherwise; a body `operation` member overrides the path.
    init(path: String, method: String, bodyOperation: String?, modelName: String, version: String?) {
        if bodyOperation == nil, path == "/" {
            self.init(name: "", method: method)  // a flow's usual event path: no operation in it
            return
        }
        guard bodyOperation != nil || path.contains("/") else {
            self.init(name: path, method: method)  // the router already reduced the path to the operation
            return
        }
        var segments = path.split(separator: "/")
        if segments.count >= 2, segments[0] == "v2", segments[1] == "models" { segments.removeFirst(2) }
        if segments.first.map(String.init) == modelName { segments.removeFirst() }
        if segments.count >= 2, segments[0] == "versions" { segments.removeFirst(2) }
        self.init(name: bodyOperation ?? segments.joined(separator: "/"), method: method)
    }

    private init(name: String, method: String) {
        switch name {
        case "": self = method == "GET" || method == "HEAD" ? .metadata : .infer
        case "infer", "predict": self = .infer
        case "infer_dict", "predict_dict": self = .inferDict
        case "explain": self = .explain
        case "ready": self = .ready
        default: self = .custom(name)
        }
    }
}
