#ifndef S2S_DECODE_GEMV_INT8_H
#define S2S_DECODE_GEMV_INT8_H
#include <stdint.h>

/// int8 products for decoding: y[M, N] = x[M, K] · W[N, K]ᵀ (+ bias[N]) with
///   W ≈ diag(sw) · Wq     (Wq int8 in [-127, 127], one symmetric scale per output row),
///   x ≈ diag(sx) · xq     (xq int8 in [-127, 127], one scale per x row, made at every call).
/// VPDPBUSD multiplies *unsigned* by signed bytes, so x is stored shifted by 128 (u8 = xq + 128)
/// and the shift is taken back with a per-row compensation: Σ_k (xq+128)·wq = Σ_k xq·wq + comp[n],
/// comp[n] = 128 · Σ_k wq[n, k]. Integer sums are exact, so the AVX-512 VNNI kernel and the
/// plain-C one give bit-identical results.

/// Per-row symmetric quantization (the storage form): q[n, k] = round(w[n, k] / scale[n]),
/// scale[n] = max_k |w[n, k]| / 127 (0 for a zero row, whose q is 0).
void s2s_int8_quantize_rows(const float *w, int64_t ldw, int64_t N, int64_t K,
                            int8_t *q, int64_t ldq, float *scales);

/// Bytes of the packed (VNNI) layout: N rounded up to 32 rows, K to 4.
int64_t s2s_int8_packed_size(int64_t N, int64_t K);
/// Elements of the compensation array (N rounded up to 32).
int64_t s2s_int8_padded_rows(int64_t N);

/// Rearranges q (N × K, row stride ldq) into `packed` (s2s_int8_packed_size bytes, 64-byte
/// aligned): blocks of 32 output rows, inside them groups of 4 k by 32 rows by 4 bytes, so one
/// 64-byte load feeds one VPDPBUSD for 16 outputs. Fills comp (s2s_int8_padded_rows elements).
void s2s_int8_pack(const int8_t *q, int64_t ldq, int64_t N, int64_t K, int8_t *packed, int32_t *comp);

/// The product with a packed weight. Strides in elements; bias may be NULL. AVX-512 VNNI when
/// the CPU has it, else plain C (same results, far slower: callers resolve int8 to fp32 there).
void s2s_gemm_int8(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                   const int8_t *packed, const int32_t *comp, const float *scales,
                   const float *bias, float *y, int64_t ldy);

/// The plain-C path of s2s_gemm_int8 on any CPU (the tests compare the two).
void s2s_gemm_int8_reference(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                             const int8_t *packed, const int32_t *comp, const float *scales,
                             const float *bias, float *y, int64_t ldy);

/// 1 when s2s_gemm_int8 runs the AVX-512 VNNI kernel on this CPU.
int s2s_gemm_int8_fast(void);

#endif
