// Fused Adam / AdamW update, one pass over the parameter (see optim.h for the exact order).
#include "optim.h"
#include "fastmath.h"

S2S_CLONES
void s2s_adam_update(float *restrict param, const float *restrict grad, float *restrict m,
                     float *restrict v, int64_t n, float w1, float beta2, float w2, float eps,
                     float weight_decay, int decoupled, float decay, float step_size,
                     float bc2_sqrt) {
    float l2 = decoupled ? 0.0f : weight_decay;
    float keep = decoupled && weight_decay != 0.0f ? decay : 1.0f;
    for (int64_t i = 0; i < n; i++) {
        float p = param[i] * keep;
        float g = grad[i] + l2 * p;
        float mi = m[i] + w1 * (g - m[i]);
        float vi = v[i] * beta2 + (w2 * g) * g;
        m[i] = mi;
        v[i] = vi;
        // libm sqrtf may set errno, which stops vectorization; the builtin is a plain sqrt.
        param[i] = p + (-step_size * mi) / (__builtin_elementwise_sqrt(vi) / bc2_sqrt + eps);
    }
}
