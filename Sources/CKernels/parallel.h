#ifndef S2S_PARALLEL_H
#define S2S_PARALLEL_H
// Row-range parallelism on the OpenMP pool oneDNN already uses (private to CKernels).
// Going through libgomp's GOMP_parallel keeps one thread pool for the whole process, so GEMMs
// and kernels never oversubscribe the cores, and needs no -fopenmp flag.
#include <stdint.h>

/// Makes the calling thread's OpenMP count equal to the process-wide one (every GEMM and kernel
/// entry calls it; no Swift caller, so not in the public headers).
void s2s_sync_threads(void);

typedef void (*s2s_range_fn)(void *ctx, int64_t begin, int64_t end, int thread);

/// Splits [0, n) into contiguous ranges, one per OpenMP thread, when there is at least
/// `min_per_thread` work items for each of two threads; otherwise runs fn(ctx, 0, n, 0) inline.
/// Returns the number of ranges used (thread index < return value), at most S2S_MAX_THREADS.
#define S2S_MAX_THREADS 64
int s2s_parallel_for(int64_t n, int64_t min_per_thread, s2s_range_fn fn, void *ctx);

#endif
