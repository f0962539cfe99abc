// Elementwise kernels: plain loops that each target clone vectorizes.
#include "elementwise.h"
#include "fastmath.h"
#include "parallel.h"

// Below this many elements per thread (~40 µs of exp work) a fork/join is not worth it,
// least of all on a shared machine where a woken partner thread may wait for its core.
#define PAR_MIN 131072

S2S_CLONES static void sigmoid_range(void *ctx, int64_t b, int64_t e, int t) {
    (void)t;
    float *x = ctx;
    for (int64_t i = b; i < e; i++) x[i] = s2s_sigmoidf(x[i]);
}

S2S_CLONES static void tanh_range(void *ctx, int64_t b, int64_t e, int t) {
    (void)t;
    float *x = ctx;
    for (int64_t i = b; i < e; i++) x[i] = s2s_tanhf(x[i]);
}

void s2s_sigmoid(float *x, int64_t n) { s2s_parallel_for(n, PAR_MIN, sigmoid_range, x); }
void s2s_tanh(float *x, int64_t n) { s2s_parallel_for(n, PAR_MIN, tanh_range, x); }

S2S_CLONES
void s2s_sigmoid_backward(const float *restrict y, const float *restrict dy, float *restrict dx, int64_t n, int accumulate) {
    if (accumulate) for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * y[i] * (1.0f - y[i]);
    else for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

S2S_CLONES
void s2s_tanh_backward(const float *restrict y, const float *restrict dy, float *restrict dx, int64_t n, int accumulate) {
    if (accumulate) for (int64_t i = 0; i < n; i++) dx[i] += dy[i] * (1.0f - y[i] * y[i]);
    else for (int64_t i = 0; i < n; i++) dx[i] = dy[i] * (1.0f - y[i] * y[i]);
}

S2S_CLONES
void s2s_add_row_vector(float *m, int64_t rows, int64_t cols, int64_t ld, const float *restrict v) {
    for (int64_t r = 0; r < rows; r++) {
        float *restrict row = m + r * ld;
        for (int64_t j = 0; j < cols; j++) row[j] += v[j];
    }
}

S2S_CLONES
void s2s_sum_rows(const float *m, int64_t rows, int64_t cols, int64_t ld, float *restrict v, int accumulate) {
    if (!accumulate) for (int64_t j = 0; j < cols; j++) v[j] = 0;
    for (int64_t r = 0; r < rows; r++) {
        const float *restrict row = m + r * ld;
        for (int64_t j = 0; j < cols; j++) v[j] += row[j];
    }
}

S2S_CLONES
void s2s_axpy(float a, const float *restrict x, float *restrict y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += a * x[i];
}

S2S_CLONES
void s2s_scale(float *x, float a, int64_t n) {
    for (int64_t i = 0; i < n; i++) x[i] *= a;
}

S2S_CLONES
double s2s_sum_squares(const float *x, int64_t n) {
    // Eight independent double lanes: vectorizes without reassociation and stays deterministic.
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; l++) acc[l] += (double)x[i + l] * (double)x[i + l];
    double s = 0;
    for (; i < n; i++) s += (double)x[i] * (double)x[i];
    for (int l = 0; l < 8; l++) s += acc[l];
    return s;
}

S2S_CLONES
void s2s_mul(const float *x, const float *y, float *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) out[i] = x[i] * y[i];
}

S2S_CLONES
void s2s_add(const float *x, const float *y, float *out, int64_t n) {
    for (int64_t i = 0; i < n; i++) out[i] = x[i] + y[i];
}
