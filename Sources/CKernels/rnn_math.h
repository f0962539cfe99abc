// Private to CKernels: the inline math and helpers shared by rnn_cells.c and attention_cells.c.
#ifndef S2S_RNN_MATH_H
#define S2S_RNN_MATH_H
#include <stdint.h>

// exp, tanh and σ are fastmath.h's: one implementation for every kernel.
#include "fastmath.h"

// The buffers a kernel reads and writes never overlap (the contracts in rnn_cells.h), so inner
// loops carry `vectorize(assume_safety)`: without it clang guards each loop with a dozen runtime
// overlap checks and, as measured, ends up in the scalar loop.

/// Packed-sequence masking: row `row` is active at step t when t < lengths[row] (NULL: always).
static inline int s2s_active(const int32_t *lengths, int64_t row, int32_t t) {
    return lengths == NULL || t < lengths[row];
}

/// Rows per thread below which splitting a step over threads costs more than it saves
/// (about 8K elementwise operations per thread; a fork/join is a few microseconds).
static inline int64_t s2s_min_rows(int64_t workPerRow) {
    int64_t r = 8192 / (workPerRow > 0 ? workPerRow : 1);
    return r < 1 ? 1 : r;
}


/// A sentence's length clamped to 0...S (NULL lengths: every sentence has S positions).
static inline int32_t s2s_len(const int32_t *lengths, int64_t s, int32_t S) {
    int32_t L = lengths ? lengths[s] : S;
    return L < 0 ? 0 : (L > S ? S : L);
}

#endif
