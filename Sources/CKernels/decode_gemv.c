// Small-M products y = x · Wᵀ for the decoder's step at batch 1 and beam sizes (see the header).
//
// The AVX-512 tile keeps NR weight rows × MR x rows of 16-lane accumulators in registers; NR
// and MR are compile-time constants at every call of the always-inline tile, so the arrays
// below become registers. Weight rows stream from memory once; the x rows (a few KB) stay in L1.
#include "decode_gemv.h"
#include "dnnl_matmul.h"
#include "parallel.h"
#include <immintrin.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))
#define TILE_INLINE static inline __attribute__((always_inline)) AVX512

typedef struct {
    int64_t M, N, K;
    const float *x; int64_t ldx;
    const void *w; int64_t ldw;
    int bf16;
    const float *bias;
    float *y; int64_t ldy;
    const uint16_t *xb; int64_t ldxb;   // x rounded to bf16, rows zero-padded to a multiple of 32
} gemv_ctx;

TILE_INLINE __m512 load_w(const void *w, int bf16, int64_t row, int64_t ld, int64_t k, __mmask16 mask) {
    if (bf16) {
        const uint16_t *p = (const uint16_t *)w + row * ld + k;
        __m256i h = _mm256_maskz_loadu_epi16(mask, p);
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    }
    return _mm512_maskz_loadu_ps(mask, (const float *)w + row * ld + k);
}

#ifndef PF_ROWS
#define PF_ROWS 4
#endif
TILE_INLINE void prefetch_w(const void *w, int bf16, int64_t row, int64_t ld, int64_t k) {
    const char *p = bf16 ? (const char *)((const uint16_t *)w + row * ld + k) : (const char *)((const float *)w + row * ld + k);
    _mm_prefetch(p, _MM_HINT_T0);
}

/// y = Σ lanes of each accumulator + bias, for the NR × MR tile at (n, m).
#define STORE_TILE(NR, MR) \
    for (int r = 0; r < NR; r++) { \
        float b = c->bias ? c->bias[n + r] : 0.0f; \
        for (int i = 0; i < MR; i++) c->y[(m + i) * c->ldy + n + r] = _mm512_reduce_add_ps(acc[r][i]) + b; \
    }

/// NR weight rows [n, n+NR) against MR x rows [m, m+MR): one function per (NR, MR), so the
/// accumulator arrays have constant sizes and live in registers.
#define DEFINE_TILE(NR, MR, BF) \
TILE_INLINE void tile_##NR##_##MR##_##BF(const gemv_ctx *c, int64_t n, int64_t m) { \
    __m512 acc[NR][MR]; \
    for (int r = 0; r < NR; r++) \
        for (int i = 0; i < MR; i++) acc[r][i] = _mm512_setzero_ps(); \
    const int64_t K = c->K; \
    int64_t k = 0; \
    for (; k + 16 <= K; k += 16) { \
        __m512 wv[NR]; \
        for (int r = 0; r < NR; r++) { \
            wv[r] = load_w(c->w, BF, n + r, c->ldw, k, 0xFFFF); \
            if (BF || MR > 1) prefetch_w(c->w, BF, n + r + PF_ROWS, c->ldw, k); \
        } \
        for (int i = 0; i < MR; i++) { \
            __m512 xv = _mm512_loadu_ps(c->x + (m + i) * c->ldx + k); \
            for (int r = 0; r < NR; r++) acc[r][i] = _mm512_fmadd_ps(wv[r], xv, acc[r][i]); \
        } \
    } \
    if (k < K) { \
        __mmask16 mask = (__mmask16)((1u << (K - k)) - 1); \
        __m512 wv[NR]; \
        for (int r = 0; r < NR; r++) wv[r] = load_w(c->w, BF, n + r, c->ldw, k, mask); \
        for (int i = 0; i < MR; i++) { \
            __m512 xv = _mm512_maskz_loadu_ps(mask, c->x + (m + i) * c->ldx + k); \
            for (int r = 0; r < NR; r++) acc[r][i] = _mm512_fmadd_ps(wv[r], xv, acc[r][i]); \
        } \
    } \
    STORE_TILE(NR, MR) \
}

