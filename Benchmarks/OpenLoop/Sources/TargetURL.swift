/// The one `http://` loopback URL the generator loads: where to connect and what to put in the request line.
///
/// Only IPv4 loopback hosts (`127.0.0.0/8`, `localhost`) are accepted, so a typo cannot turn the
/// benchmark into load on someone else's machine.
struct TargetURL: Equatable {
    /// Host as written in the URL; sent in the `Host` header.
    let host: String
    /// IPv4 address in host byte order (`0x7F000001` for `127.0.0.1`).
    let address: UInt32
    /// TCP port; 80 when the URL names none.
    let port: UInt16
    /// Path and query as sent in the request line; `/` when the URL names none.
    let path: String

    /// Parses `http://HOST[:PORT][/PATH]`, refusing other schemes and non-loopback hosts.
    init(parsing text: String) throws(OpenLoopError) {
        let scheme = "http://"
        guard text.hasPrefix(scheme) else { throw .invalidURL(text, reason: "only http:// URLs are supported") }
        let rest = text.dropFirst(scheme.count)
        let authority: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = String(rest[slash...])
        } else {
            authority = rest
            path = "/"
        }
        let hostPart: Substring
        if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            let portText = authority[authority.index(after: colon)...]
            guard let value = UInt16(portText), value > 0 else {
                throw .invalidURL(text, reason: "port '\(portText)' is not in 1...65535")
            }
            port = value
        } else {
            hostPart = authority
            port = 80
        }
        guard !hostPart.isEmpty else { throw .invalidURL(text, reason: "no host") }
        host = String(hostPart)
        guard let loopback = Self.loopbackAddress(host) else { throw .nonLoopbackHost(host) }
        address = loopback
    }

    /// The IPv4 address of `host` if it is `localhost` or a dotted quad in `127.0.0.0/8`; no DNS is consulted.
    static func loopbackAddress(_ host: String) -> UInt32? {
        if host.lowercased() == "localhost" { return 0x7F00_0001 }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var address: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let octet = UInt8(part) else { return nil }
            address = address << 8 | UInt32(octet)
        }
        return address >> 24 == 127 ? address : nil
    }
}
