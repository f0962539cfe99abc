import ArgumentParser

struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Build vocabularies (words or BPE subwords) from parallel text."
    )

    func run() throws { throw NotBuiltYet(command: "vocab") }
}
