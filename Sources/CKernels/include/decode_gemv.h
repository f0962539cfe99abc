#ifndef S2S_DECODE_GEMV_H
#define S2S_DECODE_GEMV_H
#include <stdint.h>

/// Products of a few rows by a weight in PyTorch layout, for decoding at small batch:
/// y[M, N] = x[M, K] · W[N, K]ᵀ (+ bias[N]), with W read from memory once for all M rows
/// (each block of W rows is used against every x row while it is in cache). At M = 1..8 this
/// is bound by reading W, where a blocked GEMM spends its time packing; at larger M a GEMM
/// library wins. Rows of W are split over the OpenMP threads. Strides are in elements.
/// AVX-512 with a plain-C fallback chosen at run time.

/// fp32 weight.
void s2s_gemv_rows_f32(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                       const float *w, int64_t ldw, const float *bias, float *y, int64_t ldy);

/// bf16 weight (uint16 bit patterns, e.g. from s2s_f32_to_bf16): half the bytes to read. With the
/// dot-product kernel (AVX512-BF16; one row always, more rows as s2s_gemv_prefer_bf16_dot says),
/// x is rounded to bf16 too and VDPBF16PS does the products (as a bf16 GEMM would); with the
/// widening kernel each weight is widened exactly and x stays fp32. Accumulation is fp32 either way.
void s2s_gemv_rows_bf16(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                        const uint16_t *w, int64_t ldw, const float *bias, float *y, int64_t ldy);

/// 1 when the kernels have their AVX-512 tiles; without them they fall back to plain C loops
/// that a GEMM library beats at any row count, so callers should take the GEMM instead.
int s2s_gemv_rows_fast(void);

/// 1 when the CPU has the AVX512-BF16 dot-product kernel, which rounds x to bf16 (cpuid, not
/// oneDNN's ISA limit), else 0.
int s2s_gemv_has_bf16_dot(void);

/// Which bf16 kernel s2s_gemv_rows_bf16 runs from now on (process-wide): 1 the AVX512-BF16 dot
/// products (the default where they exist), 0 the widening kernel. Neither is faster on every
/// CPU: at 5 rows the widening kernel measured ~20 % faster on an Intel Xeon (VDPBF16PS on one
/// port), the dot products up to 20 % faster on a Zen 5. `--precision auto` measures and sets
/// it (PrecisionProbe); `S2S_GEMV_BF16_DOT=0|1` overrides. A single row always takes the dot
/// products where they exist (there the widening kernel's extra instructions lag memory).
void s2s_gemv_prefer_bf16_dot(int on);

/// s2s_gemv_rows_bf16 with its kernel named: dot = 1 the AVX512-BF16 dot products (where the CPU
/// has them, else widening), 0 widening. For the probe and tests, which must not change the
/// process-wide preference under other threads.
void s2s_gemv_rows_bf16_kernel(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                               const uint16_t *w, int64_t ldw, const float *bias, float *y, int64_t ldy, int dot);

#endif
