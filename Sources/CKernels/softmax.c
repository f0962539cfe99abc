// Row softmax, log-softmax, fused cross-entropy and argmax.
//
// The row drivers are the ISA clones and every helper is inlined into them, so a row costs
// no dispatch. Every reduction runs in 16 independent lanes, combined in a fixed order: the loops vectorize
// without -ffast-math and give the same bits on every run with the same thread count.
#include "softmax.h"
#include "fastmath.h"
#include "parallel.h"
#include <math.h>
#include <string.h>

#define LANES 16
// Rows are split over threads only when each thread gets this many elements.
#define PAR_MIN_ELEMS 131072

S2S_INLINE float lanes_max(const float *acc) {
    float m = acc[0];
    for (int l = 1; l < LANES; l++) m = acc[l] > m ? acc[l] : m;
    return m;
}

S2S_INLINE float lanes_sum(const float *acc) {
    float s = 0;
    for (int l = 0; l < LANES; l++) s += acc[l];
    return s;
}

S2S_INLINE float row_max(const float *x, int64_t n) {
    float acc[LANES];
    for (int l = 0; l < LANES; l++) acc[l] = -INFINITY;
    int64_t j = 0;
    for (; j + LANES <= n; j += LANES)
        for (int l = 0; l < LANES; l++) acc[l] = x[j + l] > acc[l] ? x[j + l] : acc[l];
    float m = lanes_max(acc);
    for (; j < n; j++) m = x[j] > m ? x[j] : m;
    return m;
}

S2S_INLINE float row_sum(const float *x, int64_t n) {
    float acc[LANES] = {0};
    int64_t j = 0;
    for (; j + LANES <= n; j += LANES)
        for (int l = 0; l < LANES; l++) acc[l] += x[j + l];
    float tail = 0;
    for (; j < n; j++) tail += x[j];
    return lanes_sum(acc) + tail;
}

/// out[j] = exp(x[j] − shift); returns Σ out (out may alias x).
S2S_INLINE float exp_shift_sum(const float *x, float *out, int64_t n, float shift) {
    float acc[LANES] = {0};
    int64_t j = 0;
    for (; j + LANES <= n; j += LANES)
        for (int l = 0; l < LANES; l++) {
            float e = s2s_expf(x[j + l] - shift);
            out[j + l] = e;
            acc[l] += e;
        }
    float tail = 0;
    for (; j < n; j++) {
        float e = s2s_expf(x[j] - shift);
        out[j] = e;
        tail += e;
    }
    return lanes_sum(acc) + tail;
}

/// Σ exp(x[j] − shift) without storing.
S2S_INLINE float exp_shift_sum_only(const float *x, int64_t n, float shift) {
    float acc[LANES] = {0};
    int64_t j = 0;
    for (; j + LANES <= n; j += LANES)
        for (int l = 0; l < LANES; l++) acc[l] += s2s_expf(x[j + l] - shift);
    float tail = 0;
    for (; j < n; j++) tail += s2s_expf(x[j] - shift);
    return lanes_sum(acc) + tail;
}

S2S_INLINE void scale_shift(float *x, int64_t n, float a, float b) {
    for (int64_t j = 0; j < n; j++) x[j] = x[j] * a + b;
}

S2S_INLINE void add_const(float *x, int64_t n, float b) {
    for (int64_t j = 0; j < n; j++) x[j] += b;
}

// MARK: softmax

typedef struct { float *m; int64_t cols, ld; const int32_t *valid; } softmax_ctx;

S2S_CLONES static void softmax_range(void *p, int64_t b, int64_t e, int t) {
    (void)t;
    softmax_ctx *c = p;
    for (int64_t r = b; r < e; r++) {
        float *row = c->m + r * c->ld;
        int64_t n = c->cols;
        if (c->valid) {
            int64_t v = c->valid[r];
            n = v < 0 ? 0 : (v > n ? n : v);
        }
        if (n > 0) {
            float mx = row_max(row, n);
            float s = exp_shift_sum(row, row, n, mx);
            scale_shift(row, n, 1.0f / s, 0.0f);
        }
        if (n < c->cols) memset(row + n, 0, (size_t)(c->cols - n) * sizeof(float));
    }
}

void s2s_softmax_rows(float *m, int64_t rows, int64_t cols, int64_t ld, const int32_t *valid) {
    softmax_ctx c = {m, cols, ld, valid};
    int64_t min_rows = cols > 0 ? PAR_MIN_ELEMS / cols + 1 : rows;
    s2s_parallel_for(rows, min_rows, softmax_range, &c);
}

