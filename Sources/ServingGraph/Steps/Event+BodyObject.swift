extension Event {
    /// The body as an object, or ``ServingError/invalidInput(_:)`` naming the step that needed one.
    func bodyObject(for step: String) throws(ServingError) -> ValueObject {
        guard case .object(let object) = body else {
            throw .invalidInput("step '\(step)' expects an object body, got \(body.typeName)")
        }
        return object
    }

    /// This event with `object` as its body.
    func replacingBody(with object: ValueObject) -> Event {
        var event = self
        event.body = .object(object)
        return event
    }
}
