import ArgumentParser

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize stdin to stdout (reversible ICU tokenizer, optional BPE)."
    )

    func run() throws { throw NotBuiltYet(command: "tokenize") }
}
