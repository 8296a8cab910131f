/// JSON text conveniences on ``Value``.
extension Value {
    /// The compact JSON of this value (see ``JSONWriter``).
    public var jsonString: String { JSONWriter.string(self) }
}
