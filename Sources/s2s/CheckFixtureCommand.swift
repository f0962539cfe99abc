import ArgumentParser

struct CheckFixtureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-fixture",
        abstract: "Run a PyTorch reference fixture forward and backward and report errors."
    )

    func run() throws { throw NotBuiltYet(command: "check-fixture") }
}
