import FeatureEnrich

/// Why the command line could not be understood; printed with the command's usage hint.
enum CommandLineError: Error, CustomStringConvertible {
    case unknownOption(String)
    case missingValue(option: String)
    case invalidValue(option: String, value: String, expected: String)
    case unexpectedArgument(String)
    case missingArgument(String)
    case unknownCommand(String)

    var description: String {
        switch self {
        case .unknownOption(let option): "unknown option '\(option)'"
        case .missingValue(let option): "option '\(option)' needs a value"
        case .invalidValue(let option, let value, let expected): "option '\(option)': '\(value)' is not \(expected)"
        case .unexpectedArgument(let argument): "unexpected argument '\(argument)'"
        case .missingArgument(let name): "missing argument \(name)"
        case .unknownCommand(let name): "unknown command '\(name)'"
        }
    }
}

/// A small hand-built argument scanner: `--name value`, `--name=value`, boolean `--flag`, positionals.
///
/// Commands declare what they read; whatever is left at ``finish()`` is an error, so a typo never
/// passes silently.
struct CommandArguments {
    private var remaining: [String]

    init(_ arguments: some Sequence<String>) {
        remaining = Array(arguments)
    }

    /// True when `-h` or `--help` is present.
    var wantsHelp: Bool { remaining.contains("--help") || remaining.contains("-h") }

    /// Removes and returns the value of `--name` (the last one when repeated).
    mutating func option(_ name: String) throws(CommandLineError) -> String? {
        try options(name).last
    }

    /// Removes and returns every value of a repeatable `--name`.
    mutating func options(_ name: String) throws(CommandLineError) -> [String] {
        var values: [String] = []
        var kept: [String] = []
        var i = 0
        while i < remaining.count {
            let argument = remaining[i]
            if argument == name {
                guard i + 1 < remaining.count, !remaining[i + 1].hasPrefix("--") else {
                    throw .missingValue(option: name)
                }
                values.append(remaining[i + 1])
                i += 2
                continue
            }
            if argument.hasPrefix(name + "=") {
                values.append(String(argument.dropFirst(name.count + 1)))
            } else {
                kept.append(argument)
            }
            i += 1
        }
        remaining = kept
        return values
    }

    /// Removes `--name` and says whether it was present.
    mutating func flag(_ name: String) -> Bool {
        let before = remaining.count
        remaining.removeAll { $0 == name }
        return remaining.count != before
    }

    /// Removes and returns an integer option within `range`.
    mutating func intOption(_ name: String, in range: ClosedRange<Int>) throws(CommandLineError) -> Int? {
        guard let text = try option(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .invalidValue(option: name, value: text, expected: "an integer in \(range)")
        }
        return value
    }

    /// Removes and returns a duration option in seconds (`10`, `2.5`, `500ms`, `10s`, `1m`).
    mutating func secondsOption(_ name: String) throws(CommandLineError) -> Double? {
        guard let text = try option(name) else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number >= 0 { return number * scale }
        }
        if let number = Double(text), number >= 0 { return number }
        throw .invalidValue(option: name, value: text, expected: "a duration such as 10s, 500ms or 1m")
    }

    /// Removes and returns `--store`, the SQLite store, defaulting to `features.db`.
    mutating func storeOption() throws(CommandLineError) -> String {
        try option("--store") ?? "features.db"
    }

    /// Removes and returns a time option (ISO 8601 / RFC 3339, or epoch seconds) as epoch milliseconds.
    mutating func timeOption(_ name: String) throws(CommandLineError) -> Int64? {
        guard let text = try option(name) else { return nil }
        do {
            return try TimestampParser.epochMilliseconds(text)
        } catch {
            throw .invalidValue(option: name, value: text, expected: "an ISO 8601 / RFC 3339 time or epoch seconds")
        }
    }

    /// Prints `help` and answers true when `-h` or `--help` is present.
    func showsHelp(_ help: String) -> Bool {
        guard wantsHelp else { return false }
        print(help)
        return true
    }

    /// Prints `serve <command>: <error>` with the usage hint; answers exit status 2.
    static func usageError(_ command: String, _ error: any Error) -> Int32 {
        printError("serve \(command): \(error)\nRun 'serve \(command) --help' for usage.")
        return 2
    }

    /// Removes and returns the next positional argument (anything not starting with `-`).
    mutating func positional() -> String? {
        guard let i = remaining.firstIndex(where: { !$0.hasPrefix("-") || $0 == "-" }) else { return nil }
        return remaining.remove(at: i)
    }

    /// Fails on anything not consumed.
    func finish() throws(CommandLineError) {
        guard let first = remaining.first else { return }
        if first.hasPrefix("-") { throw .unknownOption(first) }
        throw .unexpectedArgument(first)
    }
}
