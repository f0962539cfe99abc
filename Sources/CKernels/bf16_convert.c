// fp32 → bf16 conversion for GEMM inputs. Plain integer arithmetic that the compiler
// vectorizes for each target clone; memory-bound either way.
#include "dnnl_matmul.h"
#include <stdlib.h>
#include <string.h>

#include "fastmath.h"

S2S_CLONES
static void convert_row(const float *restrict src, uint16_t *restrict dst, int64_t n) {
    for (int64_t j = 0; j < n; j++) {
        uint32_t u;
        memcpy(&u, &src[j], 4);
        // Round to nearest even; a NaN keeps a set quiet bit so it cannot round to infinity.
        uint32_t rounded = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
        uint32_t nan = (u >> 16) | 0x40u;
        dst[j] = (uint16_t)(((u & 0x7FFFFFFFu) > 0x7F800000u) ? nan : rounded);
    }
}

void s2s_f32_to_bf16(const float *src, int64_t ld_src, uint16_t *dst, int64_t ld_dst,
                     int64_t rows, int64_t cols) {
    if (ld_src == cols && ld_dst == cols) {
        convert_row(src, dst, rows * cols);
        return;
    }
    for (int64_t r = 0; r < rows; r++) convert_row(src + r * ld_src, dst + r * ld_dst, cols);
}

static _Thread_local uint16_t *scratch[2];
static _Thread_local size_t scratch_cap[2];

uint16_t *s2s_bf16_scratch(int slot, size_t elems) {
    if (slot < 0 || slot > 1) return NULL;
    if (scratch_cap[slot] < elems) {
        free(scratch[slot]);
        size_t cap = (elems * 5 / 4 + 31) & ~(size_t)31;   // grow with headroom, whole cache lines
        scratch[slot] = aligned_alloc(64, cap * sizeof(uint16_t));
        scratch_cap[slot] = scratch[slot] ? cap : 0;
    }
    return scratch[slot];
}

uint64_t s2s_checksum_f32(const float *x, int64_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (int64_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], 4);
        h = (h ^ u) * 0x100000001B3ull;
    }
    return h;
}