S2S_CLONES static void log_softmax_range(void *p, int64_t b, int64_t e, int t) {
    (void)t;
    softmax_ctx *c = p;
    for (int64_t r = b; r < e; r++) {
        float *row = c->m + r * c->ld;
        float mx = row_max(row, c->cols);
        float s = exp_shift_sum_only(row, c->cols, mx);
        add_const(row, c->cols, -(mx + logf(s)));
    }
}

void s2s_log_softmax_rows(float *m, int64_t rows, int64_t cols, int64_t ld) {
    if (cols == 0) return;
    softmax_ctx c = {m, cols, ld, NULL};
    s2s_parallel_for(rows, PAR_MIN_ELEMS / cols + 1, log_softmax_range, &c);
}

S2S_CLONES
void s2s_softmax_backward_rows(const float *y, int64_t ldy, const float *dy, int64_t lddy,
                               float *dx, int64_t lddx, int64_t rows, int64_t cols) {
    for (int64_t r = 0; r < rows; r++) {
        const float *yr = y + r * ldy, *dyr = dy + r * lddy;
        float *dxr = dx + r * lddx;
        float acc[LANES] = {0};
        int64_t j = 0;
        for (; j + LANES <= cols; j += LANES)
            for (int l = 0; l < LANES; l++) acc[l] += yr[j + l] * dyr[j + l];
        float dot = lanes_sum(acc);
        for (; j < cols; j++) dot += yr[j] * dyr[j];
        for (j = 0; j < cols; j++) dxr[j] = yr[j] * (dyr[j] - dot);
    }
}

// MARK: cross-entropy

typedef struct {
    const float *logits; int64_t cols, ld;
    const int32_t *targets; int32_t ignore; float smoothing;
    float *grad; int64_t ldg; float scale;
    double loss[S2S_MAX_THREADS];
    int64_t count[S2S_MAX_THREADS];
} xent_ctx;

S2S_CLONES static void xent_range(void *p, int64_t b, int64_t e, int t) {
    xent_ctx *c = p;
    int64_t v = c->cols;
    double eps = c->smoothing;
    double loss = 0;
    int64_t count = 0;
    for (int64_t r = b; r < e; r++) {
        const float *x = c->logits + r * c->ld;
        float *g = c->grad ? c->grad + r * c->ldg : NULL;
        int32_t target = c->targets[r];
        if (target == c->ignore) {
            if (g) memset(g, 0, (size_t)v * sizeof(float));
            continue;
        }
        // Read everything the loss needs before g (which may alias x) is written.
        float xt = x[target];
        float mx = row_max(x, v);
        double sumx = eps != 0 ? (double)row_sum(x, v) : 0;
        float s = g ? exp_shift_sum(x, g, v, mx) : exp_shift_sum_only(x, v, mx);
        double lse = (double)mx + log((double)s);
        loss += (1 - eps) * (lse - xt) + eps * (lse - sumx / (double)v);
        count++;
        if (g) {
            // g = (softmax − smoothed one-hot) · scale, softmax = exp(x − mx) / s.
            float a = c->scale / s;
            float bshift = -(float)(eps / (double)v) * c->scale;
            scale_shift(g, v, a, bshift);
            g[target] -= (1.0f - c->smoothing) * c->scale;
        }
    }
    c->loss[t] += loss;
    c->count[t] += count;
}

double s2s_softmax_xent(const float *logits, int64_t rows, int64_t cols, int64_t ld,
                        const int32_t *targets, int32_t ignore, float smoothing,
                        float *grad, int64_t ldg, float grad_scale, int64_t *count) {
    xent_ctx c;
    memset(&c, 0, sizeof c);
    c.logits = logits; c.cols = cols; c.ld = ld; c.targets = targets; c.ignore = ignore;
    c.smoothing = smoothing; c.grad = grad; c.ldg = ldg; c.scale = grad_scale;
    int parts = cols > 0 ? s2s_parallel_for(rows, PAR_MIN_ELEMS / cols + 1, xent_range, &c) : 0;
    double loss = 0;
    int64_t n = 0;
    for (int t = 0; t < parts; t++) { loss += c.loss[t]; n += c.count[t]; }
    *count = n;
    return loss;
}

// MARK: argmax

S2S_CLONES void s2s_argmax_rows(const float *m, int64_t rows, int64_t cols, int64_t ld, int32_t *out) {
    for (int64_t r = 0; r < rows; r++) {
        const float *x = m + r * ld;
        float mx = cols > 0 ? row_max(x, cols) : 0;
        int64_t best = 0;
        for (int64_t j = 0; j < cols; j++)
            if (x[j] == mx) { best = j; break; }
        out[r] = (int32_t)best;
    }
}
