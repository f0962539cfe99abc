// Fused recurrent-cell and attention-step kernels (see include/rnn_cells.h for the contracts).
//
// Each kernel's row loop is compiled three times (AVX-512, AVX2, baseline) and picked at load
// time, so the loops vectorize on this machine without raising the package's baseline target;
// the exported functions split rows over the OpenMP threads oneDNN uses (s2s_parallel_for).
// exp / tanh / sigmoid are written out (Cephes-style polynomials, about 2 ulp) so they inline and
// vectorize inside the fused loops; libm calls would stop the vectorizer.
#include "rnn_cells.h"
#include "parallel.h"
#include <math.h>
#include <string.h>

#define S2S_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
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

/// Rows per thread below which splitting a step over threads costs more than it saves
/// (about 8K elementwise operations per thread; a fork/join is a few microseconds).
static inline int64_t s2s_min_rows(int64_t workPerRow) {
    int64_t r = 8192 / (workPerRow > 0 ? workPerRow : 1);
    return r < 1 ? 1 : r;
}

static inline int s2s_active(const int32_t *lengths, int64_t row, int32_t t) {
    return lengths == NULL || t < lengths[row];
}

S2S_CLONES
static void lstm_forward_rows(int64_t b0, int64_t b1, int32_t H, float *gates, int64_t ldg, const float *bias, const float *cPrev, int64_t ldcp, float *c, int64_t ldc, float *h, int64_t ldh, const int32_t *lengths, int32_t t) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict g = gates + b * ldg;
        float *restrict cr = c + b * ldc;
        float *restrict hr = h + b * ldh;
        if (!s2s_active(lengths, b, t)) {
            memset(cr, 0, sizeof(float) * (size_t)H);
            memset(hr, 0, sizeof(float) * (size_t)H);
            continue;
        }
        float *restrict gi = g, *restrict gf = g + H, *restrict gg = g + 2 * H, *restrict go = g + 3 * H;
        const float *bi = bias, *bf = bias + H, *bg = bias + 2 * H, *bo = bias + 3 * H;
        if (cPrev) {
            const float *restrict cp = cPrev + b * ldcp;
#pragma clang loop vectorize(assume_safety)
            for (int32_t j = 0; j < H; j++) {
                float i = s2s_sigmoid(gi[j] + bi[j]), f = s2s_sigmoid(gf[j] + bf[j]);
                float u = s2s_tanh(gg[j] + bg[j]), o = s2s_sigmoid(go[j] + bo[j]);
                float cn = f * cp[j] + i * u;
                gi[j] = i; gf[j] = f; gg[j] = u; go[j] = o;
                cr[j] = cn;
                hr[j] = o * s2s_tanh(cn);
            }
        } else {
#pragma clang loop vectorize(assume_safety)
            for (int32_t j = 0; j < H; j++) {
                float i = s2s_sigmoid(gi[j] + bi[j]), f = s2s_sigmoid(gf[j] + bf[j]);
                float u = s2s_tanh(gg[j] + bg[j]), o = s2s_sigmoid(go[j] + bo[j]);
                float cn = i * u;
                gi[j] = i; gf[j] = f; gg[j] = u; go[j] = o;
                cr[j] = cn;
                hr[j] = o * s2s_tanh(cn);
            }
        }
    }
}

typedef struct {
    int32_t H;
    float * gates;
    int64_t ldg;
    const float * bias;
    const float * cPrev;
    int64_t ldcp;
    float * c;
    int64_t ldc;
    float * h;
    int64_t ldh;
    const int32_t * lengths;
    int32_t t;
} lstm_forward_rows_args;

static void lstm_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    lstm_forward_rows_args *a = p;
    lstm_forward_rows(b0, b1, a->H, a->gates, a->ldg, a->bias, a->cPrev, a->ldcp, a->c, a->ldc, a->h, a->ldh, a->lengths, a->t);
}

void s2s_lstm_forward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *bias,
                      const float *cPrev, int64_t ldcp, float *c, int64_t ldc, float *h, int64_t ldh,
                      const int32_t *lengths, int32_t t) {
    lstm_forward_rows_args a = {H, gates, ldg, bias, cPrev, ldcp, c, ldc, h, ldh, lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(4 * (int64_t)H), lstm_forward_rows_range, &a);
}

