// int8 products for the decoder's step (see decode_gemv_int8.h).
//
// Tile: 32 output rows (two 16-lane int32 accumulators) × up to 8 x rows = 16 accumulators.
// Each step of 4 k loads 2 × 64 weight bytes and broadcasts 4 x bytes per x row; one VPDPBUSD
// per accumulator. Unlike the fp32/bf16 gemv tiles there is no horizontal sum at the end (the
// packed layout puts 16 outputs in the lanes), so the same tile serves batch 1 and a beam of
// 32 sentences: the 32-row weight block stays in L1 while every x row passes over it.
#include "decode_gemv_int8.h"
#include "parallel.h"
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 32

int64_t s2s_int8_padded_rows(int64_t N) { return (N + BLOCK - 1) / BLOCK * BLOCK; }
static int64_t padded_k(int64_t K) { return (K + 3) / 4 * 4; }
int64_t s2s_int8_packed_size(int64_t N, int64_t K) { return s2s_int8_padded_rows(N) * padded_k(K); }

static int8_t quantize(float v, float inv) {
    float r = rintf(v * inv);
    return (int8_t)(r > 127.0f ? 127 : r < -127.0f ? -127 : (int)r);
}

/// A row's symmetric scale (max |v| / 127) and, in *inv, the factor that maps it to [-127, 127].
static float row_scale(const float *row, int64_t K, float *inv) {
    float amax = 0;
    for (int64_t k = 0; k < K; k++) amax = fmaxf(amax, fabsf(row[k]));
    *inv = amax > 0 ? 127.0f / amax : 0.0f;
    return amax / 127.0f;
}

void s2s_int8_quantize_rows(const float *w, int64_t ldw, int64_t N, int64_t K,
                            int8_t *q, int64_t ldq, float *scales) {
    for (int64_t n = 0; n < N; n++) {
        float inv;
        scales[n] = row_scale(w + n * ldw, K, &inv);
        for (int64_t k = 0; k < K; k++) q[n * ldq + k] = quantize(w[n * ldw + k], inv);
    }
}

void s2s_int8_pack(const int8_t *q, int64_t ldq, int64_t N, int64_t K, int8_t *packed, int32_t *comp) {
    int64_t Np = s2s_int8_padded_rows(N), Kp = padded_k(K);
    for (int64_t n = 0; n < Np; n++) {
        int32_t sum = 0;
        int8_t *dst = packed + (n / BLOCK) * Kp * BLOCK + (n % BLOCK) * 4;
        for (int64_t k = 0; k < Kp; k++) {
            int8_t v = n < N && k < K ? q[n * ldq + k] : 0;
            dst[(k / 4) * BLOCK * 4 + k % 4] = v;
            sum += v;
        }
        comp[n] = 128 * sum;
    }
}

typedef struct {
    int64_t M, N, Kp;
    const uint8_t *xq;     // M × Kp, x quantized and shifted by 128
    const float *sx;       // M row scales
    const int8_t *packed;
    const int32_t *comp;
    const float *scales, *bias;
    float *y; int64_t ldy;
} ictx;

// Per-thread buffers for the quantized x rows, reused across calls.
static _Thread_local uint8_t *t_xq;
static _Thread_local float *t_sx;
static _Thread_local size_t t_xq_cap, t_sx_cap;

static int scratch(int64_t M, int64_t Kp) {
    size_t need = (size_t)(M * Kp);
    if (need > t_xq_cap) {
        free(t_xq);
        t_xq = aligned_alloc(64, (need + 63) & ~(size_t)63);
        t_xq_cap = t_xq ? need : 0;
    }
    if ((size_t)M > t_sx_cap) {
        free(t_sx);
        t_sx = malloc((size_t)M * sizeof(float));
        t_sx_cap = t_sx ? (size_t)M : 0;
    }
    return t_xq && t_sx;
}

/// One output: the integer sum back to real units (fmaf, exactly what the vector FMA rounds).
static inline float dequantize(int32_t acc, int32_t comp, float sw, float sx, float b) {
    return fmaf((float)(acc - comp), sw * sx, b);
}

