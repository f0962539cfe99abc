import ArgumentParser

struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize",
        abstract: "Detokenize stdin to stdout."
    )

    func run() throws { throw NotBuiltYet(command: "detokenize") }
}
