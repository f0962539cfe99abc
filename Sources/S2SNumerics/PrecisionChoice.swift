/// What `--precision` asks for. `auto` (the default of train, translate, evaluate and bench)
/// resolves to a `PrecisionPlan` for this CPU; the others name one arithmetic for every product.
package enum PrecisionChoice: String, Codable, Sendable, CaseIterable {
    case auto, fp32, bf16

    package init(_ precision: Precision) {
        switch precision {
        case .fp32: self = .fp32
        case .bf16: self = .bf16
        }
    }

    /// The arithmetic an explicit choice names (nil for `auto`).
    package var explicit: Precision? {
        switch self {
        case .auto: return nil
        case .fp32: return .fp32
        case .bf16: return .bf16
        }
    }

    /// "auto, fp32 or bf16": the accepted values, for error messages and help.
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
///   greedy batch 1: 16.1 vs 6.6 sent/s on that Xeon; 39.0 vs 18.5 on a Zen 5).
package struct PrecisionPlan: Sendable, Equatable, CustomStringConvertible {
    package var gemm: Precision
    package var streaming: Precision
    /// Why `auto` chose this (nil for an explicit choice).
    package var reason: String?

    package init(gemm: Precision, streaming: Precision, reason: String? = nil) {
        self.gemm = gemm
        self.streaming = streaming
        self.reason = reason
    }

    /// One arithmetic everywhere.
    package init(_ precision: Precision) { self.init(gemm: precision, streaming: precision) }

    /// bf16 GEMMs must measure at least this much faster than fp32 for `auto` to take them: a
    /// margin for probe noise, and for the conversions the probe's one shape does not show.
    package static let bf16GemmThreshold = 1.15

    /// The rule, apart from the CPU it runs on (tests call it with any ISA and speedup).
    /// `bf16GemmSpeedup` (fp32 time ÷ bf16 time of one GEMM) is asked for only when the rule
    /// needs it: with bf16 instructions and without AMX.
    package static func choose(_ choice: PrecisionChoice, isa: CPUISA,
                               bf16GemmSpeedup: () -> Double) -> (PrecisionPlan, notice: String?) {
        if let explicit = choice.explicit {
            let (resolved, notice) = Precision.resolve(explicit, isa: isa)
            return (PrecisionPlan(resolved), notice)
        }
        guard isa.supportsBF16 else {
            return (PrecisionPlan(gemm: .fp32, streaming: .fp32,
                                  reason: "no AVX512-BF16 (oneDNN ISA \(isa.name))"), nil)
        }
        if isa.hasAMX {
            return (PrecisionPlan(gemm: .bf16, streaming: .bf16, reason: "AMX"), nil)
        }
        let speedup = bf16GemmSpeedup()
        let measured = "bf16 GEMM measured \(formatRatio(speedup))× fp32 on this CPU"
        let gemm: Precision = speedup >= bf16GemmThreshold ? .bf16 : .fp32
        return (PrecisionPlan(gemm: gemm, streaming: .bf16, reason: measured), nil)
    }

    /// `choose` on this CPU: oneDNN's effective ISA and, when needed, `PrecisionProbe`.
    package static func resolve(_ choice: PrecisionChoice) -> (PrecisionPlan, notice: String?) {
        choose(choice, isa: CPUISA.effective, bf16GemmSpeedup: { PrecisionProbe.bf16GemmSpeedup() })
    }

    /// "bf16" when both kinds agree, else "fp32 GEMMs, bf16 streaming"; with `auto`'s reason.
    package var description: String {
        let what = gemm == streaming ? gemm.rawValue : "\(gemm.rawValue) GEMMs, \(streaming.rawValue) streaming"
        return reason.map { "\(what) (auto: \($0))" } ?? what
    }

    private static func formatRatio(_ x: Double) -> String {
        let hundredths = Int((x * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
