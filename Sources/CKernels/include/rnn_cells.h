#ifndef S2S_RNN_CELLS_H
#define S2S_RNN_CELLS_H
#include <stdint.h>

// Fused recurrent-cell kernels, one file per cell (rnn.c, gated_rnn.c, lstm.c, gru.c, each with
// its equations and their derivatives written out) and attention_cells.c: the elementwise part of
// one time step of a cell or of one additive / bilinear attention step, forward and backward,
// batched over rows (split over the engine's OpenMP threads when there is enough work).
//
// Conventions: every matrix is row-major with an explicit leading dimension (ld*, in floats), so
// callers can pass one time step of a [T, B, X] buffer or one direction's half of a [T, B, 2H]
// buffer without copying. GEMMs stay outside: the kernels take their results.
// `lengths` (int32 [rows], may be NULL = every row active) and `t` select the rows that are
// active at this time step (t < lengths[row]); packed-sequence semantics for the encoder.

/// LSTM step forward (lstm.c). `gates` [B, 4H] holds W_ih x + W_hh h (no bias) on entry and the
/// activations i, f, g, o on exit. `bias` [4H] = b_ih + b_hh. `cPrev` [B, H] (NULL = zeros).
/// Writes `c` [B, H] and `h` [B, H]; inactive rows get c = h = 0 (outputs at padding are 0).
void s2s_lstm_forward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *bias,
                      const float *cPrev, int64_t ldcp, float *c, int64_t ldc, float *h, int64_t ldh,
                      const int32_t *lengths, int32_t t);

/// LSTM step backward. Reads the activations in `gates` and overwrites them with the gradient
/// of the gate pre-activations. `dy` [B, H] is the gradient arriving on h from the output,
/// `dhRec` [B, H] (NULL = 0) the one arriving from the next processed step. `dc` [B, H] holds
/// the gradient on c_t on entry and the gradient on c_{t-1} on exit. Inactive rows: dgates = 0,
/// dc = 0.
void s2s_lstm_backward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *c, int64_t ldc,
                       const float *cPrev, int64_t ldcp, const float *dy, int64_t lddy,
                       const float *dhRec, int64_t lddh, float *dc, int64_t lddc,
                       const int32_t *lengths, int32_t t);

/// Vanilla RNN step forward (rnn.c). `gates` [B, H] holds W_ih x + W_hh h (no bias) on entry and
/// h_t on exit; `bias` [H] = b_ih + b_hh. Writes `h` [B, H] (0 for inactive rows).
void s2s_rnn_forward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *bias,
                     float *h, int64_t ldh, const int32_t *lengths, int32_t t);

/// Vanilla RNN step backward: `gates` holds h_t on entry and ∂L/∂a_t on exit (0 for inactive rows).
/// The gradient on h_t is `dy` + `dhRec` (NULL = 0); the caller forms dhRec of step t−1 as da · W_hh.
void s2s_rnn_backward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *dy, int64_t lddy,
                      const float *dhRec, int64_t lddr, const int32_t *lengths, int32_t t);

/// Simple gated RNN step forward (gated_rnn.c), blocks g, u. `gates` [B, 2H] holds W_ih x + W_hh s
/// (no bias) on entry and g, u on exit; `bias` [2H] = b_ih + b_hh; `sPrev` [B, H] (NULL = zeros).
/// Writes `s` [B, H] (0 for inactive rows).
void s2s_gated_forward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *bias,
                       const float *sPrev, int64_t ldsp, float *s, int64_t lds, const int32_t *lengths, int32_t t);

/// Simple gated RNN step backward: `gates` holds g, u on entry and the pre-activation gradients on
/// exit; the gradient on s_t is `dy` + `dhRec` (NULL = 0); writes `dPrev` [B, H] = ds ⊙ (1 − g), the
/// direct part of ∂L/∂s_{t−1} (the caller adds dgates · W_hh). Inactive rows: all 0.
void s2s_gated_backward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *sPrev, int64_t ldsp,
                        const float *dy, int64_t lddy, const float *dhRec, int64_t lddr, float *dPrev, int64_t lddp,
                        const int32_t *lengths, int32_t t);