DEFINE_TILE(4, 1, 0) DEFINE_TILE(4, 2, 0) DEFINE_TILE(4, 3, 0) DEFINE_TILE(4, 4, 0)
DEFINE_TILE(2, 1, 0) DEFINE_TILE(2, 2, 0) DEFINE_TILE(2, 3, 0) DEFINE_TILE(2, 4, 0) DEFINE_TILE(2, 5, 0) DEFINE_TILE(2, 6, 0) DEFINE_TILE(2, 7, 0) DEFINE_TILE(2, 8, 0)
DEFINE_TILE(1, 1, 0) DEFINE_TILE(1, 2, 0) DEFINE_TILE(1, 3, 0) DEFINE_TILE(1, 4, 0) DEFINE_TILE(1, 5, 0) DEFINE_TILE(1, 6, 0) DEFINE_TILE(1, 7, 0) DEFINE_TILE(1, 8, 0)
DEFINE_TILE(4, 1, 1) DEFINE_TILE(4, 2, 1) DEFINE_TILE(4, 3, 1) DEFINE_TILE(4, 4, 1)
DEFINE_TILE(2, 1, 1) DEFINE_TILE(2, 2, 1) DEFINE_TILE(2, 3, 1) DEFINE_TILE(2, 4, 1) DEFINE_TILE(2, 5, 1) DEFINE_TILE(2, 6, 1) DEFINE_TILE(2, 7, 1) DEFINE_TILE(2, 8, 1)
DEFINE_TILE(1, 1, 1) DEFINE_TILE(1, 2, 1) DEFINE_TILE(1, 3, 1) DEFINE_TILE(1, 4, 1) DEFINE_TILE(1, 5, 1) DEFINE_TILE(1, 6, 1) DEFINE_TILE(1, 7, 1) DEFINE_TILE(1, 8, 1)

/// The same tile with AVX512-BF16 dot products: each VDPBF16PS multiplies 32 bf16 weights by 32
/// bf16 x values and adds pairs into 16 fp32 lanes, one instruction where the widening path needs
/// three per 16 weights, so the kernel is bound by memory again. x is rounded to bf16 (as in a
/// bf16 GEMM); accumulation stays fp32.
#define AVX512_BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,fma")))
#define DP_INLINE static inline __attribute__((always_inline)) AVX512_BF16
#define DEFINE_DP_TILE(NR, MR) \
DP_INLINE void tile_##NR##_##MR##_dp(const gemv_ctx *c, int64_t n, int64_t m) { \
    __m512 acc[NR][MR]; \
    for (int r = 0; r < NR; r++) \
        for (int i = 0; i < MR; i++) acc[r][i] = _mm512_setzero_ps(); \
    const uint16_t *w = (const uint16_t *)c->w; \
    const int64_t K = c->K; \
    for (int64_t k = 0; k < K; k += 32) { \
        __mmask32 mask = K - k >= 32 ? 0xFFFFFFFFu : (__mmask32)((1u << (K - k)) - 1); \
        __m512bh wv[NR]; \
        for (int r = 0; r < NR; r++) { \
            wv[r] = (__m512bh)_mm512_maskz_loadu_epi16(mask, w + (n + r) * c->ldw + k); \
            _mm_prefetch((const char *)(w + (n + r + PF_ROWS) * c->ldw + k), _MM_HINT_T0); \
        } \
        for (int i = 0; i < MR; i++) { \
            __m512bh xv = (__m512bh)_mm512_loadu_si512(c->xb + (m + i) * c->ldxb + k); \
            for (int r = 0; r < NR; r++) acc[r][i] = _mm512_dpbf16_ps(acc[r][i], wv[r], xv); \
        } \
    } \
    STORE_TILE(NR, MR) \
}
DEFINE_DP_TILE(4, 1) DEFINE_DP_TILE(4, 2) DEFINE_DP_TILE(4, 3) DEFINE_DP_TILE(4, 4)
DEFINE_DP_TILE(2, 1) DEFINE_DP_TILE(2, 2) DEFINE_DP_TILE(2, 3) DEFINE_DP_TILE(2, 4) DEFINE_DP_TILE(2, 5) DEFINE_DP_TILE(2, 6) DEFINE_DP_TILE(2, 7) DEFINE_DP_TILE(2, 8)
DEFINE_DP_TILE(1, 1) DEFINE_DP_TILE(1, 2) DEFINE_DP_TILE(1, 3) DEFINE_DP_TILE(1, 4) DEFINE_DP_TILE(1, 5) DEFINE_DP_TILE(1, 6) DEFINE_DP_TILE(1, 7) DEFINE_DP_TILE(1, 8)

