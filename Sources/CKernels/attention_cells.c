// Attention-step kernels, additive (Bahdanau) and bilinear (Luong general), forward and
// backward (contracts in include/rnn_cells.h). Same compilation scheme as rnn_cells.c.
#include "rnn_cells.h"
#include "parallel.h"
#include "rnn_math.h"
#include <math.h>

/// Masked softmax over the first L entries of `a` (length S); the rest become 0.
static void s2s_masked_softmax(float *a, int32_t L, int32_t S) {
    float mx = -INFINITY;
    for (int32_t j = 0; j < L; j++) mx = a[j] > mx ? a[j] : mx;
    float sum = 0;
    for (int32_t j = 0; j < L; j++) { a[j] = expf(a[j] - mx); sum += a[j]; }
    float inv = 1.0f / sum;
    for (int32_t j = 0; j < L; j++) a[j] *= inv;
    for (int32_t j = L < 0 ? 0 : L; j < S; j++) a[j] = 0;
}

/// α ← masked softmax of the scores over the first L of S positions; ctx = Σ_j α_j · enc_j.
/// Inlined into each ISA clone of its callers.
static inline __attribute__((always_inline)) void softmax_context(float *restrict al, int32_t L, int32_t S,
                                                                  const float *E, int64_t lde,
                                                                  float *restrict cn, int32_t D) {
    s2s_masked_softmax(al, L, S);
    memset(cn, 0, sizeof(float) * (size_t)D);
    for (int32_t j = 0; j < L; j++) {
        const float *restrict ej = E + j * lde;
        float w = al[j];
#pragma clang loop vectorize(assume_safety)
        for (int32_t d = 0; d < D; d++) cn[d] += w * ej[d];
    }
}

S2S_CLONES
static void additive_attention_forward_rows(int64_t b0, int64_t b1, int32_t S, int32_t A, int32_t D,
                                            const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                            const int32_t *lengths, const int32_t *srcRow, const float *q,
                                            int64_t ldq, const float *v, float *alpha, int64_t lda,
                                            float *ctx, int64_t ldc, float *tanhSave) {
    for (int64_t n = b0; n < b1; n++) {
        int64_t s = srcRow ? srcRow[n] : n;
        int32_t L = s2s_len(lengths, s, S);
        const float *K = keys + s * S * ldk;
        const float *E = enc + s * S * lde;
        const float *restrict qn = q + n * ldq;
        float *restrict al = alpha + n * lda;
        for (int32_t j = 0; j < L; j++) {
            const float *restrict kj = K + j * ldk;
            float sc = 0;
            if (tanhSave) {
                float *restrict tj = tanhSave + (n * S + j) * (int64_t)A;
#pragma clang loop vectorize(assume_safety) interleave(enable)
                for (int32_t a = 0; a < A; a++) {
                    float tv = s2s_tanhf(kj[a] + qn[a]);
                    tj[a] = tv;
                    sc += v[a] * tv;
                }
            } else {
#pragma clang loop vectorize(assume_safety) interleave(enable)
                for (int32_t a = 0; a < A; a++) sc += v[a] * s2s_tanhf(kj[a] + qn[a]);
            }
            al[j] = sc;
        }
        softmax_context(al, L, S, E, lde, ctx + n * ldc, D);
    }
}

/// Arguments of both forward attention kernels for s2s_parallel_for (v and tanhSave are
/// additive attention's; the bilinear kernel leaves them NULL).
typedef struct {
    int32_t S;
    int32_t A;
    int32_t D;
    const float *keys;
    int64_t ldk;
    const float *enc;
    int64_t lde;
    const int32_t *lengths;
    const int32_t *srcRow;
    const float *q;
    int64_t ldq;
    const float *v;
    float *alpha;
    int64_t lda;
    float *ctx;
    int64_t ldc;
    float *tanhSave;
} attention_forward_rows_args;

static void additive_attention_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    attention_forward_rows_args *a = p;
    additive_attention_forward_rows(b0, b1, a->S, a->A, a->D, a->keys, a->ldk, a->enc, a->lde, a->lengths,
                                    a->srcRow, a->q, a->ldq, a->v, a->alpha, a->lda, a->ctx, a->ldc,
                                    a->tanhSave);
}

void s2s_additive_attention_forward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                    const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                    const int32_t *lengths, const int32_t *srcRow,
                                    const float *q, int64_t ldq, const float *v,
                                    float *alpha, int64_t lda, float *ctx, int64_t ldc,
                                    float *tanhSave) {
    attention_forward_rows_args a = {S, A, D, keys, ldk, enc, lde, lengths, srcRow, q, ldq, v,
                                     alpha, lda, ctx, ldc, tanhSave};
    s2s_parallel_for(rows, s2s_min_rows((int64_t)S * (A + D)), additive_attention_forward_rows_range, &a);
}

