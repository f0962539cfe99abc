// GRU (Cho et al. 2014; Goodfellow et al. §10.10.2), PyTorch's GRUCell: gate blocks r, z, n.
// Contracts in include/rnn_cells.h; compilation scheme (ISA clones, row split) in rnn_math.h.
//
// Forward, with gi = W_ih x_t and gh = W_hh h_{t−1} computed outside (no bias):
//   r  = σ(gi_r + b_ir + gh_r + b_hr)
//   z  = σ(gi_z + b_iz + gh_z + b_hz)
//   hn = gh_n + b_hn                          kept: the reset gate multiplies it
//   n  = tanh(gi_n + b_in + r ⊙ hn)
//   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
// The kernel keeps r, z, n in gi and hn in gh's n block.
//
// Backward, with dh = ∂L/∂h_t = dy (from the output) + dhRec (from step t+1):
//   dn   = dh ⊙ (1 − z)
//   dz   = dh ⊙ (h_{t−1} − n)
//   da_n = dn ⊙ (1 − n²)                      ∂L/∂(gi_n + b_in), also ∂L/∂(r ⊙ hn)
//   da_r = da_n ⊙ hn ⊙ r ⊙ (1 − r)
//   da_z = dz ⊙ z ⊙ (1 − z)
//   dgi  = [da_r ; da_z ; da_n]               = ∂L/∂(W_ih x + b_ih)
//   dgh  = [da_r ; da_z ; da_n ⊙ r]           = ∂L/∂(W_hh h + b_hh): r gates the hidden part of n
//   ∂L/∂h_{t−1} = dh ⊙ z + dgh · W_hh         (the direct term here, the GEMM outside)
// Packed sequences (encoder): an inactive row writes h_t = 0 and passes no gradient back.
#include "rnn_cells.h"
#include "parallel.h"
#include "rnn_math.h"

S2S_CLONES
static void gru_forward_rows(int64_t b0, int64_t b1, int32_t H, float *gi, int64_t ldgi, float *gh,
                             int64_t ldgh, const float *bih, const float *bhh, const float *hPrev,
                             int64_t ldhp, float *h, int64_t ldh, const int32_t *lengths, int32_t t) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict xi = gi + b * ldgi;
        float *restrict xh = gh + b * ldgh;
        const float *restrict hp = hPrev + b * ldhp;
        float *restrict hr = h + b * ldh;
        if (!s2s_active(lengths, b, t)) {
            memset(hr, 0, sizeof(float) * (size_t)H);
            continue;
        }
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float r = s2s_sigmoidf(xi[j] + bih[j] + xh[j] + bhh[j]);
            float z = s2s_sigmoidf(xi[H + j] + bih[H + j] + xh[H + j] + bhh[H + j]);
            float hn = xh[2 * H + j] + bhh[2 * H + j];
            float n = s2s_tanhf(xi[2 * H + j] + bih[2 * H + j] + r * hn);
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
    const int32_t *lengths;
    int32_t t;
} gru_forward_rows_args;

static void gru_forward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    gru_forward_rows_args *a = p;
    gru_forward_rows(b0, b1, a->H, a->gi, a->ldgi, a->gh, a->ldgh, a->bih, a->bhh, a->hPrev, a->ldhp, a->h,
                     a->ldh, a->lengths, a->t);
}

void s2s_gru_forward(int32_t rows, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh,
                     const float *bih, const float *bhh, const float *hPrev, int64_t ldhp,
                     float *h, int64_t ldh, const int32_t *lengths, int32_t t) {
    gru_forward_rows_args a = {H, gi, ldgi, gh, ldgh, bih, bhh, hPrev, ldhp, h, ldh, lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(3 * (int64_t)H), gru_forward_rows_range, &a);
}

S2S_CLONES
static void gru_backward_rows(int64_t b0, int64_t b1, int32_t H, float *gi, int64_t ldgi, float *gh,
                              int64_t ldgh, const float *hPrev, int64_t ldhp, const float *dy, int64_t lddy,
                              const float *dhRec, int64_t lddr, float *dhPrev, int64_t lddhp,
                              const int32_t *lengths, int32_t t) {
    for (int64_t b = b0; b < b1; b++) {
        float *restrict xi = gi + b * ldgi;
        float *restrict xh = gh + b * ldgh;
        const float *restrict hp = hPrev + b * ldhp;
        const float *restrict dyr = dy + b * lddy;
        const float *restrict drr = dhRec ? dhRec + b * lddr : NULL;
        float *restrict dp = dhPrev + b * lddhp;
        if (!s2s_active(lengths, b, t)) {
            memset(xi, 0, sizeof(float) * 3 * (size_t)H);
            memset(xh, 0, sizeof(float) * 3 * (size_t)H);
            memset(dp, 0, sizeof(float) * (size_t)H);
            continue;
        }
#pragma clang loop vectorize(assume_safety)
        for (int32_t j = 0; j < H; j++) {
            float r = xi[j], z = xi[H + j], n = xi[2 * H + j], hn = xh[2 * H + j];
            float d = dyr[j] + (drr ? drr[j] : 0.0f);
            float dn = d * (1.0f - z);
            float dz = d * (hp[j] - n);
            dp[j] = d * z;
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
    const float *dy;
    int64_t lddy;
    const float *dhRec;
    int64_t lddr;
    float *dhPrev;
    int64_t lddhp;
    const int32_t *lengths;
    int32_t t;
} gru_backward_rows_args;

static void gru_backward_rows_range(void *p, int64_t b0, int64_t b1, int thread) {
    (void)thread;
    gru_backward_rows_args *a = p;
    gru_backward_rows(b0, b1, a->H, a->gi, a->ldgi, a->gh, a->ldgh, a->hPrev, a->ldhp, a->dy, a->lddy,
                      a->dhRec, a->lddr, a->dhPrev, a->lddhp, a->lengths, a->t);
}

void s2s_gru_backward(int32_t rows, int32_t H, float *gi, int64_t ldgi, float *gh, int64_t ldgh,
                      const float *hPrev, int64_t ldhp, const float *dy, int64_t lddy,
                      const float *dhRec, int64_t lddr, float *dhPrev, int64_t lddhp,
                      const int32_t *lengths, int32_t t) {
    gru_backward_rows_args a = {H, gi, ldgi, gh, ldgh, hPrev, ldhp, dy, lddy, dhRec, lddr, dhPrev, lddhp,
                                lengths, t};
    s2s_parallel_for(rows, s2s_min_rows(3 * (int64_t)H), gru_backward_rows_range, &a);
}