S2S_CLONES
static void lstm_backward_rows(int64_t b0, int64_t b1, int32_t H, float *gates, int64_t ldg, const float *c, int64_t ldc, const float *cPrev, int64_t ldcp, const float *dy, int64_t lddy, const float *dhRec, int64_t lddh, float *dc, int64_t lddc, const int32_t *lengths, int32_t t) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict g = gates + b * ldg;
        float *restrict dcr = dc + b * lddc;
        if (!s2s_active(lengths, b, t)) {
            memset(g, 0, sizeof(float) * 4 * (size_t)H);
            memset(dcr, 0, sizeof(float) * (size_t)H);
            continue;
        }
        const float *restrict cr = c + b * ldc;
        const float *restrict dyr = dy + b * lddy;
        const float *restrict dhr = dhRec ? dhRec + b * lddh : NULL;
        const float *restrict cp = cPrev ? cPrev + b * ldcp : NULL;
        float *restrict gi = g, *restrict gf = g + H, *restrict gg = g + 2 * H, *restrict go = g + 3 * H;
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float i = gi[j], f = gf[j], u = gg[j], o = go[j];
            float tc = s2s_tanh(cr[j]);
            float dh = dyr[j] + (dhr ? dhr[j] : 0.0f);
            float dct = dcr[j] + dh * o * (1.0f - tc * tc);
            float cprev = cp ? cp[j] : 0.0f;
            dcr[j] = dct * f;
            gi[j] = dct * u * i * (1.0f - i);
            gf[j] = dct * cprev * f * (1.0f - f);
            gg[j] = dct * i * (1.0f - u * u);
            go[j] = dh * tc * o * (1.0f - o);
        }
    }
}

typedef struct {
    int32_t H;
    float * gates;
    int64_t ldg;
    const float * c;
    int64_t ldc;
    const float * cPrev;
    int64_t ldcp;
    const float * dy;
    int64_t lddy;
    const float * dhRec;
    int64_t lddh;
    float * dc;
    int64_t lddc;
    const int32_t * lengths;
    int32_t t;
} lstm_backward_rows_args;

static void lstm_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    lstm_backward_rows_args *a = p;
    lstm_backward_rows(b0, b1, a->H, a->gates, a->ldg, a->c, a->ldc, a->cPrev, a->ldcp, a->dy, a->lddy, a->dhRec, a->lddh, a->dc, a->lddc, a->lengths, a->t);
}

void s2s_lstm_backward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *c, int64_t ldc,
                       const float *cPrev, int64_t ldcp, const float *dy, int64_t lddy,
                       const float *dhRec, int64_t lddh, float *dc, int64_t lddc,
                       const int32_t *lengths, int32_t t) {
    lstm_backward_rows_args a = {H, gates, ldg, c, ldc, cPrev, ldcp, dy, lddy, dhRec, lddh, dc, lddc, lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(4 * (int64_t)H), lstm_backward_rows_range, &a);
}

S2S_CLONES
static void gru_forward_rows(int64_t b0, int64_t b1, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh, const float *bih, const float *bhh, const float *hPrev, int64_t ldhp, float *h, int64_t ldh) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict xi = gi + b * ldgi;
        float *restrict xh = gh + b * ldgh;
        const float *restrict hp = hPrev + b * ldhp;
        float *restrict hr = h + b * ldh;
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float r = s2s_sigmoid(xi[j] + bih[j] + xh[j] + bhh[j]);
            float z = s2s_sigmoid(xi[H + j] + bih[H + j] + xh[H + j] + bhh[H + j]);
            float hn = xh[2 * H + j] + bhh[2 * H + j];
            float n = s2s_tanh(xi[2 * H + j] + bih[2 * H + j] + r * hn);
            hr[j] = (1.0f - z) * n + z * hp[j];
            xi[j] = r; xi[H + j] = z; xi[2 * H + j] = n;
            xh[2 * H + j] = hn;
        }
    }
}

