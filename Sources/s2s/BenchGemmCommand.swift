import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import S2SBenchmarks
import S2SNumerics

/// `s2s bench gemm`: GFLOP/s of the GEMM engine at the model's shapes (fp32 and bf16, wrapper
/// beside a direct engine call), then elementwise kernel throughput. Run from a release build.
struct BenchGemmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "GEMM GFLOP/s (fp32, bf16) at the model's shapes, and fused kernel throughput."
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Thread counts to measure.")
    var threads: [Int] = [1, 2]

    @Option(name: .long, help: "Timed rounds per measurement (the median is reported).")
    var runs: Int = 15

    @Flag(name: .long, help: "Only the GEMM table (skip the kernel throughput section).")
    var gemmOnly = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1, got \(runs)") }
        guard !threads.isEmpty, threads.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--threads needs counts of at least 1, got \(threads)")
        }
    }

    func run() throws {
        #if DEBUG
        print("warning: debug build; measure with `swift build -c release`")
        #endif
        let (bf16, notice) = Precision.resolve(.bf16)
        if let notice { print(notice) }
        print("engine: oneDNN matmul primitives; CPU ISA \(CPUISA.effective.name); median of \(runs) rounds; " + loadAverage())
        print("")
        print("GEMM GFLOP/s (wrapper = Matmul.gemm; direct = the oneDNN primitive executed with operands bound once)")
        print(pad("M x N x K op", 20) + pad("thr", 4) + pad("prec", 6) + lpad("wrapper", 9) + lpad("direct", 9)
              + lpad("overhead", 10) + "  implementation / role")
        for t in threads {
            EngineThreads.set(t)
            for shape in GemmBenchmark.standardShapes {
                var fp32GFlops = 0.0
                for precision in [Precision.fp32, bf16] {
                    let r = GemmBenchmark.run(shape, precision: precision, runs: runs)
                    if precision == .fp32 { fp32GFlops = r.wrapperGFlops }
                    let ratio = precision == .bf16 ? "  (" + fixed(r.wrapperGFlops / fp32GFlops, 2) + "x fp32)" : ""
                    print(pad(shape.description, 20) + pad("\(t)", 4) + pad(precision.rawValue, 6)
                          + lpad(fixed(r.wrapperGFlops, 1), 9) + lpad(fixed(r.directGFlops, 1), 9)
                          + lpad((r.overheadPercent >= 0 ? "+" : "") + fixed(r.overheadPercent, 1) + "%", 10)
                          + "  \(r.implementation), \(shape.role)\(ratio)")
                }
            }
        }
        print("")
        print("Attention context, 64 sentences of [1,30]·[30,1024] from a time-major [30,64,1024] buffer (GFLOP/s)")
        for t in threads {
            EngineThreads.set(t)
            for precision in [Precision.fp32, bf16] {
                let r = GemmBenchmark.runAttentionContext(batch: 64, sourceLength: 30, width: 1024, precision: precision, runs: runs)
                print("  \(t) thread(s) \(precision.rawValue): one batchedGemm " + fixed(r.batched, 1) + ", 64 gemm calls " + fixed(r.loop, 1))
            }
        }
        EngineThreads.set(1)
        let tiny = GemmBenchmark.run(GemmBenchmark.Shape(m: 4, n: 16, k: 16, transA: false, transB: true, weight: true, role: "tiny"),
                                     precision: .fp32, runs: runs)
        let flops = 2.0 * 4 * 16 * 16
        print("per-call cost at 4x16x16 (1 thread): wrapper " + fixed(flops / tiny.wrapperGFlops, 0) + " ns, direct "
              + fixed(flops / tiny.directGFlops, 0) + " ns")
        if gemmOnly {
            print(loadAverage())
            return
        }

        for t in threads {
            EngineThreads.set(t)
            print("")
            print("Elementwise kernels, \(t) thread(s): C kernels (ISA clones) vs a plain Swift loop (libm)")
            print(pad("kernel", 40) + lpad("kernel Melem/s", 16) + lpad("Swift Melem/s", 15) + lpad("speedup", 9))
            for r in KernelBenchmark.runAll(runs: runs) {
                print(pad(r.name, 40) + lpad(fixed(r.kernelElementsPerSecond / 1e6, 0), 16)
                      + lpad(fixed(r.swiftElementsPerSecond / 1e6, 0), 15)
                      + lpad(fixed(r.speedup, 1) + "x", 9))
            }
        }

        // MARK: LSTM/GRU gate kernels: one time step's elementwise work at batch 64.
        for t in threads {
            EngineThreads.set(t)
            print("")
            print("Fused LSTM/GRU gate kernels, \(t) thread(s), batch 64 (median per call)")
            print(pad("kernel", 40) + lpad("Melem/s", 12) + lpad("µs/call", 10))
            for hidden in [256, 512] {
                for r in GateKernelBenchmark.run(rows: 64, hidden: hidden, runs: runs) {
                    print(pad(r.name, 40) + lpad(fixed(r.elementsPerSecond / 1e6, 0), 12) + lpad(fixed(r.seconds * 1e6, 1), 10))
                }
            }
        }
        print("")
        print(loadAverage())
    }

    private func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "load average: unknown" }
        return "load average: " + loads.map { fixed($0, 2) }.joined(separator: " ")
    }

    /// `x` with `decimals` digits after the point (no Foundation in the CLI's hot path).
    private func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let v = (abs(x) * scale).rounded()
        let whole = Int(v / scale), frac = Int(v - Double(whole) * scale)
        var s = (x < 0 && v != 0 ? "-" : "") + "\(whole)"
        if decimals > 0 {
            let f = "\(frac)"
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return s
    }

    private func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
    private func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? " " + s : String(repeating: " ", count: w - s.count) + s }
}
