import ArgumentParser

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an attention encoder-decoder translator."
    )

    func run() throws { throw NotBuiltYet(command: "train") }
}
