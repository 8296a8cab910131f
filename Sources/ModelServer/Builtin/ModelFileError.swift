/// Why a model file cannot be loaded; names the file and the key.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    /// The model has no `model_path`.
    case missingPath(model: String)
    /// The file cannot be read.
    case unreadable(path: String, reason: String)
    /// The file is not valid JSON.
    case invalidJSON(path: String, reason: String)
    /// A key is missing or has the wrong shape.
    case invalidField(path: String, key: String, reason: String)

    /// The message naming the file and key.
    public var description: String {
        switch self {
        case .missingPath(let model): "model '\(model)' needs class_args.model_path"
        case .unreadable(let path, let reason): "cannot read model file '\(path)': \(reason)"
        case .invalidJSON(let path, let reason): "model file '\(path)' is not valid JSON: \(reason)"
        case .invalidField(let path, let key, let reason): "model file '\(path)': \(key): \(reason)"
        }
    }
}
