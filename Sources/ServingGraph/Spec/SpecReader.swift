/// Typed reads of a spec object's keys whose errors name the JSON path of the key.
struct SpecReader {
    let object: ValueObject
    let path: String

    private func present(_ key: String) -> Value? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(GraphError) -> String? {
        guard let value = present(key) else { return nil }
        guard let string = value.stringValue else {
            throw .invalidSpec(path: "\(path).\(key)", reason: "expected a string, got \(value.typeName)")
        }
        return string
    }

    func bool(_ key: String) throws(GraphError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard let bool = value.boolValue else {
            throw .invalidSpec(path: "\(path).\(key)", reason: "expected a boolean, got \(value.typeName)")
        }
        return bool
    }

    func object(_ key: String) throws(GraphError) -> ValueObject? {
        guard let value = present(key) else { return nil }
        guard let object = value.objectValue else {
            throw .invalidSpec(path: "\(path).\(key)", reason: "expected an object, got \(value.typeName)")
        }
        return object
    }

    /// A list of step names: an array of strings, or one string (MLRun accepts both for `after`).
    func names(_ key: String) throws(GraphError) -> [String] {
        guard let value = present(key) else { return [] }
        if let single = value.stringValue { return [single] }
        guard let array = value.arrayValue else {
            throw .invalidSpec(path: "\(path).\(key)", reason: "expected an array of step names")
        }
        var names: [String] = []
        for element in array {
            guard let name = element.stringValue else {
                throw .invalidSpec(path: "\(path).\(key)", reason: "expected an array of step names")
            }
            names.append(name)
        }
        return names
    }
}
