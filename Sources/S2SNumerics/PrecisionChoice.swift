import CKernels

/// What `--precision` asks for. `auto` (the default of train, translate, evaluate and bench)
/// resolves to a `PrecisionPlan` for this CPU; the others name one arithmetic for every product.
package enum PrecisionChoice: String, Codable, Sendable, CaseIterable {
    case auto, fp32, bf16
    /// Decoding only (`auto` never picks it: it changes results, within 0.1 BLEU).
    case int8

    package init(_ precision: Precision) {
        switch precision {
        case .fp32: self = .fp32
        case .bf16: self = .bf16
        case .int8: self = .int8
        }
    }

    /// The arithmetic an explicit choice names (nil for `auto`).
    package var explicit: Precision? {
        switch self {
        case .auto: return nil
        case .fp32: return .fp32
        case .bf16: return .bf16
        case .int8: return .int8
        }
    }

    /// "auto, fp32, bf16 or int8": the accepted values, for error messages and help.
    package static var valueList: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}

/// The arithmetic each kind of matrix product runs in, once a `PrecisionChoice` is resolved on
/// this CPU. Products come in two kinds that reward bf16 differently:
/// - `gemm`: many rows (training, the encoder, batched decoding) — compute-bound, so bf16 pays
///   only where the CPU's bf16 dot products outrun its fp32 FMAs: AMX, or AVX512-BF16 cores that
///   issue `vdpbf16ps` on two pipes (Zen 4/5: 2× fp32). Intel cores without AMX issue it on one
///   port, and with the conversions bf16 runs at 0.6× fp32 there (`s2s bench gemm`, output
///   layer 640×8000×1024, Xeon family 6 model 207: 130 vs 79 GFLOP/s at 2 threads).
/// - `streaming`: the decoder's products of ≤ 8 rows (batch 1, one sentence's beam) — bound by
///   reading the weights, so bf16's half-size copy wins wherever AVX512-BF16 exists (medium model,
///   greedy batch 1: 16.1 vs 6.6 sent/s on that Xeon; 39.0 vs 18.5 on a Zen 5). Its bf16 kernel
///   either rounds x to bf16 for VDPBF16PS or widens W to fp32 for FMAs; which is faster at a
///   beam's 5 rows is the same vendor question again, so `auto` measures that too.
package struct PrecisionPlan: Sendable, Equatable, CustomStringConvertible {
    package var gemm: Precision
    package var streaming: Precision
    /// bf16 streaming through VDPBF16PS (x rounded to bf16) rather than widened weights.
    package var bf16DotProducts: Bool
    /// Why `auto` chose this (nil for an explicit choice).
    package var reason: String?
    /// `LargeGemmKernel`'s measured sgemm ÷ primitive speed, once `resolveWeightGradientKernel`
    /// has asked (training with fp32 GEMMs).
    package var sgemmSpeedup: Double?

    package init(gemm: Precision, streaming: Precision, bf16DotProducts: Bool = true, reason: String? = nil) {
        self.gemm = gemm
        self.streaming = streaming
        self.bf16DotProducts = bf16DotProducts
        self.reason = reason
    }

    /// One arithmetic everywhere.
    package init(_ precision: Precision) { self.init(gemm: precision, streaming: precision) }

    /// bf16 GEMMs must measure at least this much faster than fp32 for `auto` to take them: a
    /// margin for probe noise, and for the conversions the probe's one shape does not show.
    package static let bf16GemmThreshold = 1.15

    /// The streaming kernel keeps its dot products unless the widening one measures faster.
    package static let bf16DotThreshold = 1.0

    /// The rule, apart from the CPU it runs on (tests call it with any ISA and probe result).
    /// `probe` is asked only when the rule needs it: `auto` with bf16 instructions.
    package static func choose(_ choice: PrecisionChoice, isa: CPUISA,
                               probe: () -> PrecisionProbe.Result) -> (PrecisionPlan, notice: String?) {
        if let explicit = choice.explicit {
            let (resolved, notice) = Precision.resolve(explicit, isa: isa)
            return (PrecisionPlan(resolved), notice)
        }
        guard isa.supportsBF16 else {
            return (PrecisionPlan(gemm: .fp32, streaming: .fp32,
                                  reason: "no AVX512-BF16 (oneDNN ISA \(isa.name))"), nil)
        }
        let measured = probe()
        let dot = measured.dot >= bf16DotThreshold
        let dotReason = "bf16 dot products \(formatRatio(measured.dot))× widening"
        if isa.hasAMX {
            return (PrecisionPlan(gemm: .bf16, streaming: .bf16, bf16DotProducts: dot, reason: "AMX; \(dotReason)"), nil)
        }
        let gemm: Precision = measured.gemm >= bf16GemmThreshold ? .bf16 : .fp32
        return (PrecisionPlan(gemm: gemm, streaming: .bf16, bf16DotProducts: dot,
                              reason: "bf16 GEMM \(formatRatio(measured.gemm))× fp32, \(dotReason) on this CPU"), nil)
    }

    /// `choose` on this CPU (oneDNN's effective ISA and, when needed, `PrecisionProbe`), and the
    /// streaming kernel set to the plan's bf16 kernel (a process-wide setting of CKernels).
    package static func resolve(_ choice: PrecisionChoice) -> (PrecisionPlan, notice: String?) {
        let (plan, notice) = choose(choice, isa: CPUISA.effective, probe: { PrecisionProbe.result() })
        if plan.streaming == .bf16 { s2s_gemv_prefer_bf16_dot(plan.bf16DotProducts ? 1 : 0) }
        return (plan, notice)
    }

    /// For training (decoding has no weight gradients, so it never pays for the probe): when this
    /// plan's GEMMs run fp32, `LargeGemmKernel.resolve(for:)` sets the kernel of large weight
    /// gradients, and the plan records the measurement it printed.
    package mutating func resolveWeightGradientKernel() {
        sgemmSpeedup = LargeGemmKernel.resolve(for: gemm)
    }

    /// "bf16" when both kinds agree, else "fp32 GEMMs, bf16 streaming"; the streaming kernel
    /// when it is not the default; with `auto`'s reason.
    package var description: String {
        var what = gemm == streaming ? gemm.rawValue : "\(gemm.rawValue) GEMMs, \(streaming.rawValue) streaming"
        if streaming == .bf16 && !bf16DotProducts { what += " (widened weights)" }
        if let reason { what += " (auto: \(reason))" }
        if let sgemmSpeedup { what += "; " + LargeGemmKernel.summary(speedup: sgemmSpeedup) }
        return what
    }

    /// "0.58": two decimals, the way every probe ratio is printed.
    static func formatRatio(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
