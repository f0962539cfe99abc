import CDNNL

/// Arithmetic used inside matrix products. Elementwise math and master weights are fp32 always.
package enum Precision: String, Codable, Sendable, CaseIterable {
    /// fp32 inputs, fp32 accumulation: the reference.
    case fp32
    /// bf16 inputs, fp32 accumulation (oneDNN, AMX or AVX512-BF16).
    case bf16
    /// Decoding only: the decoder's per-step weights in int8 (one scale per output row), the
    /// activations quantized per row at every step, int32 sums (AVX-512 VNNI). Everything else
    /// (encoder, attention scores, elementwise math) runs fp32.
    case int8

    /// The precision this CPU can run for `requested`, and a one-line notice when it had to
    /// fall back. bf16 needs oneDNN's `avx512_core_bf16` ISA or better (AMX); the check asks
    /// oneDNN for its *effective* ISA, so `ONEDNN_MAX_CPU_ISA=AVX512_CORE` forces the fallback.
    package static func resolve(_ requested: Precision) -> (Precision, notice: String?) {
        resolve(requested, isa: CPUISA.effective)
    }

    /// `resolve` for a given ISA (the decision itself, testable without another CPU).
    package static func resolve(_ requested: Precision, isa: CPUISA) -> (Precision, notice: String?) {
        switch requested {
        case .fp32:
            return (.fp32, nil)
        case .bf16:
            if isa.supportsBF16 { return (.bf16, nil) }
            return (.fp32, "notice: --precision bf16 needs a CPU with AVX512-BF16 or AMX; oneDNN reports ISA \(isa.name), falling back to fp32")
        case .int8:
            if isa.supportsInt8 { return (.int8, nil) }
            return (.fp32, "notice: --precision int8 needs a CPU with AVX512-VNNI; oneDNN reports ISA \(isa.name), falling back to fp32")
        }
    }
}

/// The instruction set oneDNN dispatches to (after `ONEDNN_MAX_CPU_ISA` and
/// `dnnl_set_max_cpu_isa` limits).
package struct CPUISA: Sendable, Equatable {
    package let rawValue: UInt32

    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let avx2 = CPUISA(rawValue: UInt32(dnnl_cpu_isa_avx2.rawValue))
    package static let avx512Core = CPUISA(rawValue: UInt32(dnnl_cpu_isa_avx512_core.rawValue))
    package static let avx2VNNI = CPUISA(rawValue: UInt32(dnnl_cpu_isa_avx2_vnni.rawValue))
    package static let avx512CoreVNNI = CPUISA(rawValue: UInt32(dnnl_cpu_isa_avx512_core_vnni.rawValue))
    package static let avx512CoreBF16 = CPUISA(rawValue: UInt32(dnnl_cpu_isa_avx512_core_bf16.rawValue))
    package static let avx512CoreAMX = CPUISA(rawValue: UInt32(dnnl_cpu_isa_avx512_core_amx.rawValue))

    /// What oneDNN will use. Reading it fixes the limit: later `dnnl_set_max_cpu_isa` calls fail.
    package static var effective: CPUISA { CPUISA(rawValue: UInt32(dnnl_get_effective_cpu_isa().rawValue)) }

    /// ISA values are bit masks: a level includes every bit of the levels below it.
    package var supportsBF16: Bool {
        let bf16 = UInt32(dnnl_cpu_isa_avx512_core_bf16.rawValue)
        return rawValue & bf16 == bf16
    }

    /// The int8 kernels use AVX-512 VNNI (VPDPBUSD); AVX2-VNNI alone does not qualify.
    package var supportsInt8: Bool {
        let vnni = UInt32(dnnl_cpu_isa_avx512_core_vnni.rawValue)
        return rawValue & vnni == vnni
    }

    package var hasAMX: Bool {
        let amx = UInt32(dnnl_cpu_isa_avx512_core_amx.rawValue)
        return rawValue & amx == amx
    }

    package var name: String {
        switch rawValue {
        case UInt32(dnnl_cpu_isa_avx512_core_amx.rawValue): return "avx512_core_amx"
        case UInt32(dnnl_cpu_isa_avx512_core_bf16.rawValue): return "avx512_core_bf16"
        case UInt32(dnnl_cpu_isa_avx512_core_vnni.rawValue): return "avx512_core_vnni"
        case UInt32(dnnl_cpu_isa_avx512_core.rawValue): return "avx512_core"
        case UInt32(dnnl_cpu_isa_avx2_vnni.rawValue): return "avx2_vnni"
        case UInt32(dnnl_cpu_isa_avx2.rawValue): return "avx2"
        case UInt32(dnnl_cpu_isa_avx.rawValue): return "avx"
        case UInt32(dnnl_cpu_isa_sse41.rawValue): return "sse41"
        default: return "0x" + String(rawValue, radix: 16)
        }
    }
}