/// Softmax-through-context backward: ds_j = dL/dscore_j = alpha_j · dctx · (enc_j − ctx), and
/// dEnc_j += alpha_j dctx. Written with enc_j − ctx (ctx recomputed in double) rather than the
/// textbook alpha_j (dalpha_j − Σ_k alpha_k dalpha_k): the scores' gradients sum to zero, and the
/// textbook form loses that small difference in float32 cancellation.
static inline void s2s_context_backward(int32_t L, int32_t D, const float *E, int64_t lde,
                                        const float *al, const float *restrict dcn,
                                        float *dE, int64_t ldde, double *ctx, float *ds) {
#pragma clang loop vectorize(assume_safety)
    for (int32_t d = 0; d < D; d++) ctx[d] = 0;
    for (int32_t j = 0; j < L; j++) {
        const float *restrict ej = E + j * lde;
        double w = al[j];
#pragma clang loop vectorize(assume_safety)
        for (int32_t d = 0; d < D; d++) ctx[d] += w * ej[d];
    }
    for (int32_t j = 0; j < L; j++) {
        const float *restrict ej = E + j * lde;
        float *restrict dej = dE + j * ldde;
        float w = al[j];
        double da = 0;
#pragma clang loop vectorize(assume_safety) interleave(enable)
        for (int32_t d = 0; d < D; d++) {
            da += (double)dcn[d] * ((double)ej[d] - ctx[d]);
            dej[d] += w * dcn[d];
        }
        ds[j] = (float)(w * da);
    }
}

S2S_CLONES
static void additive_attention_backward_rows(int64_t b0, int64_t b1, int32_t S, int32_t A, int32_t D,
                                             const float *enc, int64_t lde, const int32_t *lengths,
                                             const float *v, const float *alpha, int64_t lda,
                                             const float *tanhSave, const float *dctx, int64_t lddc,
                                             float *dEnc, int64_t ldde, float *dKeys, int64_t lddk,
                                             float *dvRows, int64_t lddv, float *dq, int64_t lddq) {
    float ds[S > 0 ? S : 1];
    double ctx[D > 0 ? D : 1];
    double dqAcc[A > 0 ? A : 1], dvAcc[A > 0 ? A : 1];
    for (int64_t n = b0; n < b1; n++) {
        int32_t L = s2s_len(lengths, n, S);
        float *restrict dqn = dq + n * lddq;
        float *restrict dvn = dvRows + n * lddv;
        s2s_context_backward(L, D, enc + n * S * lde, lde, alpha + n * lda, dctx + n * lddc,
                             dEnc + n * S * ldde, ldde, ctx, ds);
#pragma clang loop vectorize(assume_safety)
        for (int32_t a = 0; a < A; a++) { dqAcc[a] = 0; dvAcc[a] = 0; }
        for (int32_t j = 0; j < L; j++) {
            const float *restrict tj = tanhSave + (n * S + j) * (int64_t)A;
            float *restrict dkj = dKeys + (n * S + j) * lddk;
            float dsj = ds[j];
#pragma clang loop vectorize(assume_safety)
            for (int32_t a = 0; a < A; a++) {
                float tv = tj[a];
                dvAcc[a] += (double)(dsj * tv);
                float dt = dsj * v[a] * (1.0f - tv * tv);
                dkj[a] += dt;
                dqAcc[a] += (double)dt;
            }
        }
#pragma clang loop vectorize(assume_safety)
        for (int32_t a = 0; a < A; a++) { dqn[a] = (float)dqAcc[a]; dvn[a] += (float)dvAcc[a]; }
    }
}

typedef struct {
    int32_t S;
    int32_t A;
    int32_t D;
    const float *enc;
    int64_t lde;
    const int32_t *lengths;
    const float *v;
    const float *alpha;
    int64_t lda;
    const float *tanhSave;
    const float *dctx;
    int64_t lddc;
    float *dEnc;
    int64_t ldde;
    float *dKeys;
    int64_t lddk;
    float *dvRows;
    int64_t lddv;
    float *dq;
    int64_t lddq;
} additive_attention_backward_rows_args;

static void additive_attention_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    additive_attention_backward_rows_args *a = p;
    additive_attention_backward_rows(b0, b1, a->S, a->A, a->D, a->enc, a->lde, a->lengths, a->v, a->alpha,
                                     a->lda, a->tanhSave, a->dctx, a->lddc, a->dEnc, a->ldde, a->dKeys,
                                     a->lddk, a->dvRows, a->lddv, a->dq, a->lddq);
}

void s2s_additive_attention_backward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                     const float *enc, int64_t lde, const int32_t *lengths,
                                     const float *v, const float *alpha, int64_t lda,
                                     const float *tanhSave, const float *dctx, int64_t lddc,
                                     float *dEnc, int64_t ldde, float *dKeys, int64_t lddk,
                                     float *dvRows, int64_t lddv, float *dq, int64_t lddq) {
    additive_attention_backward_rows_args a = {S, A, D, enc, lde, lengths, v, alpha, lda, tanhSave, dctx,
                                               lddc, dEnc, ldde, dKeys, lddk, dvRows, lddv, dq, lddq};
    s2s_parallel_for(rows, s2s_min_rows((int64_t)S * (A + 2 * D)), additive_attention_backward_rows_range,
                     &a);
}

