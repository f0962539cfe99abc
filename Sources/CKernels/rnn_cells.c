// Fused LSTM and GRU step kernels (contracts in include/rnn_cells.h).
//
// Each kernel's row loop is compiled three times (AVX-512, AVX2, baseline) and picked at load
// time, so the loops vectorize on this machine without raising the package's baseline target;
// the exported functions split rows over the OpenMP threads oneDNN uses (s2s_parallel_for).
#include "rnn_cells.h"
#include "parallel.h"
#include "rnn_math.h"

static inline int s2s_active(const int32_t *lengths, int64_t row, int32_t t) {
    return lengths == NULL || t < lengths[row];
}

S2S_CLONES
static void lstm_forward_rows(int64_t b0, int64_t b1, int32_t H, float *gates, int64_t ldg,
                              const float *bias, const float *cPrev, int64_t ldcp, float *c, int64_t ldc,
                              float *h, int64_t ldh, const int32_t *lengths, int32_t t) {
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
    float *gates;
    int64_t ldg;
    const float *bias;
    const float *cPrev;
    int64_t ldcp;
    float *c;
    int64_t ldc;
    float *h;
    int64_t ldh;
    const int32_t *lengths;
    int32_t t;
} lstm_forward_rows_args;

static void lstm_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    lstm_forward_rows_args *a = p;
    lstm_forward_rows(b0, b1, a->H, a->gates, a->ldg, a->bias, a->cPrev, a->ldcp, a->c, a->ldc, a->h,
                      a->ldh, a->lengths, a->t);
}

void s2s_lstm_forward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *bias,
                      const float *cPrev, int64_t ldcp, float *c, int64_t ldc, float *h, int64_t ldh,
                      const int32_t *lengths, int32_t t) {
    lstm_forward_rows_args a = {H, gates, ldg, bias, cPrev, ldcp, c, ldc, h, ldh, lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(4 * (int64_t)H), lstm_forward_rows_range, &a);
}

S2S_CLONES
static void lstm_backward_rows(int64_t b0, int64_t b1, int32_t H, float *gates, int64_t ldg, const float *c,
                               int64_t ldc, const float *cPrev, int64_t ldcp, const float *dy, int64_t lddy,
                               const float *dhRec, int64_t lddh, float *dc, int64_t lddc,
                               const int32_t *lengths, int32_t t) {
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
    float *gates;
    int64_t ldg;
    const float *c;
    int64_t ldc;
    const float *cPrev;
    int64_t ldcp;
    const float *dy;
    int64_t lddy;
    const float *dhRec;
    int64_t lddh;
    float *dc;
    int64_t lddc;
    const int32_t *lengths;
    int32_t t;
} lstm_backward_rows_args;

static void lstm_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    lstm_backward_rows_args *a = p;
    lstm_backward_rows(b0, b1, a->H, a->gates, a->ldg, a->c, a->ldc, a->cPrev, a->ldcp, a->dy, a->lddy,
                       a->dhRec, a->lddh, a->dc, a->lddc, a->lengths, a->t);
}

void s2s_lstm_backward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *c, int64_t ldc,
                       const float *cPrev, int64_t ldcp, const float *dy, int64_t lddy,
                       const float *dhRec, int64_t lddh, float *dc, int64_t lddc,
                       const int32_t *lengths, int32_t t) {
    lstm_backward_rows_args a = {H, gates, ldg, c, ldc, cPrev, ldcp, dy, lddy, dhRec, lddh, dc, lddc,
                                 lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(4 * (int64_t)H), lstm_backward_rows_range, &a);
}

S2S_CLONES
static void gru_forward_rows(int64_t b0, int64_t b1, int32_t H, float *gi, int64_t ldgi, float *gh,
                             int64_t ldgh, const float *bih, const float *bhh, const float *hPrev,
                             int64_t ldhp, float *h, int64_t ldh) {
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
    float *gi;
    int64_t ldgi;
    float *gh;
    int64_t ldgh;
    const float *bih;
    const float *bhh;
    const float *hPrev;
    int64_t ldhp;
    float *h;
    int64_t ldh;
} gru_forward_rows_args;

static void gru_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    gru_forward_rows_args *a = p;
    gru_forward_rows(b0, b1, a->H, a->gi, a->ldgi, a->gh, a->ldgh, a->bih, a->bhh, a->hPrev, a->ldhp, a->h,
                     a->ldh);
}

void s2s_gru_forward(int32_t rows, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh,
                     const float *bih, const float *bhh, const float *hPrev, int64_t ldhp,
                     float *h, int64_t ldh) {
    gru_forward_rows_args a = {H, gi, ldgi, gh, ldgh, bih, bhh, hPrev, ldhp, h, ldh};
    s2s_parallel_for(rows, s2s_min_rows(3 * (int64_t)H), gru_forward_rows_range, &a);
}

S2S_CLONES
static void gru_backward_rows(int64_t b0, int64_t b1, int32_t H, float *gi, int64_t ldgi, float *gh,
                              int64_t ldgh, const float *hPrev, int64_t ldhp, const float *dh, int64_t lddh,
                              float *dhPrev, int64_t lddhp) {
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
    float *gi;
    int64_t ldgi;
    float *gh;
    int64_t ldgh;
    const float *hPrev;
    int64_t ldhp;
    const float *dh;
    int64_t lddh;
    float *dhPrev;
    int64_t lddhp;
} gru_backward_rows_args;

static void gru_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    gru_backward_rows_args *a = p;
    gru_backward_rows(b0, b1, a->H, a->gi, a->ldgi, a->gh, a->ldgh, a->hPrev, a->ldhp, a->dh, a->lddh,
                      a->dhPrev, a->lddhp);
}

void s2s_gru_backward(int32_t rows, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh,
                      const float *hPrev, int64_t ldhp, const float *dh, int64_t lddh,
                      float *dhPrev, int64_t lddhp) {
    gru_backward_rows_args a = {H, gi, ldgi, gh, ldgh, hPrev, ldhp, dh, lddh, dhPrev, lddhp};
    s2s_parallel_for(rows, s2s_min_rows(3 * (int64_t)H), gru_backward_rows_range, &a);
}

S2S_CLONES
void s2s_tanh_array(const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = s2s_tanh(x[i]);
}

S2S_CLONES
void s2s_sigmoid_array(const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = s2s_sigmoid(x[i]);
}
