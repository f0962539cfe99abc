// Fused top-k + log-sum-exp over rows of logits (decoding's search step).
//
// Top-k keeps a small sorted list per row; a block of 16 columns is only looked at one by one
// when its maximum beats the list's last entry, so after the first few hundred columns the scan
// is a vectorized max per block. The log-sum-exp is a second pass with the kernels' fast exp.
#include "decode_kernels.h"
#include "fastmath.h"
#include "parallel.h"
#include <math.h>

#define LANES 16
#define PAR_MIN_ELEMS 65536

typedef struct {
    const float *m; int64_t cols, ld;
    const int32_t *forbid; int32_t n_forbid, k;
    int32_t *idx; float *val; float *lse;
} topk_ctx;

S2S_INLINE void insert(float x, int32_t j, float *bv, int32_t *bi, int32_t *n, int32_t k) {
    if (*n == k && !(x > bv[k - 1])) return;
    int32_t pos = *n < k ? *n : k - 1;
    // Later columns only pass an equal value when the list is not full: ties keep the lower index.
    while (pos > 0 && x > bv[pos - 1]) {
        bv[pos] = bv[pos - 1];
        bi[pos] = bi[pos - 1];
        pos--;
    }
    bv[pos] = x;
    bi[pos] = j;
    if (*n < k) (*n)++;
}

S2S_INLINE int is_forbidden(int64_t j, const int32_t *forbid, int32_t n) {
    for (int32_t f = 0; f < n; f++) if (forbid[f] == j) return 1;
    return 0;
}

S2S_CLONES static void topk_range(void *p, int64_t b, int64_t e, int t) {
    (void)t;
    topk_ctx *c = p;
    const int32_t k = c->k;
    const int64_t cols = c->cols;
    // Forbidden columns (the special tokens, at the front) are handled element by element in
    // a head section; the rest is scanned in blocks.
    int64_t head = LANES;
    for (int32_t f = 0; f < c->n_forbid; f++) if (c->forbid[f] + 1 > head) head = c->forbid[f] + 1;
    if (head > cols) head = cols;
    for (int64_t r = b; r < e; r++) {
        const float *x = c->m + r * c->ld;
        float *bv = c->val + r * k;
        int32_t *bi = c->idx + r * k;
        int32_t n = 0;
        int64_t j = 0;
        for (; j < head; j++) {
            float v = is_forbidden(j, c->forbid, c->n_forbid) ? -INFINITY : x[j];
            if (v != v) continue;
            insert(v, (int32_t)j, bv, bi, &n, k);
        }
        for (; j < cols; j += LANES) {
            int64_t len = cols - j < LANES ? cols - j : LANES;
            if (n == k && len == LANES) {
                float mx = x[j];
                for (int l = 1; l < LANES; l++) mx = x[j + l] > mx ? x[j + l] : mx;
                if (!(mx > bv[k - 1])) continue;   // a NaN block falls through to the element loop
            }
            for (int64_t l = 0; l < len; l++) {
                float v = x[j + l];
                if (v != v) continue;
                insert(v, (int32_t)(j + l), bv, bi, &n, k);
            }
        }
        for (int32_t q = n; q < k; q++) { bv[q] = -INFINITY; bi[q] = 0; }
        float mx = bv[0];
        if (!(mx > -INFINITY)) { c->lse[r] = -INFINITY; continue; }
        float s = 0;
        for (j = 0; j < head; j++) {
            float v = x[j];
            if (v == v && !is_forbidden(j, c->forbid, c->n_forbid)) s += s2s_expf(v - mx);
        }
        float acc[LANES] = {0};
        for (; j + LANES <= cols; j += LANES)
            for (int l = 0; l < LANES; l++) {
                float v = x[j + l];
                acc[l] += v == v ? s2s_expf(v - mx) : 0.0f;
            }
        for (int l = 0; l < LANES; l++) s += acc[l];
        for (; j < cols; j++) s += x[j] == x[j] ? s2s_expf(x[j] - mx) : 0.0f;
        c->lse[r] = mx + logf(s);
    }
}

void s2s_topk_logsumexp_rows(const float *m, int64_t rows, int64_t cols, int64_t ld,
                             const int32_t *forbid, int32_t n_forbid, int32_t k,
                             int32_t *idx, float *val, float *lse) {
    if (rows <= 0 || cols <= 0 || k <= 0) return;
    topk_ctx c = {m, cols, ld, forbid, n_forbid, k, idx, val, lse};
    s2s_parallel_for(rows, PAR_MIN_ELEMS / cols + 1, topk_range, &c);
}
