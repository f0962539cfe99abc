import Foundation
import Testing
@testable import S2SNumerics

/// `--precision auto`'s rule (PrecisionPlan.choose), on every kind of CPU without needing one:
/// the ISA is given, and the probe is a closure that records whether the rule asked for it.
struct PrecisionPlanTests {
    private final class ProbeCalls: @unchecked Sendable { var count = 0 }

    private func choose(_ choice: PrecisionChoice, _ isa: CPUISA, speedup: Double, dot: Double = 1.2) -> (PrecisionPlan, String?, probed: Bool) {
        let calls = ProbeCalls()
        let (plan, notice) = PrecisionPlan.choose(choice, isa: isa, probe: {
            calls.count += 1
            return PrecisionProbe.Result(gemm: speedup, dot: dot)
        })
        return (plan, notice, calls.count > 0)
    }

    @Test func explicitChoicesNeverProbe() {
        for isa in [CPUISA.avx2, .avx512Core, .avx512CoreBF16, .avx512CoreAMX] {
            let (fp32, quiet, probed32) = choose(.fp32, isa, speedup: 9)
            #expect(fp32 == PrecisionPlan(.fp32) && quiet == nil && !probed32)
            let (bf16, notice, probed16) = choose(.bf16, isa, speedup: 9)
            #expect(!probed16)
            if isa.supportsBF16 {
                #expect(bf16 == PrecisionPlan(.bf16) && notice == nil)
            } else {
                // The existing fallback, unchanged: fp32 everywhere, and the user is told.
                #expect(bf16 == PrecisionPlan(.fp32))
                #expect(notice?.contains("falling back to fp32") == true)
            }
        }
    }

    @Test func autoWithoutBF16InstructionsIsFP32AndQuiet() {
        for isa in [CPUISA.avx2, .avx512Core] {
            let (plan, notice, probed) = choose(.auto, isa, speedup: 9)
            #expect(plan.gemm == .fp32 && plan.streaming == .fp32)
            #expect(notice == nil && !probed)
            #expect(plan.reason?.contains(isa.name) == true)
        }
    }

    /// AMX GEMMs are bf16 whatever the probe's AVX512-BF16 GEMM says; the streaming kernel
    /// (no AMX in it) still follows the probe.
    @Test func autoWithAMXTakesBF16GEMMs() {
        let (plan, _, _) = choose(.auto, .avx512CoreAMX, speedup: 0.1, dot: 0.8)
        #expect(plan.gemm == .bf16 && plan.streaming == .bf16 && !plan.bf16DotProducts)
        #expect(plan.description == "bf16 (widened weights) (auto: AMX; bf16 dot products 0.80× widening)")
    }

    /// AVX512-BF16 without AMX: streaming products are bound by reading weights, so bf16 always;
    /// GEMMs take bf16 only at the threshold or above (Zen 5 measures ~2×, an Intel core ~0.6×).
    @Test func autoWithBF16InstructionsFollowsTheProbe() {
        let intel = choose(.auto, .avx512CoreBF16, speedup: 0.6, dot: 0.83)
        #expect(intel.probed && intel.0.gemm == .fp32 && intel.0.streaming == .bf16 && !intel.0.bf16DotProducts)
        #expect(intel.0.description == "fp32 GEMMs, bf16 streaming (widened weights) (auto: bf16 GEMM 0.60× fp32, bf16 dot products 0.83× widening on this CPU)")
        let zen = choose(.auto, .avx512CoreBF16, speedup: 2.04, dot: 1.18)
        #expect(zen.0.gemm == .bf16 && zen.0.streaming == .bf16 && zen.0.bf16DotProducts)
        #expect(zen.0.description == "bf16 (auto: bf16 GEMM 2.04× fp32, bf16 dot products 1.18× widening on this CPU)")
        let t = PrecisionPlan.bf16GemmThreshold
        #expect(choose(.auto, .avx512CoreBF16, speedup: t).0.gemm == .bf16)
        #expect(choose(.auto, .avx512CoreBF16, speedup: t - 0.01).0.gemm == .fp32)
        #expect(choose(.auto, .avx512CoreBF16, speedup: 1.05).1 == nil)
    }

    /// Setting `precision` alone means one arithmetic everywhere; a plan can split them.
    @Test func choiceNamesEveryValueOnce() {
        #expect(PrecisionChoice.valueList == "auto, fp32, bf16 or int8")
        for p in Precision.allCases { #expect(PrecisionChoice(p).explicit == p) }
        #expect(PrecisionChoice.auto.explicit == nil)
    }

    /// The probes' cache: one line per machine key, replaced in place, junk and lines with the
    /// wrong number of values ignored, files of different probes apart.
    @Test func probeCacheRoundTrips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.path + "/s2s/precision-probe.tsv"
        #expect(ProbeCache.read(path, columns: 2).isEmpty)
        ProbeCache.write(path, key: "cpu A|oneDNN 2.7.3|avx512_core_bf16|threads 2", values: [0.61, 0.8])
        ProbeCache.write(path, key: "cpu B|oneDNN 2.7.3|avx512_core_bf16|threads 2", values: [2.0, 1.2])
        ProbeCache.write(path, key: "cpu A|oneDNN 2.7.3|avx512_core_bf16|threads 2", values: [0.58, 0.85])
        try "garbage line\nkey\tnot-a-number\t1\nold\t0.5\nnegative\t-1\t2\n".write(toFile: path + ".junk", atomically: true, encoding: .utf8)
        let entries = ProbeCache.read(path, columns: 2)
        #expect(entries == ["cpu A|oneDNN 2.7.3|avx512_core_bf16|threads 2": [0.58, 0.85],
                            "cpu B|oneDNN 2.7.3|avx512_core_bf16|threads 2": [2.0, 1.2]])
        #expect(ProbeCache.read(path + ".junk", columns: 2).isEmpty)
        #expect(ProbeCache.read(path, columns: 1).isEmpty)
        let key = ProbeCache.machineKey()
        #expect(key.contains("oneDNN ") && key.contains("threads "), "\(key)")
    }

    /// The measurement itself runs both precisions and returns a usable ratio (their values are the
    /// CPU's business; a bf16-less CPU computes bf16 requests in fp32 and widens, ratios about 1).
    @Test func probeMeasuresFinitePositiveRatios() {
        let r = PrecisionProbe.measure()
        for x in [r.gemm, r.dot] { #expect(x.isFinite && x > 0.05 && x < 20, "\(r)") }
    }
}
