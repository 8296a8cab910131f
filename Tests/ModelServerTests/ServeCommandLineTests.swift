import Testing

/// The `serve` executable's command line: help, errors, exit codes.
struct ServeCommandLineTests {
    @Test func helpListsCommands() throws {
        let output = try ServeBinary.run(["--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("run [graph.json]"))
    }

    @Test(arguments: [
        "--host", "--port", "--loops", "--log-level", "--max-connections", "--max-header-bytes",
        "--max-header-count", "--max-body-bytes", "--max-buffered-bytes", "--header-timeout", "--idle-timeout",
        "--shutdown-grace",
    ])
    func runHelpDescribesEveryFlag(flag: String) throws {
        let output = try ServeBinary.run(["run", "--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains(flag))
    }

    @Test func unknownOptionExitsWith2AndNamesIt() throws {
        let output = try ServeBinary.run(["run", "--prot", "80"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("unknown option '--prot'"))
    }

    @Test func badPortExitsWith2AndNamesTheValue() throws {
        let output = try ServeBinary.run(["run", "--port", "99999"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("'99999'"))
    }

    @Test(arguments: [
        "demo", "run", "ingest", "training-set", "features", "catalog", "stats", "predict", "test", "plot",
    ])
    func helpForACommandPrintsWhatItsOwnHelpFlagPrints(command: String) throws {
        let viaHelp = try ServeBinary.run(["help", command])
        let viaFlag = try ServeBinary.run([command, "--help"])
        #expect(viaHelp.status == 0)
        #expect(viaFlag.status == 0)
        #expect(viaHelp.stdout == viaFlag.stdout)
        #expect(viaHelp.stdout.contains("serve \(command)"))
    }

    @Test func unknownCommandExitsWith2() throws {
        let output = try ServeBinary.run(["fly"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("unknown command 'fly'"))
    }
}