typedef struct {
    int32_t H;
    float * gi;
    int64_t ldgi;
    float * gh;
    int64_t ldgh;
    const float * bih;
    const float * bhh;
    const float * hPrev;
    int64_t ldhp;
    float * h;
    int64_t ldh;
} gru_forward_rows_args;

static void gru_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    gru_forward_rows_args *a = p;
    gru_forward_rows(b0, b1, a->H, a->gi, a->ldgi, a->gh, a->ldgh, a->bih, a->bhh, a->hPrev, a->ldhp, a->h, a->ldh);
}

void s2s_gru_forward(int32_t rows, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh,
                     const float *bih, const float *bhh, const float *hPrev, int64_t ldhp,
                     float *h, int64_t ldh) {
    gru_forward_rows_args a = {H, gi, ldgi, gh, ldgh, bih, bhh, hPrev, ldhp, h, ldh};
    s2s_parallel_for(rows, s2s_min_rows(3 * (int64_t)H), gru_forward_rows_range, &a);
}

S2S_CLONES
static void gru_backward_rows(int64_t b0, int64_t b1, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh, const float *hPrev, int64_t ldhp, const float *dh, int64_t lddh, float *dhPrev, int64_t lddhp) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict xi = gi + b * ldgi;
        float *restrict xh = gh + b * ldgh;
        const float *restrict hp = hPrev + b * ldhp;
        const float *restrict d = dh + b * lddh;
        float *restrict dp = dhPrev + b * lddhp;
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float r = xi[j], z = xi[H + j], n = xi[2 * H + j], hn = xh[2 * H + j];
            float dn = d[j] * (1.0f - z);
            float dz = d[j] * (hp[j] - n);
            dp[j] = d[j] * z;
            float dan = dn * (1.0f - n * n);
            float dar = dan * hn * r * (1.0f - r);
            float daz = dz * z * (1.0f - z);
            xi[j] = dar; xi[H + j] = daz; xi[2 * H + j] = dan;
            xh[j] = dar; xh[H + j] = daz; xh[2 * H + j] = dan * r;
        }
    }
}

typedef struct {
    int32_t H;
    float * gi;
    int64_t ldgi;
    float * gh;
    int64_t ldgh;
    const float * hPrev;
    int64_t ldhp;
    const float * dh;
    int64_t lddh;
    float * dhPrev;
    int64_t lddhp;
} gru_backward_rows_args;

static void gru_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    gru_backward_rows_args *a = p;
    gru_backward_rows(b0, b1, a->H, a->gi, a->ldgi, a->gh, a->ldgh, a->hPrev, a->ldhp, a->dh, a->lddh, a->dhPrev, a->lddhp);
}

void s2s_gru_backward(int32_t rows, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh,
                      const float *hPrev, int64_t ldhp, const float *dh, int64_t lddh,
                      float *dhPrev, int64_t lddhp) {
    gru_backward_rows_args a = {H, gi, ldgi, gh, ldgh, hPrev, ldhp, dh, lddh, dhPrev, lddhp};
    s2s_parallel_for(rows, s2s_min_rows(3 * (int64_t)H), gru_backward_rows_range, &a);
}

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

static inline int32_t s2s_len(const int32_t *lengths, int64_t s, int32_t S) {
    int32_t L = lengths ? lengths[s] : S;
    return L < 0 ? 0 : (L > S ? S : L);
}

S2S_CLONES
static void additive_attention_forward_rows(int64_t b0, int64_t b1, int32_t S, int32_t A, int32_t D, const float *keys, int64_t ldk, const float *enc, int64_t lde, const int32_t *lengths, const int32_t *srcRow, const float *q, int64_t ldq, const float *v, float *alpha, int64_t lda, float *ctx, int64_t ldc, float *tanhSave) {
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
                    float tv = s2s_tanh(kj[a] + qn[a]);
                    tj[a] = tv;
                    sc += v[a] * tv;
                }
            } else {
#pragma clang loop vectorize(assume_safety) interleave(enable)
                for (int32_t a = 0; a < A; a++) sc += v[a] * s2s_tanh(kj[a] + qn[a]);
            }
            al[j] = sc;
        }
        s2s_masked_softmax(al, L, S);
        float *restrict cn = ctx + n * ldc;
        memset(cn, 0, sizeof(float) * (size_t)D);
        for (int32_t j = 0; j < L; j++) {
            const float *restrict ej = E + j * lde;
            float w = al[j];
#pragma clang loop vectorize(assume_safety)
            for (int32_t d = 0; d < D; d++) cn[d] += w * ej[d];
        }
    }
}

