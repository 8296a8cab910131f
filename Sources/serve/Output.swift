#if canImport(Glibc)
    import Glibc
#endif

/// Writes a user-facing message to standard error (file descriptor 2, unbuffered).
func printError(_ message: String) {
    var bytes = Array(message.utf8)
    if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        offset += written
    }
}
