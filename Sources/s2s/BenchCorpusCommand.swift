import ArgumentParser

struct BenchCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Corpus import pairs/s and streaming memory."
    )

    func run() throws { throw NotBuiltYet(command: "bench corpus") }
}
