/// Writes JSON token by token, for encoders that write a document of a known shape without building
/// a ``Value`` first (the inference response fast path). Strings, numbers and nested values are
/// written exactly as ``JSONWriter`` writes them, so both give the same bytes for the same document.
package struct JSONTokenWriter: ~Copyable {
    private var output: JSONOutput

    /// An empty writer with room for `capacity` bytes before it grows.
    package init(capacity: Int = 256) {
        output = JSONOutput(capacity: capacity)
    }

    /// Bytes written so far.
    package var count: Int { output.count }

    /// Appends `literal` as is (punctuation and keys known to need no escaping: `{"id":`).
    package mutating func raw(_ literal: StaticString) {
        output.append(literal)
    }

    /// Appends one byte as is (`,`, `]`...).
    package mutating func raw(_ byte: UInt8) {
        output.append(byte)
    }

    /// Appends `bytes` as is (JSON text written before, such as a name encoded once and reused).
    package mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { output.append($0) }
    }

    /// Appends `bytes` as is (text known to need no escaping, or escaped by the caller).
    package mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        output.append(bytes)
    }

    /// Calls `body` with the bytes written so far (valid only inside `body`).
    package func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(output.written)
    }

    /// Forgets the bytes written, keeping the room (a writer reused for the next chunk of a stream).
    package mutating func removeAll() {
        output.removeAll()
    }

    /// Appends `text` as a JSON string, escaped as ``JSONWriter`` escapes it.
    package mutating func string(_ text: String) {
        JSONWriter.writeString(text, into: &output)
    }

    /// Appends `number` in its shortest round-trip form (`null` for NaN and infinities).
    package mutating func double(_ number: Double) {
        JSONWriter.writeDouble(number, into: &output)
    }

    /// Appends the decimal digits of `number`.
    package mutating func integer(_ number: Int64) {
        JSONWriter.writeInteger(number, into: &output)
    }

    /// Appends `value` and everything in it.
    package mutating func value(_ value: Value) {
        JSONWriter.write(value, into: &output)
    }

    /// The bytes written.
    package consuming func bytes() -> [UInt8] {
        Array(output.written)
    }
}
