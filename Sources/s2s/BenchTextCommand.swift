import ArgumentParser

struct BenchTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Tokenizer + BPE throughput in tokens/s."
    )

    func run() throws { throw NotBuiltYet(command: "bench text") }
}