/// All x rows against NR weight rows at n, in x blocks of at most 4 or 8 rows (the weight rows
/// stay in L1 between blocks, so memory sees them once).
#define ROWS4(NR, BF) \
    for (int64_t m = 0; m < c->M; m += 4) { \
        switch (c->M - m < 4 ? c->M - m : 4) { \
        case 1: tile_##NR##_1_##BF(c, n, m); break; \
        case 2: tile_##NR##_2_##BF(c, n, m); break; \
        case 3: tile_##NR##_3_##BF(c, n, m); break; \
        default: tile_##NR##_4_##BF(c, n, m); break; \
        } \
    }
#define ROWS8(NR, BF) \
    for (int64_t m = 0; m < c->M; m += 8) { \
        switch (c->M - m < 8 ? c->M - m : 8) { \
        case 1: tile_##NR##_1_##BF(c, n, m); break; \
        case 2: tile_##NR##_2_##BF(c, n, m); break; \
        case 3: tile_##NR##_3_##BF(c, n, m); break; \
        case 4: tile_##NR##_4_##BF(c, n, m); break; \
        case 5: tile_##NR##_5_##BF(c, n, m); break; \
        case 6: tile_##NR##_6_##BF(c, n, m); break; \
        case 7: tile_##NR##_7_##BF(c, n, m); break; \
        default: tile_##NR##_8_##BF(c, n, m); break; \
        } \
    }

/// PAIRS: 5–8 x rows take pairs of weight rows against all x rows at once (fp32 and the widening
/// bf16 kernel measured faster so); otherwise four weight rows against x blocks of at most four
/// (the dot-product kernel measured up to 20 % faster so at 5 rows on the medium model).
#define DEFINE_RANGE(BF, ISA, PAIRS) \
ISA static void range_avx512_##BF(void *p, int64_t b, int64_t e, int t) { \
    (void)t; \
    const gemv_ctx *c = p; \
    int64_t n = b * 4, end = e * 4 < c->N ? e * 4 : c->N; \
    if (!PAIRS || c->M <= 4 || c->M > 8) { \
        for (; n + 4 <= end; n += 4) { ROWS4(4, BF) } \
    } else { \
        for (; n + 2 <= end; n += 2) { ROWS8(2, BF) } \
    } \
    for (; n < end; n++) { ROWS8(1, BF) } \
}
DEFINE_RANGE(0, AVX512, 1)
DEFINE_RANGE(1, AVX512, 1)
DEFINE_RANGE(dp, AVX512_BF16, 0)

static void range_plain(void *p, int64_t b, int64_t e, int t) {
    (void)t;
    const gemv_ctx *c = p;
    int64_t end = e * 4 < c->N ? e * 4 : c->N;
    for (int64_t n = b * 4; n < end; n++) {
        for (int64_t m = 0; m < c->M; m++) {
            const float *x = c->x + m * c->ldx;
            float s = 0;
            if (c->bf16) {
                const uint16_t *w = (const uint16_t *)c->w + n * c->ldw;
                for (int64_t k = 0; k < c->K; k++) {
                    uint32_t u = (uint32_t)w[k] << 16;
                    float f;
                    memcpy(&f, &u, 4);
                    s += f * x[k];
                }
            } else {
                const float *w = (const float *)c->w + n * c->ldw;
                for (int64_t k = 0; k < c->K; k++) s += w[k] * x[k];
            }
            c->y[m * c->ldy + n] = s + (c->bias ? c->bias[n] : 0.0f);
        }
    }
}

static int have_avx512(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
              && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    }
    return cached;
}

static int have_avx512_bf16(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = have_avx512() && __builtin_cpu_supports("avx512bf16");
    }
    return cached;
}

