import ArgumentParser

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Import, split, inspect and export parallel corpora in a SQLite database."
    )

    func run() throws { throw NotBuiltYet(command: "corpus") }
}
