#ifndef S2S_DECODE_KERNELS_H
#define S2S_DECODE_KERNELS_H
#include <stdint.h>

/// Kernels of a decoding step's search: one pass over each row of logits gives what greedy,
/// beam search and sampling need, so nobody writes a full log-softmax of [rows, V] back.

/// For each row r of a rows × cols matrix (row stride ld): the `k` largest entries, sorted
/// descending with ties to the lower index (NaNs never selected; −∞ entries may fill the list
/// when fewer than k are finite), into idx/val [rows, k], and the row's log-sum-exp into
/// lse[r] (−∞ for a row with no finite entry). Columns listed in `forbid` (n_forbid of them)
/// count as −∞ without being written. k must be in 1...cols. Rows are split over the OpenMP
/// threads when the matrix is large.
void s2s_topk_logsumexp_rows(const float *m, int64_t rows, int64_t cols, int64_t ld,
                             const int32_t *forbid, int32_t n_forbid, int32_t k,
                             int32_t *idx, float *val, float *lse);

#endif
