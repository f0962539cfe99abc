// 16-bit gradient compression for the allreduce of data-parallel training. Open MPI applies a
// user operator element by element with no vector code of its own, and the fp16 conversions are
// library calls without F16C, so all of it lives here, where each target clone vectorizes
// (AVX-512 / AVX2 + F16C: vcvtps2ph, vcvtph2ps; baseline: plain loops).
#include "half_sum.h"
#include <string.h>

#include "fastmath.h"

S2S_INLINE uint16_t bf16_round(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    uint32_t rounded = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    uint32_t nan = (u >> 16) | 0x40u;
    return (uint16_t)(((u & 0x7FFFFFFFu) > 0x7F800000u) ? nan : rounded);
}

S2S_INLINE float bf16_widen(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

S2S_INLINE uint16_t fp16_round(float f) {
    _Float16 h = (_Float16)f;
    uint16_t u;
    memcpy(&u, &h, 2);
    return u;
}

S2S_INLINE float fp16_widen(uint16_t u) {
    _Float16 h;
    memcpy(&h, &u, 2);
    return (float)h;
}

S2S_CLONES
void s2s_half_encode(const float *restrict x, uint16_t *restrict y, int64_t n, int bf16) {
    if (bf16) {
        for (int64_t i = 0; i < n; i++) y[i] = bf16_round(x[i]);
    } else {
        for (int64_t i = 0; i < n; i++) y[i] = fp16_round(x[i]);
    }
}

S2S_CLONES
void s2s_half_decode(const uint16_t *restrict x, float *restrict y, int64_t n, int bf16) {
    if (bf16) {
        for (int64_t i = 0; i < n; i++) y[i] = bf16_widen(x[i]);
    } else {
        for (int64_t i = 0; i < n; i++) y[i] = fp16_widen(x[i]);
    }
}

S2S_CLONES
void s2s_half_sum(const uint16_t *restrict in, uint16_t *restrict inout, int64_t n, int bf16) {
    if (bf16) {
        for (int64_t i = 0; i < n; i++) inout[i] = bf16_round(bf16_widen(in[i]) + bf16_widen(inout[i]));
    } else {
        for (int64_t i = 0; i < n; i++) inout[i] = fp16_round(fp16_widen(in[i]) + fp16_widen(inout[i]));
    }
}