typedef struct {
    int32_t S;
    int32_t A;
    int32_t D;
    const float * keys;
    int64_t ldk;
    const float * enc;
    int64_t lde;
    const int32_t * lengths;
    const int32_t * srcRow;
    const float * q;
    int64_t ldq;
    const float * v;
    float * alpha;
    int64_t lda;
    float * ctx;
    int64_t ldc;
    float * tanhSave;
} additive_attention_forward_rows_args;

static void additive_attention_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    additive_attention_forward_rows_args *a = p;
    additive_attention_forward_rows(b0, b1, a->S, a->A, a->D, a->keys, a->ldk, a->enc, a->lde, a->lengths, a->srcRow, a->q, a->ldq, a->v, a->alpha, a->lda, a->ctx, a->ldc, a->tanhSave);
}

void s2s_additive_attention_forward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                    const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                    const int32_t *lengths, const int32_t *srcRow,
                                    const float *q, int64_t ldq, const float *v,
                                    float *alpha, int64_t lda, float *ctx, int64_t ldc,
                                    float *tanhSave) {
    additive_attention_forward_rows_args a = {S, A, D, keys, ldk, enc, lde, lengths, srcRow, q, ldq, v, alpha, lda, ctx, ldc, tanhSave};
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
static void additive_attention_backward_rows(int64_t b0, int64_t b1, int32_t S, int32_t A, int32_t D, const float *enc, int64_t lde, const int32_t *lengths, const float *v, const float *alpha, int64_t lda, const float *tanhSave, const float *dctx, int64_t lddc, float *dEnc, int64_t ldde, float *dKeys, int64_t lddk, float *dvRows, int64_t lddv, float *dq, int64_t lddq) {
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
    const float * enc;
    int64_t lde;
    const int32_t * lengths;
    const float * v;
    const float * alpha;
    int64_t lda;
    const float * tanhSave;
    const float * dctx;
    int64_t lddc;
    float * dEnc;
    int64_t ldde;
    float * dKeys;
    int64_t lddk;
    float * dvRows;
    int64_t lddv;
    float * dq;
    int64_t lddq;
} additive_attention_backward_rows_args;

static void additive_attention_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    additive_attention_backward_rows_args *a = p;
    additive_attention_backward_rows(b0, b1, a->S, a->A, a->D, a->enc, a->lde, a->lengths, a->v, a->alpha, a->lda, a->tanhSave, a->dctx, a->lddc, a->dEnc, a->ldde, a->dKeys, a->lddk, a->dvRows, a->lddv, a->dq, a->lddq);
}

void s2s_additive_attention_backward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                     const float *enc, int64_t lde, const int32_t *lengths,
                                     const float *v, const float *alpha, int64_t lda,
                                     const float *tanhSave, const float *dctx, int64_t lddc,
                                     float *dEnc, int64_t ldde, float *dKeys, int64_t lddk,
                                     float *dvRows, int64_t lddv, float *dq, int64_t lddq) {
    additive_attention_backward_rows_args a = {S, A, D, enc, lde, lengths, v, alpha, lda, tanhSave, dctx, lddc, dEnc, ldde, dKeys, lddk, dvRows, lddv, dq, lddq};
    s2s_parallel_for(rows, s2s_min_rows((int64_t)S * (A + 2 * D)), additive_attention_backward_rows_range, &a);
}

