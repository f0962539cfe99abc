// LSTM (Hochreiter & Schmidhuber 1997; Goodfellow et al. §10.10.1), PyTorch's gate order i, f, g, o.
// Contracts in include/rnn_cells.h; compilation scheme (ISA clones, row split) in rnn_math.h.
//
// Forward, with a = W_ih x_t + W_hh h_{t−1} + b (computed outside, bias added here):
//   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
//   c_t = f ⊙ c_{t−1} + i ⊙ g
//   h_t = o ⊙ tanh(c_t)
// The kernel keeps i, f, g, o in the gate buffer: backward needs nothing else but c_t, c_{t−1}.
//
// Backward, with dh = ∂L/∂h_t (from the output, dy, plus from step t+1, dhRec) and dc carried
// from step t+1 (∂L/∂c_t through c_{t+1} = f_{t+1} ⊙ c_t + …):
//   dc_t  = dc + dh ⊙ o ⊙ (1 − tanh²(c_t))          the two paths into c_t
//   da_o  = dh ⊙ tanh(c_t) ⊙ o ⊙ (1 − o)              σ' = σ(1 − σ)
//   da_i  = dc_t ⊙ g ⊙ i ⊙ (1 − i)
//   da_f  = dc_t ⊙ c_{t−1} ⊙ f ⊙ (1 − f)
//   da_g  = dc_t ⊙ i ⊙ (1 − g²)                        tanh' = 1 − tanh²
//   ∂L/∂c_{t−1} = dc_t ⊙ f                             (written back into dc)
// ∂L/∂h_{t−1} = da · W_hh and the weight gradients are GEMMs over all steps, outside.
// The constant error carousel is the dc_t ⊙ f line: with f ≈ 1 the gradient flows back through
// c unchanged, which is why the LSTM learns long-range dependencies the vanilla RNN cannot.
#include "rnn_cells.h"
#include "parallel.h"
#include "rnn_math.h"

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
                float i = s2s_sigmoidf(gi[j] + bi[j]), f = s2s_sigmoidf(gf[j] + bf[j]);
                float u = s2s_tanhf(gg[j] + bg[j]), o = s2s_sigmoidf(go[j] + bo[j]);
                float cn = f * cp[j] + i * u;
                gi[j] = i; gf[j] = f; gg[j] = u; go[j] = o;
                cr[j] = cn;
                hr[j] = o * s2s_tanhf(cn);
            }
        } else {
#pragma clang loop vectorize(assume_safety)
            for (int32_t j = 0; j < H; j++) {
                float i = s2s_sigmoidf(gi[j] + bi[j]), f = s2s_sigmoidf(gf[j] + bf[j]);
                float u = s2s_tanhf(gg[j] + bg[j]), o = s2s_sigmoidf(go[j] + bo[j]);
                float cn = i * u;
                gi[j] = i; gf[j] = f; gg[j] = u; go[j] = o;
                cr[j] = cn;
                hr[j] = o * s2s_tanhf(cn);
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
            float tc = s2s_tanhf(cr[j]);
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