static void quantize_x_plain(const float *x, int64_t ldx, int64_t M, int64_t K, int64_t Kp, uint8_t *xq, float *sx) {
    for (int64_t m = 0; m < M; m++) {
        const float *row = x + m * ldx;
        float inv;
        sx[m] = row_scale(row, K, &inv);
        for (int64_t k = 0; k < K; k++) xq[m * Kp + k] = (uint8_t)(quantize(row[k], inv) + 128);
        for (int64_t k = K; k < Kp; k++) xq[m * Kp + k] = 128;
    }
}

static void range_plain(void *p, int64_t b, int64_t e, int t) {
    (void)t;
    const ictx *c = p;
    for (int64_t n = b * BLOCK; n < e * BLOCK && n < c->N; n++) {
        const int8_t *w = c->packed + (n / BLOCK) * c->Kp * BLOCK + (n % BLOCK) * 4;
        for (int64_t m = 0; m < c->M; m++) {
            const uint8_t *x = c->xq + m * c->Kp;
            int32_t acc = 0;
            for (int64_t k = 0; k < c->Kp; k++) acc += (int32_t)x[k] * w[(k / 4) * BLOCK * 4 + k % 4];
            c->y[m * c->ldy + n] = dequantize(acc, c->comp[n], c->scales[n], c->sx[m], c->bias ? c->bias[n] : 0.0f);
        }
    }
}

#define VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
#define VNNI_INLINE static inline __attribute__((always_inline)) VNNI

VNNI static void quantize_x_avx512(const float *x, int64_t ldx, int64_t M, int64_t K, int64_t Kp, uint8_t *xq, float *sx) {
    const __m512 lo = _mm512_set1_ps(-127.0f), hi = _mm512_set1_ps(127.0f);
    for (int64_t m = 0; m < M; m++) {
        const float *row = x + m * ldx;
        __m512 vmax = _mm512_setzero_ps();
        for (int64_t k = 0; k < K; k += 16) {
            __mmask16 mask = K - k >= 16 ? 0xFFFF : (__mmask16)((1u << (K - k)) - 1);
            vmax = _mm512_max_ps(vmax, _mm512_abs_ps(_mm512_maskz_loadu_ps(mask, row + k)));
        }
        float amax = _mm512_reduce_max_ps(vmax);
        float inv = amax > 0 ? 127.0f / amax : 0.0f;
        sx[m] = amax / 127.0f;
        __m512 vinv = _mm512_set1_ps(inv);
        for (int64_t k = 0; k < Kp; k += 16) {
            __mmask16 mask = Kp - k >= 16 ? 0xFFFF : (__mmask16)((1u << (Kp - k)) - 1);
            __mmask16 valid = K - k >= 16 ? 0xFFFF : K > k ? (__mmask16)((1u << (K - k)) - 1) : 0;
            // Round to nearest even, as rintf: the same integers as the plain path.
            __m512 r = _mm512_roundscale_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(valid, row + k), vinv),
                                            _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            __m512i q = _mm512_add_epi32(_mm512_cvttps_epi32(_mm512_min_ps(_mm512_max_ps(r, lo), hi)), _mm512_set1_epi32(128));
            _mm_mask_storeu_epi8(xq + m * Kp + k, mask, _mm512_cvtepi32_epi8(q));
        }
    }
}

