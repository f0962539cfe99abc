import ArgumentParser

struct BenchGemmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "GEMM GFLOP/s (fp32, bf16) at the model's shapes, and fused gate kernel throughput."
    )

    func run() throws { throw NotBuiltYet(command: "bench gemm") }
}
