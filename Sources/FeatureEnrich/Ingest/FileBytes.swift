import Glibc

/// Reads whole files with `open`/`read` (no Foundation on the ingest path).
enum FileBytes {
    /// The bytes of the file at `path`.
    static func read(_ path: String) throws(IngestError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadableFile(path: path, reason: errorText()) }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return result }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: errorText())
            }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    private static func errorText() -> String {
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return String(cString: text)
    }
}
