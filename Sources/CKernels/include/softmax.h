#ifndef S2S_SOFTMAX_H
#define S2S_SOFTMAX_H
#include <stdint.h>

/// Row-wise softmax family over a rows × cols fp32 matrix with row stride ld. Large matrices
/// are split by rows over the OpenMP threads.

/// Softmax in place. With valid != NULL, row r normalizes columns [0, valid[r]) (clamped to
/// [0, cols]) and writes 0 to the rest; a row with no valid column becomes all zeros.
void s2s_softmax_rows(float *m, int64_t rows, int64_t cols, int64_t ld, const int32_t *valid);

/// Softmax backward from its output y: dx[r, j] = y[r, j]·(dy[r, j] − Σ_k y[r, k]·dy[r, k]).
/// Masked positions (y = 0) get 0. dx may alias dy.
void s2s_softmax_backward_rows(const float *y, int64_t ldy, const float *dy, int64_t lddy,
                               float *dx, int64_t lddx, int64_t rows, int64_t cols);

/// Log-softmax in place.
void s2s_log_softmax_rows(float *m, int64_t rows, int64_t cols, int64_t ld);

/// Fused log-softmax + cross-entropy with ignore index and label smoothing ε (PyTorch's
/// CrossEntropyLoss(label_smoothing=ε), per row: (1−ε)·(−log p[t]) + ε·mean_v(−log p[v])).
/// Targets must lie in [0, cols) unless equal to `ignore` (the caller checks). If grad is not
/// NULL, writes grad_scale · d(row loss)/d(logits) there (ignored rows get zeros); grad may be
/// the logits buffer itself. Returns the sum of row losses; *count gets the non-ignored rows.
double s2s_softmax_xent(const float *logits, int64_t rows, int64_t cols, int64_t ld,
                        const int32_t *targets, int32_t ignore, float smoothing,
                        float *grad, int64_t ldg, float grad_scale, int64_t *count);

/// out[r] = index of the first maximum of row r (NaN entries are skipped).
void s2s_argmax_rows(const float *m, int64_t rows, int64_t cols, int64_t ld, int32_t *out);

#endif