S2S_CLONES
static void bilinear_attention_forward_rows(int64_t b0, int64_t b1, int32_t S, int32_t A, int32_t D, const float *keys, int64_t ldk, const float *enc, int64_t lde, const int32_t *lengths, const int32_t *srcRow, const float *q, int64_t ldq, float *alpha, int64_t lda, float *ctx, int64_t ldc) {
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
        s2s_masked_softmax(al, L, S);
        float *restrict cn = ctx + n * ldc;
        memset(cn, 0, sizeof(float) * (size_t)D);
        for (int32_t j = 0; j < L; j++) {
            const float *restrict ej = E + j * lde;
            float w = al[j];
#pragma clang loop vectorize(assume_safety)
            for (int32_t d = 0; d < D; d++) cn[d] += w * ej[d];
        }
    }
}

typedef struct {
    int32_t S;
    int32_t A;
    int32_t D;
    const float * keys;
    int64_t ldk;
    const float * enc;
    int64_t lde;
    const int32_t * lengths;
    const int32_t * srcRow;
    const float * q;
    int64_t ldq;
    float * alpha;
    int64_t lda;
    float * ctx;
    int64_t ldc;
} bilinear_attention_forward_rows_args;

static void bilinear_attention_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    bilinear_attention_forward_rows_args *a = p;
    bilinear_attention_forward_rows(b0, b1, a->S, a->A, a->D, a->keys, a->ldk, a->enc, a->lde, a->lengths, a->srcRow, a->q, a->ldq, a->alpha, a->lda, a->ctx, a->ldc);
}

void s2s_bilinear_attention_forward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                    const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                    const int32_t *lengths, const int32_t *srcRow,
                                    const float *q, int64_t ldq,
                                    float *alpha, int64_t lda, float *ctx, int64_t ldc) {
    bilinear_attention_forward_rows_args a = {S, A, D, keys, ldk, enc, lde, lengths, srcRow, q, ldq, alpha, lda, ctx, ldc};
    s2s_parallel_for(rows, s2s_min_rows((int64_t)S * (A + D)), bilinear_attention_forward_rows_range, &a);
}

S2S_CLONES
static void bilinear_attention_backward_rows(int64_t b0, int64_t b1, int32_t S, int32_t A, int32_t D, const float *keys, int64_t ldk, const float *enc, int64_t lde, const int32_t *lengths, const float *q, int64_t ldq, const float *alpha, int64_t lda, const float *dctx, int64_t lddc, float *dEnc, int64_t ldde, float *dKeys, int64_t lddk, float *dq, int64_t lddq) {
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
    const float * keys;
    int64_t ldk;
    const float * enc;
    int64_t lde;
    const int32_t * lengths;
    const float * q;
    int64_t ldq;
    const float * alpha;
    int64_t lda;
    const float * dctx;
    int64_t lddc;
    float * dEnc;
    int64_t ldde;
    float * dKeys;
    int64_t lddk;
    float * dq;
    int64_t lddq;
} bilinear_attention_backward_rows_args;

static void bilinear_attention_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    bilinear_attention_backward_rows_args *a = p;
    bilinear_attention_backward_rows(b0, b1, a->S, a->A, a->D, a->keys, a->ldk, a->enc, a->lde, a->lengths, a->q, a->ldq, a->alpha, a->lda, a->dctx, a->lddc, a->dEnc, a->ldde, a->dKeys, a->lddk, a->dq, a->lddq);
}

void s2s_bilinear_attention_backward(int32_t rows, int32_t S, int32_t A, int32_t D,
                                     const float *keys, int64_t ldk, const float *enc, int64_t lde,
                                     const int32_t *lengths, const float *q, int64_t ldq,
                                     const float *alpha, int64_t lda, const float *dctx, int64_t lddc,
                                     float *dEnc, int64_t ldde, float *dKeys, int64_t lddk,
                                     float *dq, int64_t lddq) {
    bilinear_attention_backward_rows_args a = {S, A, D, keys, ldk, enc, lde, lengths, q, ldq, alpha, lda, dctx, lddc, dEnc, ldde, dKeys, lddk, dq, lddq};
    s2s_parallel_for(rows, s2s_min_rows((int64_t)S * (2 * A + 2 * D)), bilinear_attention_backward_rows_range, &a);
}

S2S_CLONES
void s2s_tanh_array(const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = s2s_tanh(x[i]);
}

S2S_CLONES
void s2s_sigmoid_array(const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = s2s_sigmoid(x[i]);
}
