import ArgumentParser

struct TranslateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate sentences from stdin to stdout."
    )

    func run() throws { throw NotBuiltYet(command: "translate") }
}
