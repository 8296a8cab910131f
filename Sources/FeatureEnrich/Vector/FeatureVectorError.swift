/// Why a feature vector definition cannot be loaded or resolved. Every case names the JSON path or the feature.
public enum FeatureVectorError: Error, Equatable, CustomStringConvertible {
    /// The vector file cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The text is not JSON (message from the parser).
    case notJSON(reason: String)
    /// A required field is absent.
    case missingField(path: String)
    /// A field has the wrong JSON type.
    case wrongType(path: String, expected: String, got: String)
    /// A feature reference is not `set.feature`, `set.*` or `set.feature as alias`.
    case badReference(path: String, text: String)
    /// A reference names a feature set that is not declared.
    case unknownFeatureSet(path: String, name: String)
    /// A reference names a feature its set does not have.
    case unknownFeature(path: String, featureSet: String, feature: String)
    /// Two vector columns would have the same output name.
    case duplicateOutput(path: String, name: String)
    /// An entity key named by `entity_keys` is not an entity column of any referenced set.
    case unknownEntityKey(path: String, name: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "cannot read feature vector '\(path)': \(reason)"
        case .notJSON(let reason):
            "feature vector is not valid JSON: \(reason)"
        case .missingField(let path):
            "\(path): missing required field"
        case .wrongType(let path, let expected, let got):
            "\(path): expected \(expected), got \(got)"
        case .badReference(let path, let text):
            "\(path): bad feature reference '\(text)' (expected 'set.feature', 'set.*' or 'set.feature as alias')"
        case .unknownFeatureSet(let path, let name):
            "\(path): unknown feature set '\(name)'"
        case .unknownFeature(let path, let featureSet, let feature):
            "\(path): feature set '\(featureSet)' has no feature '\(feature)'"
        case .duplicateOutput(let path, let name):
            "\(path): output column '\(name)' appears twice (give one an alias with 'as')"
        case .unknownEntityKey(let path, let name):
            "\(path): '\(name)' is not an entity column of the vector's feature sets"
        }
    }
}
