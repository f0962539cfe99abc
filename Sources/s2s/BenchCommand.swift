import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: GEMM engine, training and decoding throughput."
    )

    func run() throws { throw NotBuiltYet(command: "bench") }
}