S2S_CLONES
static void bilinear_attention_forward_rows(int64_t b0, int64_t b1, int32_t S, int32_t A, int32_t D,
                                            const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                            const int32_t *lengths, const int32_t *srcRow, const float *q,
                                            int64_t ldq, float *alpha, int64_t lda, float *ctx,
                                            int64_t ldc) {
    for (int64_t n = b0; n < b1; n++) {
        int64_t s = srcRow ? srcRow[n] : n;
        int32_t L = s2s_len(lengths, s, S);
        const float *K = keys + s * S * ldk;
        const float *E = enc + s * S * lde;
        const float *restrict qn = q + n * ldq;
        float *restrict al = alpha + n * lda;
        for (int32_t j = 0; j < L; j++) {
            const float *restrict kj = K + j * ldk;
            float sc = 0;
#pragma clang loop vectorize(assume_safety) interleave(enable)
            for (int32_t a = 0; a < A; a++) sc += qn[a] * kj[a];
            al[j] = sc;
        }
        softmax_context(al, L, S, E, lde, ctx + n * ldc, D);
    }
}

static void bilinear_attention_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    attention_forward_rows_args *a = p;
    bilinear_attention_forward_rows(b0, b1, a->S, a->A, a->D, a->keys, a->ldk, a->enc, a->lde, a->lengths,
                                    a->srcRow, a->q, a->ldq, a->alpha, a->lda, a->ctx, a->ldc);
}

void s2s_bilinear_attention_forward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                    const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                    const int32_t *lengths, const int32_t *srcRow,
                                    const float *q, int64_t ldq,
                                    float *alpha, int64_t lda, float *ctx, int64_t ldc) {
    attention_forward_rows_args a = {S, A, D, keys, ldk, enc, lde, lengths, srcRow, q, ldq, NULL,
                                     alpha, lda, ctx, ldc, NULL};
    s2s_parallel_for(rows, s2s_min_rows((int64_t)S * (A + D)), bilinear_attention_forward_rows_range, &a);
}

S2S_CLONES
static void bilinear_attention_backward_rows(int64_t b0, int64_t b1, int32_t S, int32_t A, int32_t D,
                                             const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                             const int32_t *lengths, const float *q, int64_t ldq,
                                             const float *alpha, int64_t lda, const float *dctx,
                                             int64_t lddc, float *dEnc, int64_t ldde, float *dKeys,
                                             int64_t lddk, float *dq, int64_t lddq) {
    float ds[S > 0 ? S : 1];
    double ctx[D > 0 ? D : 1];
    for (int64_t n = b0; n < b1; n++) {
        int32_t L = s2s_len(lengths, n, S);
        const float *restrict qn = q + n * ldq;
        float *restrict dqn = dq + n * lddq;
        s2s_context_backward(L, D, enc + n * S * lde, lde, alpha + n * lda, dctx + n * lddc,
                             dEnc + n * S * ldde, ldde, ctx, ds);
        for (int32_t j = 0; j < L; j++) {
            const float *restrict kj = keys + (n * S + j) * ldk;
            float *restrict dkj = dKeys + (n * S + j) * lddk;
            float dsj = ds[j];
#pragma clang loop vectorize(assume_safety)
            for (int32_t a = 0; a < A; a++) {
                dqn[a] += dsj * kj[a];
                dkj[a] += dsj * qn[a];
            }
        }
    }
}

typedef struct {
    int32_t S;
    int32_t A;
    int32_t D;
    const float *keys;
    int64_t ldk;
    const float *enc;
    int64_t lde;
    const int32_t *lengths;
    const float *q;
    int64_t ldq;
    const float *alpha;
    int64_t lda;
    const float *dctx;
    int64_t lddc;
    float *dEnc;
    int64_t ldde;
    float *dKeys;
    int64_t lddk;
    float *dq;
    int64_t lddq;
} bilinear_attention_backward_rows_args;

static void bilinear_attention_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    bilinear_attention_backward_rows_args *a = p;
    bilinear_attention_backward_rows(b0, b1, a->S, a->A, a->D, a->keys, a->ldk, a->enc, a->lde, a->lengths,
                                     a->q, a->ldq, a->alpha, a->lda, a->dctx, a->lddc, a->dEnc, a->ldde,
                                     a->dKeys, a->lddk, a->dq, a->lddq);
}

void s2s_bilinear_attention_backward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                     const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                     const int32_t *lengths, const float *q, int64_t ldq,
                                     const float *alpha, int64_t lda, const float *dctx, int64_t lddc,
                                     float *dEnc, int64_t ldde, float *dKeys, int64_t lddk,
                                     float *dq, int64_t lddq) {
    bilinear_attention_backward_rows_args a = {S, A, D, keys, ldk, enc, lde, lengths, q, ldq, alpha, lda,
                                               dctx, lddc, dEnc, ldde, dKeys, lddk, dq, lddq};
    s2s_parallel_for(rows, s2s_min_rows((int64_t)S * (2 * A + 2 * D)),
                     bilinear_attention_backward_rows_range, &a);
}
