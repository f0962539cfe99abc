import Foundation
import Testing

/// `--precision auto`, the default of the decoding and training commands, seen from outside: the
/// plan a command ran with agrees with what `s2s --version` reports for the same CPU and
/// environment, and a CPU without bf16 (simulated with `ONEDNN_MAX_CPU_ISA`) gets fp32 quietly.
struct PrecisionCommandTests {
    /// `s2s bench decode` on a tiny random model: its JSON carries "precision" and "plan".
    private func benchPlan(_ scratch: ScratchDirectory, _ extra: [String], _ environment: [String: String]) throws -> (precision: String, plan: String) {
        let args = ["bench", "decode", "--src-vocab", "40", "--tgt-vocab", "40", "--emb", "8", "--hidden", "8",
                    "--tgt-len", "3", "--decode-sents", "2", "--only", "greedy_b1", "--threads", "1"] + extra
        let r = try CommandRun(builtBinary, args, environment: cleanEnvironment(home: scratch.path + "/home", environment),
                               directory: scratch.path)
        try #require(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
        return (json["precision"] as? String ?? "?", json["plan"] as? String ?? "?")
    }

    private func versionPlan(_ scratch: ScratchDirectory, _ environment: [String: String]) throws -> String {
        let r = try CommandRun(builtBinary, ["--version"], environment: cleanEnvironment(home: scratch.path + "/home", environment),
                               directory: scratch.path)
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("precision auto: ") }, "\(r.stdout)")
        return String(line.dropFirst("precision auto: ".count))
    }

    @Test(arguments: ["0.5", "3"])
    func autoIsTheDefaultAndFollowsTheProbe(speedup: String) throws {
        let scratch = try ScratchDirectory()
        let environment = ["S2S_BF16_GEMM_SPEEDUP": speedup]
        let (precision, plan) = try benchPlan(scratch, [], environment)
        #expect(precision == "auto")
        #expect(plan == (try versionPlan(scratch, environment)))
        // Which plan depends on the CPU; each is the rule's answer for one kind of CPU.
        let expected = speedup == "3"
            ? ["bf16 (auto: bf16 GEMM 3.00× fp32, bf16 dot products 1.00× widening on this CPU)"]
            : ["fp32 GEMMs, bf16 streaming (auto: bf16 GEMM 0.50× fp32, bf16 dot products 1.00× widening on this CPU)"]
        #expect(expected.contains(plan) || plan.hasPrefix("fp32 (auto: no AVX512-BF16") || plan.hasPrefix("bf16 (auto: AMX"), "\(plan)")
    }

    @Test func autoWithoutBF16IsFP32AndExplicitBF16FallsBack() throws {
        let scratch = try ScratchDirectory()
        let environment = ["ONEDNN_MAX_CPU_ISA": "AVX512_CORE"]
        let (_, plan) = try benchPlan(scratch, [], environment)
        #expect(plan == "fp32 (auto: no AVX512-BF16 (oneDNN ISA avx512_core))", "\(plan)")
        let (precision, explicitPlan) = try benchPlan(scratch, ["--precision", "bf16"], environment)
        #expect(precision == "fp32" && explicitPlan == "fp32", "\(precision) \(explicitPlan)")
    }

    @Test func anUnknownPrecisionIsRefusedNamingTheValues() throws {
        let scratch = try ScratchDirectory()
        let r = try CommandRun(builtBinary, ["translate", "--precision", "fp8"], environment: cleanEnvironment(home: scratch.path + "/home"),
                               directory: scratch.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("--precision") && r.stderr.contains("auto"), "\(r.stderr)")
    }
}
