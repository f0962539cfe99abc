// The simple gated recurrent cell of the lecture notes (§5.1): one gate g that interpolates
// between keeping the state and writing a candidate,
//   g_t = σ(W^{gx} x_t + W^{gs} s_{t−1} + b_g)
//   u_t = tanh(W^{sx} x_t + W^{ss} s_{t−1} + b)
//   s_t = (1 − g_t) ⊙ s_{t−1} + g_t ⊙ u_t
// stored as nn.RNN-style blocks [g ; u]: weight_ih = [W^{gx} ; W^{sx}] [2H, in], weight_hh =
// [W^{gs} ; W^{ss}] [2H, H], b = b_ih + b_hh. It is a GRU without the reset gate, and with g = 1
// the vanilla cell. Contracts in include/rnn_cells.h; ISA clones and row split in rnn_math.h.
//
// Backward, with ds = ∂L/∂s_t = dy (from the output) + dhRec (from step t+1):
//   da_g = ds ⊙ (u_t − s_{t−1}) ⊙ g ⊙ (1 − g)
//   da_u = ds ⊙ g ⊙ (1 − u²)
//   ∂L/∂s_{t−1} = ds ⊙ (1 − g) + [da_g ; da_u] · W_hh      (direct term here, the GEMM outside)
// The direct term is the point of the gate: where g ≈ 0 the gradient passes back unchanged,
// not through tanh' and W as in the vanilla cell.
#include "rnn_cells.h"
#include "parallel.h"
#include "rnn_math.h"

S2S_CLONES
static void gated_forward_rows(int64_t b0, int64_t b1, int32_t H, float *gates, int64_t ldg, const float *bias,
                               const float *sPrev, int64_t ldsp, float *s, int64_t lds, const int32_t *lengths,
                               int32_t t) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict gg = gates + b * ldg, *restrict gu = gates + b * ldg + H;
        float *restrict sr = s + b * lds;
        if (!s2s_active(lengths, b, t)) {
            memset(sr, 0, sizeof(float) * (size_t)H);
            continue;
        }
        const float *restrict sp = sPrev ? sPrev + b * ldsp : NULL;
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float g = s2s_sigmoidf(gg[j] + bias[j]), u = s2s_tanhf(gu[j] + bias[H + j]);
            float prev = sp ? sp[j] : 0.0f;
            gg[j] = g;
            gu[j] = u;
            sr[j] = (1.0f - g) * prev + g * u;
        }
    }
}

typedef struct {
    int32_t H;
    float *gates;
    int64_t ldg;
    const float *bias;
    const float *sPrev;
    int64_t ldsp;
    float *s;
    int64_t lds;
    const int32_t *lengths;
    int32_t t;
} gated_forward_args;

static void gated_forward_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    gated_forward_args *a = p;
    gated_forward_rows(b0, b1, a->H, a->gates, a->ldg, a->bias, a->sPrev, a->ldsp, a->s, a->lds, a->lengths, a->t);
}

void s2s_gated_forward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *bias,
                       const float *sPrev, int64_t ldsp, float *s, int64_t lds, const int32_t *lengths, int32_t t) {
    gated_forward_args a = {H, gates, ldg, bias, sPrev, ldsp, s, lds, lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(2 * (int64_t)H), gated_forward_range, &a);
}

S2S_CLONES
static void gated_backward_rows(int64_t b0, int64_t b1, int32_t H, float *gates, int64_t ldg, const float *sPrev,
                                int64_t ldsp, const float *dy, int64_t lddy, const float *dhRec, int64_t lddr,
                                float *dPrev, int64_t lddp, const int32_t *lengths, int32_t t) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict gg = gates + b * ldg, *restrict gu = gates + b * ldg + H;
        float *restrict dp = dPrev + b * lddp;
        if (!s2s_active(lengths, b, t)) {
            memset(gg, 0, sizeof(float) * 2 * (size_t)H);
            memset(dp, 0, sizeof(float) * (size_t)H);
            continue;
        }
        const float *restrict sp = sPrev ? sPrev + b * ldsp : NULL;
        const float *restrict dyr = dy + b * lddy;
        const float *restrict drr = dhRec ? dhRec + b * lddr : NULL;
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float g = gg[j], u = gu[j], prev = sp ? sp[j] : 0.0f;
            float ds = dyr[j] + (drr ? drr[j] : 0.0f);
            gg[j] = ds * (u - prev) * g * (1.0f - g);
            gu[j] = ds * g * (1.0f - u * u);
            dp[j] = ds * (1.0f - g);
        }
    }
}

typedef struct {
    int32_t H;
    float *gates;
    int64_t ldg;
    const float *sPrev;
    int64_t ldsp;
    const float *dy;
    int64_t lddy;
    const float *dhRec;
    int64_t lddr;
    float *dPrev;
    int64_t lddp;
    const int32_t *lengths;
    int32_t t;
} gated_backward_args;

static void gated_backward_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    gated_backward_args *a = p;
    gated_backward_rows(b0, b1, a->H, a->gates, a->ldg, a->sPrev, a->ldsp, a->dy, a->lddy, a->dhRec, a->lddr,
                        a->dPrev, a->lddp, a->lengths, a->t);
}

void s2s_gated_backward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *sPrev, int64_t ldsp,
                        const float *dy, int64_t lddy, const float *dhRec, int64_t lddr, float *dPrev, int64_t lddp,
                        const int32_t *lengths, int32_t t) {
    gated_backward_args a = {H, gates, ldg, sPrev, ldsp, dy, lddy, dhRec, lddr, dPrev, lddp, lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(2 * (int64_t)H), gated_backward_range, &a);
}
