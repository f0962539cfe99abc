import ArgumentParser

/// Benchmarks (run them from a release build; never timed in unit tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: GEMM engine, text pipeline, corpus store, training and decoding throughput.",
        subcommands: [BenchGemmCommand.self, BenchTextCommand.self, BenchCorpusCommand.self,
                      BenchTrainCommand.self, BenchDecodeCommand.self, BenchLongRangeCommand.self]
    )
}
