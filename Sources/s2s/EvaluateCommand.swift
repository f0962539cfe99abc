import ArgumentParser

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score translations with BLEU and chrF (sacrebleu-identical)."
    )

    func run() throws { throw NotBuiltYet(command: "evaluate") }
}
