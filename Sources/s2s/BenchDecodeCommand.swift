import ArgumentParser

struct BenchDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decoding sentences/s (flags as torch_seq2seq.py bench-decode)."
    )

    func run() throws { throw NotBuiltYet(command: "bench decode") }
}
