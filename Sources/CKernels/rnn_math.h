// Private to CKernels: the inline math and helpers shared by rnn_cells.c and attention_cells.c.
#ifndef S2S_RNN_MATH_H
#define S2S_RNN_MATH_H
#include <stdint.h>
#include <string.h>

#ifndef S2S_CLONES   // overridable (as in fastmath.h) to build and check one ISA at a time
#define S2S_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
// The buffers a kernel reads and writes never overlap (the contracts in rnn_cells.h), so inner
// loops carry `vectorize(assume_safety)`: without it clang guards each loop with a dozen runtime
// overlap checks and, as measured, ends up in the scalar loop.

/// e^x for x in [-87, 88] (clamped outside), relative error about 1e-7.
static inline float s2s_exp(float x) {
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    // Round x·log2(e) to the nearest integer with the 1.5·2^23 trick: exact in round-to-nearest
    // mode and vectorizes at every ISA level (floorf would not at the baseline).
    float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/// σ(x) = 1 / (1 + e^{-x}); saturates cleanly at both ends.
static inline float s2s_sigmoid(float x) { return 1.0f / (1.0f + s2s_exp(-x)); }

/// tanh(x): odd polynomial near 0 (no cancellation), 1 − 2/(e^{2|x|} + 1) elsewhere.
static inline float s2s_tanh(float x) {
    float z = x * x;
    float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z +
                    1.33314422036e-1f) * z - 3.33332819422e-1f) * z * x + x;
    float ax = x < 0 ? -x : x;
    float axc = ax > 10.0f ? 10.0f : ax;
    float e = s2s_exp(2.0f * axc);
    float big = 1.0f - 2.0f / (e + 1.0f);
    big = x < 0 ? -big : big;
    return ax < 0.625f ? small : big;
}

/// Packed-sequence masking: row `row` is active at step t when t < lengths[row] (NULL: always).
static inline int s2s_active(const int32_t *lengths, int64_t row, int32_t t) {
    return lengths == NULL || t < lengths[row];
}

/// Rows per thread below which splitting a step over threads costs more than it saves
/// (about 8K elementwise operations per thread; a fork/join is a few microseconds).
static inline int64_t s2s_min_rows(int64_t workPerRow) {
    int64_t r = 8192 / (workPerRow > 0 ? workPerRow : 1);
    return r < 1 ? 1 : r;
}


/// A sentence's length clamped to 0...S (NULL lengths: every sentence has S positions).
static inline int32_t s2s_len(const int32_t *lengths, int64_t s, int32_t S) {
    int32_t L = lengths ? lengths[s] : S;
    return L < 0 ? 0 : (L > S ? S : L);
}

#endif