#define DEFINE_TILE(MR) \
VNNI_INLINE void tile_##MR(const ictx *c, int64_t blk, int64_t m) { \
    __m512i acc[MR][2]; \
    for (int i = 0; i < MR; i++) { acc[i][0] = _mm512_setzero_si512(); acc[i][1] = _mm512_setzero_si512(); } \
    const int8_t *w = c->packed + blk * c->Kp * BLOCK; \
    const uint8_t *x = c->xq + m * c->Kp; \
    const int64_t steps = c->Kp / 4; \
    for (int64_t s = 0; s < steps; s++) { \
        __m512i w0 = _mm512_load_si512(w + s * 128), w1 = _mm512_load_si512(w + s * 128 + 64); \
        _mm_prefetch((const char *)(w + s * 128 + 1024), _MM_HINT_T0); \
        for (int i = 0; i < MR; i++) { \
            int32_t x4; \
            memcpy(&x4, x + i * c->Kp + s * 4, 4); \
            __m512i xv = _mm512_set1_epi32(x4); \
            acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], xv, w0); \
            acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], xv, w1); \
        } \
    } \
    for (int h = 0; h < 2; h++) { \
        int64_t n0 = blk * BLOCK + h * 16; \
        if (n0 >= c->N) break; \
        __mmask16 mask = c->N - n0 >= 16 ? 0xFFFF : (__mmask16)((1u << (c->N - n0)) - 1); \
        __m512i comp = _mm512_loadu_si512(c->comp + n0); \
        __m512 sw = _mm512_maskz_loadu_ps(mask, c->scales + n0); \
        __m512 b = c->bias ? _mm512_maskz_loadu_ps(mask, c->bias + n0) : _mm512_setzero_ps(); \
        for (int i = 0; i < MR; i++) { \
            __m512 v = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[i][h], comp)); \
            __m512 s = _mm512_mul_ps(sw, _mm512_set1_ps(c->sx[m + i])); \
            _mm512_mask_storeu_ps(c->y + (m + i) * c->ldy + n0, mask, _mm512_fmadd_ps(v, s, b)); \
        } \
    } \
}
DEFINE_TILE(1) DEFINE_TILE(2) DEFINE_TILE(3) DEFINE_TILE(4)
DEFINE_TILE(5) DEFINE_TILE(6) DEFINE_TILE(7) DEFINE_TILE(8)

VNNI static void range_vnni(void *p, int64_t b, int64_t e, int t) {
    (void)t;
    const ictx *c = p;
    for (int64_t blk = b; blk < e; blk++) {
        for (int64_t m = 0; m < c->M; m += 8) {
            switch (c->M - m < 8 ? c->M - m : 8) {
            case 1: tile_1(c, blk, m); break;
            case 2: tile_2(c, blk, m); break;
            case 3: tile_3(c, blk, m); break;
            case 4: tile_4(c, blk, m); break;
            case 5: tile_5(c, blk, m); break;
            case 6: tile_6(c, blk, m); break;
            case 7: tile_7(c, blk, m); break;
            default: tile_8(c, blk, m); break;
            }
        }
    }
}

int s2s_gemm_int8_fast(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
              && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")
              && __builtin_cpu_supports("avx512vnni");
    }
    return cached;
}

static void run(int fast, int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                const int8_t *packed, const int32_t *comp, const float *scales,
                const float *bias, float *y, int64_t ldy) {
    if (M <= 0 || N <= 0) return;
    int64_t Kp = padded_k(K);
    if (Kp == 0) {
        for (int64_t m = 0; m < M; m++)
            for (int64_t n = 0; n < N; n++) y[m * ldy + n] = bias ? bias[n] : 0.0f;
        return;
    }
    if (!scratch(M, Kp)) {
        fprintf(stderr, "s2s_gemm_int8: out of memory for %lld quantized rows of %lld\n", (long long)M, (long long)Kp);
        abort();
    }
    if (fast) quantize_x_avx512(x, ldx, M, K, Kp, t_xq, t_sx);
    else quantize_x_plain(x, ldx, M, K, Kp, t_xq, t_sx);
    ictx c = {M, N, Kp, t_xq, t_sx, packed, comp, scales, bias, y, ldy};
    int64_t blocks = s2s_int8_padded_rows(N) / BLOCK;
    // A thread is worth waking for about 128 K multiply-adds' worth of 32-row blocks.
    int64_t per_block = Kp * BLOCK * ((M + 7) / 8);
    int64_t min_blocks = (131072 + per_block - 1) / per_block;
    s2s_parallel_for(blocks, min_blocks, fast ? range_vnni : range_plain, &c);
}

void s2s_gemm_int8(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                   const int8_t *packed, const int32_t *comp, const float *scales,
                   const float *bias, float *y, int64_t ldy) {
    run(s2s_gemm_int8_fast(), M, N, K, x, ldx, packed, comp, scales, bias, y, ldy);
}

void s2s_gemm_int8_reference(int64_t M, int64_t N, int64_t K, const float *x, int64_t ldx,
                             const int8_t *packed, const int32_t *comp, const float *scales,
                             const float *bias, float *y, int64_t ldy) {
    run(0, M, N, K, x, ldx, packed, comp, scales, bias, y, ldy);
}
