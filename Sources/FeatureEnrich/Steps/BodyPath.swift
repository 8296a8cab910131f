import ServingGraph

/// A dotted path into an event body (`user.id`), read and written through nested objects.
struct BodyPath: Sendable, CustomStringConvertible {
    /// The components.
    let components: [String]
    /// The path as written.
    let description: String

    /// A path from its dotted text.
    init(_ text: String) {
        description = text
        components = text.split(separator: ".").map(String.init)
    }

    /// The value at the path in `value`, nil when absent.
    func value(in value: Value) -> Value? {
        if components.count == 1 {
            // The common one-member path, without the walk's copies of each level.
            guard case .object(let object) = value else { return nil }
            return object[components[0]]
        }
        var current = value
        for component in components {
            guard case .object(let object) = current, let next = object[component] else { return nil }
            current = next
        }
        return current
    }

    /// Writes `newValue` at the path in `value`, creating objects on the way.
    func set(_ newValue: Value, in value: inout Value) {
        Self.set(newValue, in: &value, components[...])
    }

    private static func set(_ newValue: Value, in value: inout Value, _ rest: ArraySlice<String>) {
        guard let first = rest.first else {
            value = newValue
            return
        }
        var object = value.objectValue ?? ValueObject()
        var child = object[first] ?? .null
        set(newValue, in: &child, rest.dropFirst())
        object[first] = child
        value = .object(object)
    }
}
