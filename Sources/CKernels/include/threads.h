#ifndef S2S_THREADS_H
#define S2S_THREADS_H
#include <stdint.h>

/// OpenMP thread control for oneDNN and the kernels (omp.h does not import cleanly into Swift).
void s2s_set_num_threads(int32_t n);
int32_t s2s_get_max_threads(void);

#endif
