extension EntityKey {
    /// The entity column values of the key, in definition order, decoded from the length-prefixed encoding
    /// (`1:a2:bc` → `["a", "bc"]`); nil when the text is not such an encoding (never for a key we stored).
    package var parts: [String]? {
        var parts: [String] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            guard let colon = rest.firstIndex(of: ":"), let length = Int(rest[..<colon]), length >= 0 else {
                return nil
            }
            let bytes = rest.utf8[rest.utf8.index(after: colon)...]
            guard bytes.count >= length else { return nil }
            let end = bytes.index(bytes.startIndex, offsetBy: length)
            guard let part = String(bytes[bytes.startIndex..<end]) else { return nil }
            parts.append(part)
            rest = Substring(bytes[end...])
        }
        return parts
    }
}