/// GRU step forward (gru.c; PyTorch GRUCell, gates r, z, n). `gi` [B, 3H] = W_ih x, `gh` [B, 3H] = W_hh h
/// (both without bias). Writes h' [B, H]; on exit `gi` holds r, z, n and the n block of `gh`
/// holds W_hn h + b_hn (what backward needs). `h` may not alias `hPrev`. Inactive rows get h' = 0.
void s2s_gru_forward(int32_t rows, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh,
                     const float *bih, const float *bhh, const float *hPrev, int64_t ldhp,
                     float *h, int64_t ldh, const int32_t *lengths, int32_t t);

/// GRU step backward. The gradient on h' is `dy` + `dhRec` (NULL = 0). Overwrites `gi` with the
/// gradient of W_ih x + b_ih and `gh` with the gradient of W_hh h + b_hh; writes `dhPrev` = dh ⊙ z
/// (the direct path; the caller adds dgh · W_hh). Inactive rows: all 0.
void s2s_gru_backward(int32_t rows, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh,
                      const float *hPrev, int64_t ldhp, const float *dy, int64_t lddy,
                      const float *dhRec, int64_t lddr, float *dhPrev, int64_t lddhp,
                      const int32_t *lengths, int32_t t);

/// Additive (Bahdanau) attention forward for `rows` query rows.
/// Row n attends over source sentence s = srcRow ? srcRow[n] : n, positions j < lengths[s]:
/// `score_j = v · tanh(keys[s, j] + q[n])`, `alpha = softmax(score)` (0 beyond the length),
/// `ctx[n] = Σ_j alpha_j enc[s, j]`. `keys` [*, S, A] (row stride ldk, sentence stride S·ldk),
/// `enc` [*, S, D] likewise with lde, `q` [rows, A], `alpha` [rows, S] (ld lda),
/// `ctx` [rows, D]. `tanhSave` [rows, S, A] (NULL = not saved) keeps the tanh for backward.
void s2s_additive_attention_forward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                    const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                    const int32_t *lengths, const int32_t *srcRow,
                                    const float *q, int64_t ldq, const float *v,
                                    float *alpha, int64_t lda, float *ctx, int64_t ldc,
                                    float *tanhSave);

/// Additive attention backward (training: row n attends sentence n). Given `dctx` [rows, D]:
/// accumulates `dEnc` [rows, S, D] += alpha ⊗ dctx, `dKeys` [rows, S, A] += dtanh-path,
/// `dvRows` [rows, A] += Σ_j dscore_j tanh_j (summed over rows by the caller), and writes
/// `dq` [rows, A] = Σ_j d(keys_j + q). `tanhSave` from forward.
void s2s_additive_attention_backward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                     const float *enc, int64_t lde, const int32_t *lengths,
                                     const float *v, const float *alpha, int64_t lda,
                                     const float *tanhSave, const float *dctx, int64_t lddc,
                                     float *dEnc, int64_t ldde, float *dKeys, int64_t lddk,
                                     float *dvRows, int64_t lddv, float *dq, int64_t lddq);

/// Bilinear (Luong "general") attention forward: `score_j = q[n] · keys[s, j]` with keys = W enc
/// precomputed ([*, S, A], A = decoder size), then softmax and context as above.
void s2s_bilinear_attention_forward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                    const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                    const int32_t *lengths, const int32_t *srcRow,
                                    const float *q, int64_t ldq,
                                    float *alpha, int64_t lda, float *ctx, int64_t ldc);

/// Bilinear attention backward (row n attends sentence n): accumulates `dEnc` += alpha ⊗ dctx,
/// `dKeys` [rows, S, A] += dscore_j q, and ADDS `dq` [rows, A] += Σ_j dscore_j keys_j.
void s2s_bilinear_attention_backward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                     const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                     const int32_t *lengths, const float *q, int64_t ldq,
                                     const float *alpha, int64_t lda, const float *dctx, int64_t lddc,
                                     float *dEnc, int64_t ldde, float *dKeys, int64_t lddk,
                                     float *dq, int64_t lddq);

/// `y = tanh(x)` elementwise with the kernels' accurate tanh (tests and the bridge).
void s2s_tanh_array(const float *x, float *y, int64_t n);
/// `y = σ(x)` elementwise with the kernels' accurate sigmoid.
void s2s_sigmoid_array(const float *x, float *y, int64_t n);

#endif
