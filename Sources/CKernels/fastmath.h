#ifndef S2S_FASTMATH_H
#define S2S_FASTMATH_H
// Branch-free exp / tanh / sigmoid for vectorized loops (private to CKernels).
//
// libm's expf/tanhf are calls the vectorizer cannot widen; these inline versions are plain
// arithmetic, so a loop over them becomes AVX-512 / AVX2 code in each target clone.
// Accuracy (checked by the tests against double precision): exp ≤ 2 ulp on [-87, 88],
// tanh and sigmoid ≤ ~3e-7 relative. Inputs beyond the clamps saturate (exp(-100) returns
// ~1e-38 instead of a denormal), which no softmax or gate can tell apart.
//
// Use S2S_CLONES on the function that holds the loop: one clone per ISA, picked at load time.
#include <stdint.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer) && !defined(S2S_CLONES)
// target_clones dispatch through ifunc resolvers, which the dynamic loader runs before the TSan
// runtime is up; instrumented, they crash at load (__tsan_func_entry from the resolver). Under
// TSan the kernels are built once, for the baseline ISA.
#define S2S_CLONES
#endif
#endif
#ifndef S2S_CLONES   // overridable to build one ISA only when checking each clone's results
#define S2S_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
#define S2S_INLINE static inline __attribute__((always_inline))

S2S_INLINE float s2s_bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
S2S_INLINE uint32_t s2s_float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/// e^x (Cephes expf polynomial, Cody–Waite reduction by ln 2).
S2S_INLINE float s2s_expf(float x) {
    x = x < 88.3762626647949f ? x : 88.3762626647949f;
    x = x > -87.3365447505531f ? x : -87.3365447505531f;
    // Round x·log2(e) to the nearest integer with the 1.5·2^23 trick: exact in round-to-nearest
    // mode and vectorizes at every ISA level (floorf would not at the baseline).
    float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float z = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * z + r + 1.0f;
    // 2^n by building the exponent field; n is in [-126, 128], and 2^128 only pairs with
    // p < 1 at the upper clamp, so split the scale in two halves to stay finite.
    int32_t ni = (int32_t)n;
    int32_t half = ni >> 1;
    float s1 = s2s_bits_to_float((uint32_t)(half + 127) << 23);
    float s2 = s2s_bits_to_float((uint32_t)(ni - half + 127) << 23);
    return p * s1 * s2;
}

/// tanh(x): odd polynomial below |x| = 0.625 (no cancellation near 0), 1 − 2/(e^{2|x|}+1) above.
S2S_INLINE float s2s_tanhf(float x) {
    float ax = x < 0 ? -x : x;
    float z = x * x;
    float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z
                    + 1.33314422036e-1f) * z - 3.33332819422e-1f) * z * x + x;
    // Clamped at 10, not 9: 1 − 2/(e^18 + 1) rounds to 0.99999994, 1 − 2/(e^20 + 1) to exactly 1.
    float e = s2s_expf(2.0f * (ax < 10.0f ? ax : 10.0f));
    float big = 1.0f - 2.0f / (e + 1.0f);
    big = x < 0 ? -big : big;
    return ax < 0.625f ? small : big;
}

/// σ(x) = 1 / (1 + e^{−x}).
S2S_INLINE float s2s_sigmoidf(float x) {
    return 1.0f / (1.0f + s2s_expf(-x));
}

#endif
