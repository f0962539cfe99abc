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

/// bf16 weight (uint16 bit patterns, e.g. from s2s_f32_to_bf16): half the bytes to read. x and
/// the accumulation stay fp32 (each weight is widened exactly), so the only rounding is W's.
void s2s_gemv_rows_bf16(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                        const uint16_t *w, int64_t ldw, const float *bias, float *y, int64_t ldy);

#endif
