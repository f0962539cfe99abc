// The vanilla (Elman) recurrent cell of Goodfellow et al. Eq. 10.8:
//   a_t = b + W h_{t−1} + U x_t,   h_t = tanh(a_t)
// in PyTorch's nn.RNN naming: U = weight_ih [H, in], W = weight_hh [H, H], b = b_ih + b_hh.
// Contracts in include/rnn_cells.h; compilation scheme (ISA clones, row split) in rnn_math.h.
//
// Backward, with dh = ∂L/∂h_t = dy (from the output) + dhRec (from step t+1):
//   da_t = dh ⊙ (1 − h_t²)                    tanh' = 1 − tanh², so only h_t is kept
//   ∂L/∂h_{t−1} = da_t · W                    (the GEMM, outside)
// Through k steps the gradient is multiplied by k Jacobians diag(1 − h²) · W: unless W's
// largest singular value is near 1 it vanishes or explodes geometrically (§10.7), which is
// what the gated cells (gated_rnn.c, lstm.c, gru.c) are built to avoid.
#include "rnn_cells.h"
#include "parallel.h"
#include "rnn_math.h"

S2S_CLONES
static void rnn_forward_rows(int64_t b0, int64_t b1, int32_t H, float *gates, int64_t ldg, const float *bias,
                             float *h, int64_t ldh, const int32_t *lengths, int32_t t) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict g = gates + b * ldg;
        float *restrict hr = h + b * ldh;
        if (!s2s_active(lengths, b, t)) {
            memset(hr, 0, sizeof(float) * (size_t)H);
            continue;
        }
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float v = s2s_tanhf(g[j] + bias[j]);
            g[j] = v;
            hr[j] = v;
        }
    }
}

typedef struct {
    int32_t H;
    float *gates;
    int64_t ldg;
    const float *bias;
    float *h;
    int64_t ldh;
    const int32_t *lengths;
    int32_t t;
} rnn_forward_args;

static void rnn_forward_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    rnn_forward_args *a = p;
    rnn_forward_rows(b0, b1, a->H, a->gates, a->ldg, a->bias, a->h, a->ldh, a->lengths, a->t);
}

void s2s_rnn_forward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *bias,
                     float *h, int64_t ldh, const int32_t *lengths, int32_t t) {
    rnn_forward_args a = {H, gates, ldg, bias, h, ldh, lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(H), rnn_forward_range, &a);
}

S2S_CLONES
static void rnn_backward_rows(int64_t b0, int64_t b1, int32_t H, float *gates, int64_t ldg, const float *dy,
                              int64_t lddy, const float *dhRec, int64_t lddr, const int32_t *lengths, int32_t t) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict g = gates + b * ldg;
        if (!s2s_active(lengths, b, t)) {
            memset(g, 0, sizeof(float) * (size_t)H);
            continue;
        }
        const float *restrict dyr = dy + b * lddy;
        const float *restrict drr = dhRec ? dhRec + b * lddr : NULL;
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float d = dyr[j] + (drr ? drr[j] : 0.0f);
            g[j] = d * (1.0f - g[j] * g[j]);
        }
    }
}

typedef struct {
    int32_t H;
    float *gates;
    int64_t ldg;
    const float *dy;
    int64_t lddy;
    const float *dhRec;
    int64_t lddr;
    const int32_t *lengths;
    int32_t t;
} rnn_backward_args;

static void rnn_backward_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    rnn_backward_args *a = p;
    rnn_backward_rows(b0, b1, a->H, a->gates, a->ldg, a->dy, a->lddy, a->dhRec, a->lddr, a->lengths, a->t);
}

void s2s_rnn_backward(int32_t rows, int32_t H, float *gates, int64_t ldg, const float *dy, int64_t lddy,
                      const float *dhRec, int64_t lddr, const int32_t *lengths, int32_t t) {
    rnn_backward_args a = {H, gates, ldg, dy, lddy, dhRec, lddr, lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(H), rnn_backward_range, &a);
}
