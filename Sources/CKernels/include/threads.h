#ifndef S2S_THREADS_H
#define S2S_THREADS_H
#include <stdint.h>

/// OpenMP thread control for oneDNN and the kernels (omp.h does not import cleanly into Swift).
///
/// OpenMP keeps the thread count per calling thread, so a count set on the main thread would
/// not reach a GEMM issued from another thread. The count therefore lives in one process-wide
/// value, and every GEMM and kernel entry applies it to the calling thread first.
/// Default: OMP_NUM_THREADS when set to a positive number, else min(2, online cores).
void s2s_set_num_threads(int32_t n);
/// The process-wide count (after applying the default on first use).
int32_t s2s_get_max_threads(void);

#endif
