#ifndef S2S_HALF_SUM_H
#define S2S_HALF_SUM_H
#include <stdint.h>

/// 16-bit gradients for a compressed allreduce: `bf16` nonzero selects bfloat16, zero IEEE half.
/// Encoding rounds to nearest even (bf16 NaN stays NaN; fp16 beyond ±65504 becomes ±inf).
void s2s_half_encode(const float *x, uint16_t *y, int64_t n, int bf16);
void s2s_half_decode(const uint16_t *x, float *y, int64_t n, int bf16);
/// inout[i] ← round16(widen(in[i]) + widen(inout[i])): one fp32 addition per element, rounded
/// once, so a reduction over N ranks rounds N − 1 times. The body of the MPI user operator.
void s2s_half_sum(const uint16_t *in, uint16_t *inout, int64_t n, int bf16);
#endif
