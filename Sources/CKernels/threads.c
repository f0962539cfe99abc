#include "threads.h"

// oneDNN is built on the GNU OpenMP runtime; its symbols come in through libdnnl.
extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);

void s2s_set_num_threads(int32_t n) { omp_set_num_threads(n); }
int32_t s2s_get_max_threads(void) { return omp_get_max_threads(); }
