#ifndef S2S_ELEMENTWISE_H
#define S2S_ELEMENTWISE_H
#include <stdint.h>

/// Elementwise and row/column kernels over fp32, vectorized per ISA (AVX-512 / AVX2 /
/// baseline clones picked at load time). Matrices are row-major with a row stride `ld`.

/// x ← σ(x), in place.
void s2s_sigmoid(float *x, int64_t n);
/// x ← tanh(x), in place.
void s2s_tanh(float *x, int64_t n);
/// dx (+)= dy · y · (1 − y), from the sigmoid's output y.
void s2s_sigmoid_backward(const float *y, const float *dy, float *dx, int64_t n, int accumulate);
/// dx (+)= dy · (1 − y²), from tanh's output y.
void s2s_tanh_backward(const float *y, const float *dy, float *dx, int64_t n, int accumulate);
/// m[r, :] += v for every row.
void s2s_add_row_vector(float *m, int64_t rows, int64_t cols, int64_t ld, const float *v);
/// v[j] (+)= Σ_r m[r, j].
void s2s_sum_rows(const float *m, int64_t rows, int64_t cols, int64_t ld, float *v, int accumulate);
/// y += a·x.
void s2s_axpy(float a, const float *x, float *y, int64_t n);
/// x ← a·x.
void s2s_scale(float *x, float a, int64_t n);
/// Σ x², accumulated in double.
double s2s_sum_squares(const float *x, int64_t n);
/// out = x ⊙ y (out may alias x or y).
void s2s_mul(const float *x, const float *y, float *out, int64_t n);
/// out = x + y (out may alias x or y).
void s2s_add(const float *x, const float *y, float *out, int64_t n);

#endif
