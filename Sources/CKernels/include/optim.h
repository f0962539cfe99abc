#ifndef S2S_OPTIM_H
#define S2S_OPTIM_H
#include <stdint.h>

/// One fused Adam/AdamW element update in PyTorch's operation order (single-tensor path):
///   decoupled: p *= decay            (decay = 1 − lr·wd)
///   else:      g = grad + wd·p       (when wd ≠ 0)
///   m += w1·(g − m)                  (lerp_, w1 = 1 − β1)
///   v = v·β2 + (w2·g)·g              (mul_ + addcmul_, w2 = 1 − β2)
///   p += (−step_size·m) / (√v / bc2_sqrt + eps)   (addcdiv_)
/// The caller computes the scalars in double, as PyTorch does in Python, and rounds them once:
/// w1 = 1 − β1, w2 = 1 − β2, decay = 1 − lr·wd, step_size = lr / (1 − β1^t), bc2_sqrt = √(1 − β2^t).
void s2s_adam_update(float *param, const float *grad, float *m, float *v, int64_t n,
                     float w1, float beta2, float w2, float eps, float weight_decay, int decoupled,
                     float decay, float step_size, float bc2_sqrt);

#endif
