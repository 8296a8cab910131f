#if canImport(Glibc)
import Glibc
#endif

/// Writes a user-facing message to standard error.
func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    fputs(line, stderr)
}
