import ArgumentParser

struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training steps/s and target tokens/s (flags as torch_seq2seq.py bench-train)."
    )

    func run() throws { throw NotBuiltYet(command: "bench train") }
}
