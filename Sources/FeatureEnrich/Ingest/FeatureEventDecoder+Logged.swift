package import ServingGraph

/// Reading `event_log.event` back: JSON text in rows written before schema migration 5, a binary record
/// (``LoggedEventEncoder``) after; both decode to the same event.
extension FeatureEventDecoder {
    /// Decodes the stored event in column `column` of `statement`'s current row.
    func decodeLogged(_ statement: PreparedStatement, at column: Int) throws -> FeatureEvent {
        guard statement.isBlob(at: column) else {
            return try decode(try JSONParser.parse(statement.text(at: column)), logging: false)
        }
        return try statement.withBytes(at: column) { (record) throws(FeatureEventError) -> FeatureEvent in
            try loggedDecoder.decode(record)
        }
    }

    /// Decodes only the aggregation inputs and plain features of the stored event in column `column` of
    /// `statement`'s current row into the given arrays.
    func decodeLoggedValues(
        _ statement: PreparedStatement, at column: Int, aggregationValues: inout [Double?],
        featureValues: inout [Value?]
    ) throws {
        guard statement.isBlob(at: column) else {
            let event = try decode(try JSONParser.parse(statement.text(at: column)), logging: false)
            aggregationValues = event.aggregationValues
            featureValues = event.featureValues
            return
        }
        try statement.withBytes(at: column) { (record) throws(FeatureEventError) in
            try loggedDecoder.decodeValues(record, aggregationValues: &aggregationValues, featureValues: &featureValues)
        }
    }

    /// The fields of a stored `event_log.event` (a binary record, or JSON text before migration 5) as a JSON
    /// object, an event time as RFC 3339 text; nil when it is neither. For inspecting a store (tests, tools).
    package static func loggedObject(_ stored: SQLiteValue) -> Value? {
        switch stored {
        case .text(let text):
            return try? JSONParser.parse(text)
        case .blob(let bytes):
            return bytes.withUnsafeBytes { record in (try? LoggedEventReader.object(record)).map(Value.object) }
        default:
            return nil
        }
    }
}
