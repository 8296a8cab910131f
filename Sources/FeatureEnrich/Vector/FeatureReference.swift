/// One entry of a feature vector's `features` list, as MLRun writes it: `set.feature`, `set.*`, or
/// `set.feature as alias`.
public struct FeatureReference: Sendable, Hashable, CustomStringConvertible {
    /// The feature set the feature comes from.
    public let featureSet: String
    /// The feature name within the set, or `nil` for `set.*` (every feature of the set).
    public let feature: String?
    /// Output column name, when the reference renames the feature.
    public let alias: String?

    /// Parses `text`; `path` names the list entry in errors.
    public init(parsing text: String, path: String) throws(FeatureVectorError) {
        var body = Substring(text).trimmingSpaces()
        var alias: String?
        if let range = body.firstRange(of: " as ") {
            let name = body[range.upperBound...].trimmingSpaces()
            guard Self.isName(name) else { throw .badReference(path: path, text: text) }
            alias = String(name)
            body = body[..<range.lowerBound].trimmingSpaces()
        }
        guard let dot = body.firstIndex(of: ".") else { throw .badReference(path: path, text: text) }
        let set = body[..<dot]
        let feature = body[body.index(after: dot)...]
        guard Self.isName(set), feature == "*" || Self.isName(feature) else {
            throw .badReference(path: path, text: text)
        }
        if feature == "*" && alias != nil { throw .badReference(path: path, text: text) }
        self.featureSet = String(set)
        self.feature = feature == "*" ? nil : String(feature)
        self.alias = alias
    }

    /// The reference as MLRun writes it.
    public var description: String {
        "\(featureSet).\(feature ?? "*")" + (alias.map { " as \($0)" } ?? "")
    }

    private static func isName(_ text: Substring) -> Bool {
        !text.isEmpty && !text.contains(where: { $0 == " " || $0 == "." || $0 == "*" })
    }
}

extension Substring {
    /// The substring without leading and trailing spaces.
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
