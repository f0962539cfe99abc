import ArgumentParser
import S2SNumerics

/// Benchmarks (run them from a release build; never timed in unit tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: GEMM engine, text pipeline, corpus store, training and decoding throughput.",
        subcommands: [BenchGemmCommand.self, BenchTextCommand.self, BenchCorpusCommand.self,
                      BenchTrainCommand.self, BenchDecodeCommand.self, BenchLongRangeCommand.self]
    )
}

/// The JSON field `make bench` checks to see that a run used the precision it asked for: the
/// choice itself for `auto` (whose plan is the "plan" field), else the arithmetic that ran, which
/// differs from the request only when the CPU lacks it.
func precisionField(_ choice: PrecisionChoice, _ plan: PrecisionPlan) -> (String, String) {
    ("precision", "\"\(choice == .auto ? "auto" : plan.gemm.rawValue)\"")
}