/// Set by s2s_gemv_prefer_bf16_dot (-1: not set, take the dot products where they exist).
static _Atomic int preferred_dot = -1;

void s2s_gemv_prefer_bf16_dot(int on) { preferred_dot = on ? 1 : 0; }

/// Whether bf16 products round x to bf16 (AVX512-BF16 dot products) or widen W to fp32.
/// `S2S_GEMV_BF16_DOT=0|1` overrides the preference (comparisons, experiments).
static int env_dot_choice(void) {
    static _Atomic int env_choice = -2;
    if (env_choice == -2) {
        const char *env = getenv("S2S_GEMV_BF16_DOT");
        env_choice = env && env[0] ? (env[0] != '0') : -1;
    }
    return env_choice;
}

static int env_allows_dot(void) { return env_dot_choice() != 0; }

static int use_bf16_dot(void) {
    if (!have_avx512_bf16()) return 0;
    int env_choice = env_dot_choice();
    if (env_choice >= 0) return env_choice;
    return preferred_dot != 0;
}

int s2s_gemv_has_bf16_dot(void) { return have_avx512_bf16(); }

int s2s_gemv_rows_fast(void) { return have_avx512(); }

static void run(gemv_ctx *c, int dot) {
    if (c->M <= 0 || c->N <= 0) return;
    if (c->K <= 0) {
        for (int64_t m = 0; m < c->M; m++)
            for (int64_t n = 0; n < c->N; n++) c->y[m * c->ldy + n] = c->bias ? c->bias[n] : 0.0f;
        return;
    }
    int64_t blocks = (c->N + 3) / 4;
    // A thread is worth waking for about 256 KB of weight.
    int64_t bytes_per_block = 4 * c->K * (c->bf16 ? 2 : 4);
    int64_t min_blocks = (262144 + bytes_per_block - 1) / bytes_per_block;
    s2s_range_fn fn = !have_avx512() ? range_plain : (c->bf16 ? range_avx512_1 : range_avx512_0);
    if (c->bf16 && dot && have_avx512_bf16()) {
        // x rows in bf16, padded with zeros to whole 32-element blocks (the tiles load full blocks).
        int64_t ldxb = (c->K + 31) / 32 * 32;
        uint16_t *xb = s2s_bf16_scratch(0, (size_t)(c->M * ldxb));
        if (xb) {
            for (int64_t m = 0; m < c->M; m++) {
                s2s_f32_to_bf16(c->x + m * c->ldx, c->ldx, xb + m * ldxb, ldxb, 1, c->K);
                memset(xb + m * ldxb + c->K, 0, (size_t)(ldxb - c->K) * sizeof(uint16_t));
            }
            c->xb = xb;
            c->ldxb = ldxb;
            fn = range_avx512_dp;
        }
    }
    s2s_parallel_for(blocks, min_blocks, fn, c);
}

void s2s_gemv_rows_f32(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                       const float *w, int64_t ldw, const float *bias, float *y, int64_t ldy) {
    gemv_ctx c = {M, N, K, x, ldx, w, ldw, 0, bias, y, ldy, NULL, 0};
    run(&c, 0);
}

void s2s_gemv_rows_bf16(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                        const uint16_t *w, int64_t ldw, const float *bias, float *y, int64_t ldy) {
    // One row reads each weight once for one dot product: the dot-product kernel, with a third
    // of the widening kernel's instructions per weight, keeps up with memory where the widening
    // one may not (medium model, greedy batch 1, Xeon family 6 model 207: 17.9 vs 14.0
    // sentences/s), so the preference (measured at 5 rows) decides from 2 rows on.
    int dot = M == 1 ? have_avx512_bf16() && env_allows_dot() : use_bf16_dot();
    s2s_gemv_rows_bf16_kernel(M, N, K, x, ldx, w, ldw, bias, y, ldy, dot);
}

void s2s_gemv_rows_bf16_kernel(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                               const uint16_t *w, int64_t ldw, const float *bias, float *y, int64_t ldy, int dot) {
    gemv_ctx c = {M, N, K, x, ldx, w, ldw, 1, bias, y, ldy, NULL, 0};
    run(&c, dot);
}
